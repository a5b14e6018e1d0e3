import Foundation

/// `submission.verification-requested`: intake holds a submission for the street's grid worker to
/// verify on site (PS §8(一)3); its outcome follows the verification or the time limit.
public struct SubmissionVerificationRequested: Codable, Sendable, Hashable, HotlineEvent {
    public static let eventType = EventType.submissionVerificationRequested
    private var type = EventTypeTag<SubmissionVerificationRequested>()
    public var eventID: String
    public var occurredAt: Date
    /// No ticket yet: one is made once the matter is verified.
    public var ticketNo: String? { nil }
    public var submissionID: String
    public var verificationID: String
    /// The street office whose grid worker verifies.
    public var unit: String
    public var street: String
    public var dueBy: Date
    public var channel: Channel

    public init(
        eventID: String, occurredAt: Date, submissionID: String, verificationID: String, unit: String, street: String,
        dueBy: Date, channel: Channel
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.submissionID = submissionID
        self.verificationID = verificationID
        self.unit = unit
        self.street = street
        self.dueBy = dueBy
        self.channel = channel
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case submissionID = "submission_id"
        case verificationID = "verification_id"
        case unit, street
        case dueBy = "due_by"
        case channel
    }
}

/// `submission.verification-reported`: the street office reported the verification (answers
/// `unit.report-verification`); the submission's outcome (`ticket_no`) was decided with it.
public struct SubmissionVerificationReported: Codable, Sendable, Hashable, HotlineEvent {
    public static let eventType = EventType.submissionVerificationReported
    private var type = EventTypeTag<SubmissionVerificationReported>()
    public var eventID: String
    public var occurredAt: Date
    /// The ticket the submission's outcome made.
    public var ticketNo: String?
    public var submissionID: String
    public var verificationID: String
    public var unit: String
    public var verified: Bool
    public var verifiedAt: Date
    /// Whether `verified_at` lies within the time limit.
    public var onTime: Bool
    public var commandID: String?

    public init(
        eventID: String, occurredAt: Date, ticketNo: String?, submissionID: String, verificationID: String, unit: String,
        verified: Bool, verifiedAt: Date, onTime: Bool, commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.submissionID = submissionID
        self.verificationID = verificationID
        self.unit = unit
        self.verified = verified
        self.verifiedAt = verifiedAt
        self.onTime = onTime
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case submissionID = "submission_id"
        case verificationID = "verification_id"
        case unit, verified
        case verifiedAt = "verified_at"
        case onTime = "on_time"
        case commandID = "command_id"
    }
}

/// `submission.verification-lapsed`: no verification came within the time limit; the submission was
/// decided without it (`ticket_no`), so that the citizen's demand is not lost to the wait.
public struct SubmissionVerificationLapsed: Codable, Sendable, Hashable, HotlineEvent {
    public static let eventType = EventType.submissionVerificationLapsed
    private var type = EventTypeTag<SubmissionVerificationLapsed>()
    public var eventID: String
    public var occurredAt: Date
    public var ticketNo: String?
    public var submissionID: String
    public var verificationID: String
    public var unit: String
    public var dueBy: Date

    public init(
        eventID: String, occurredAt: Date, ticketNo: String?, submissionID: String, verificationID: String, unit: String,
        dueBy: Date
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.submissionID = submissionID
        self.verificationID = verificationID
        self.unit = unit
        self.dueBy = dueBy
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case submissionID = "submission_id"
        case verificationID = "verification_id"
        case unit
        case dueBy = "due_by"
    }
}
