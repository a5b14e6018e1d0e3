import Foundation

/// The `deadlines` object of an assignment (docs/contract.md "Assignments"): the instants by which a unit must
/// sign, notify the citizen, give feedback (urgent/fast only), resolve, and — as extras — by which the
/// center must dispatch and by which the unit may still ask for a return.
public struct AssignmentDeadlines: Codable, Sendable, Hashable {
    /// Sign (签收) by this instant.
    public var signBy: Date
    /// Tell the citizen the demand was accepted (受理告知) by this instant.
    public var notifyBy: Date
    /// Feed progress back to the citizen by this instant; only for urgent and fast tickets.
    public var feedbackBy: Date?
    /// Resolve (办结) by this instant.
    public var resolveBy: Date
    /// Extra: the center must dispatch by this instant (counted from acceptance).
    public var dispatchBy: Date?
    /// Extra: the last instant the unit may ask for a return (退单).
    public var returnBy: Date?

    public init(
        signBy: Date, notifyBy: Date, feedbackBy: Date? = nil, resolveBy: Date,
        dispatchBy: Date? = nil, returnBy: Date? = nil
    ) {
        self.signBy = signBy
        self.notifyBy = notifyBy
        self.feedbackBy = feedbackBy
        self.resolveBy = resolveBy
        self.dispatchBy = dispatchBy
        self.returnBy = returnBy
    }

    enum CodingKeys: String, CodingKey {
        case signBy = "sign_by"
        case notifyBy = "notify_by"
        case feedbackBy = "feedback_by"
        case resolveBy = "resolve_by"
        case dispatchBy = "dispatch_by"
        case returnBy = "return_by"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(signBy, forKey: .signBy)
        try container.encode(notifyBy, forKey: .notifyBy)
        try container.encodeIfPresent(feedbackBy, forKey: .feedbackBy)
        try container.encode(resolveBy, forKey: .resolveBy)
        try container.encodeIfPresent(dispatchBy, forKey: .dispatchBy)
        try container.encodeIfPresent(returnBy, forKey: .returnBy)
    }
}
