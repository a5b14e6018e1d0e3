import Foundation

/// `verification.requested` on the street office's queue `hotline.unit.<code>`: a demand its grid worker
/// is to verify on site before it is accepted (PS §8(一)3), answered with `unit.report-verification`.
public struct VerificationRequest: Codable, Sendable, Hashable {
    /// The AMQP `type` of the message.
    public static let messageType = "verification.requested"

    public var verificationID: String
    public var submissionID: String
    /// When the verification is due.
    public var dueBy: Date
    public var kind: TicketKind
    public var urgency: Urgency
    public var category: String?
    public var title: String?
    public var description: String
    public var location: Location?
    /// The citizen as the units see them (`Citizen.asSeenByUnits`): the grid worker may need to call.
    public var citizen: Citizen

    public init(
        verificationID: String, submissionID: String, dueBy: Date, plan: TicketPlan, citizen: Citizen
    ) {
        self.verificationID = verificationID
        self.submissionID = submissionID
        self.dueBy = dueBy
        kind = plan.kind
        urgency = plan.urgency
        category = plan.category
        title = plan.title
        description = plan.description
        location = plan.location
        self.citizen = citizen.asSeenByUnits
    }

    enum CodingKeys: String, CodingKey {
        case verificationID = "verification_id"
        case submissionID = "submission_id"
        case dueBy = "due_by"
        case kind, urgency, category, title, description, location, citizen
    }
}
