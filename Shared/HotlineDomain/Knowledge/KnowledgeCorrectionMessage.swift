import Foundation

/// The AMQP `type` of a knowledge-base message on a unit's queue `hotline.unit.<code>`.
public enum KnowledgeMessageType: String, Codable, Sendable, CaseIterable {
    /// The center flagged an entry of the unit (from the knowledge service).
    case correctionRequested = "knowledge.correction-requested"
    /// The correction falls due soon (from the escalation notifier, at the profile's warning points).
    case correctionReminder = "knowledge.correction-reminder"
    /// The correction is overdue (from the escalation notifier, at the deadline).
    case correctionOverdue = "knowledge.correction-overdue"
}

/// What a unit's system is told about a correction of one of its entries (PS §22(五)).
public struct KnowledgeCorrectionMessage: Codable, Sendable, Hashable {
    public var correctionID: String
    public var knowledgeID: String
    /// The deadline of the correction.
    public var dueAt: Date
    /// What the center found wrong (`correction-requested` only).
    public var problem: String?
    /// The entry's title (`correction-requested` only).
    public var title: String?

    public init(correctionID: String, knowledgeID: String, dueAt: Date, problem: String? = nil, title: String? = nil) {
        self.correctionID = correctionID
        self.knowledgeID = knowledgeID
        self.dueAt = dueAt
        self.problem = problem
        self.title = title
    }

    enum CodingKeys: String, CodingKey {
        case correctionID = "correction_id"
        case knowledgeID = "knowledge_id"
        case dueAt = "due_at"
        case problem, title
    }
}
