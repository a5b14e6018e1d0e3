import Foundation

/// `knowledge.drafted`: the outcome of `unit.draft-knowledge`; the draft waits for the unit's reviewer.
public struct KnowledgeDrafted: Codable, Sendable, Hashable, HotlineEvent {
    public static let eventType = EventType.knowledgeDrafted
    private var type = EventTypeTag<KnowledgeDrafted>()
    public var eventID: String
    public var occurredAt: Date
    public var ticketNo: String? { nil }
    public var knowledgeID: String
    /// The draft's number among the entry's revisions (1 for a new entry).
    public var revision: Int
    public var unit: String
    public var kind: KnowledgeKind
    /// The open correction this draft answers, if the entry has one.
    public var correctionID: String?
    public var commandID: String?

    public init(
        eventID: String, occurredAt: Date, knowledgeID: String, revision: Int, unit: String, kind: KnowledgeKind,
        correctionID: String? = nil, commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.knowledgeID = knowledgeID
        self.revision = revision
        self.unit = unit
        self.kind = kind
        self.correctionID = correctionID
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case knowledgeID = "knowledge_id"
        case revision, unit, kind
        case correctionID = "correction_id"
        case commandID = "command_id"
    }
}

/// `knowledge.published`: a reviewer approved a draft; it is the entry's content from now on and is
/// searchable within its validity dates. A public-interest policy says whether it was reported in time.
public struct KnowledgePublished: Codable, Sendable, Hashable, HotlineEvent {
    public static let eventType = EventType.knowledgePublished
    private var type = EventTypeTag<KnowledgePublished>()
    public var eventID: String
    public var occurredAt: Date
    public var ticketNo: String? { nil }
    public var knowledgeID: String
    public var revision: Int
    public var unit: String
    public var kind: KnowledgeKind
    public var title: String
    public var effectiveFrom: Date
    public var validUntil: Date?
    /// For a public-interest policy: reported `on_time`, `late` or `early` (PS §22(三)).
    public var reportTiming: PolicyReportTiming?
    /// Working days between publication and the day it takes effect (public-interest policies).
    public var workingDaysAhead: Int?
    /// The correction this publication completes.
    public var correctionID: String?
    /// Whether that correction was made by its deadline.
    public var correctedOnTime: Bool?
    public var commandID: String?

    public init(
        eventID: String, occurredAt: Date, knowledgeID: String, revision: Int, unit: String, kind: KnowledgeKind,
        title: String, effectiveFrom: Date, validUntil: Date? = nil, reportTiming: PolicyReportTiming? = nil,
        workingDaysAhead: Int? = nil, correctionID: String? = nil, correctedOnTime: Bool? = nil, commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.knowledgeID = knowledgeID
        self.revision = revision
        self.unit = unit
        self.kind = kind
        self.title = title
        self.effectiveFrom = effectiveFrom
        self.validUntil = validUntil
        self.reportTiming = reportTiming
        self.workingDaysAhead = workingDaysAhead
        self.correctionID = correctionID
        self.correctedOnTime = correctedOnTime
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case knowledgeID = "knowledge_id"
        case revision, unit, kind, title
        case effectiveFrom = "effective_from"
        case validUntil = "valid_until"
        case reportTiming = "report_timing"
        case workingDaysAhead = "working_days_ahead"
        case correctionID = "correction_id"
        case correctedOnTime = "corrected_on_time"
        case commandID = "command_id"
    }
}

/// `knowledge.draft-rejected`: the reviewer sent a draft back to its editor.
public struct KnowledgeDraftRejected: Codable, Sendable, Hashable, HotlineEvent {
    public static let eventType = EventType.knowledgeDraftRejected
    private var type = EventTypeTag<KnowledgeDraftRejected>()
    public var eventID: String
    public var occurredAt: Date
    public var ticketNo: String? { nil }
    public var knowledgeID: String
    public var revision: Int
    public var unit: String
    public var commandID: String?

    public init(eventID: String, occurredAt: Date, knowledgeID: String, revision: Int, unit: String, commandID: String? = nil) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.knowledgeID = knowledgeID
        self.revision = revision
        self.unit = unit
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case knowledgeID = "knowledge_id"
        case revision, unit
        case commandID = "command_id"
    }
}

/// `knowledge.withdrawn`: the unit withdrew an entry; it answers no search. It completes an open
/// correction (a wrong entry may be withdrawn rather than corrected).
public struct KnowledgeWithdrawn: Codable, Sendable, Hashable, HotlineEvent {
    public static let eventType = EventType.knowledgeWithdrawn
    private var type = EventTypeTag<KnowledgeWithdrawn>()
    public var eventID: String
    public var occurredAt: Date
    public var ticketNo: String? { nil }
    public var knowledgeID: String
    public var unit: String
    public var correctionID: String?
    public var correctedOnTime: Bool?
    public var commandID: String?

    public init(
        eventID: String, occurredAt: Date, knowledgeID: String, unit: String, correctionID: String? = nil,
        correctedOnTime: Bool? = nil, commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.knowledgeID = knowledgeID
        self.unit = unit
        self.correctionID = correctionID
        self.correctedOnTime = correctedOnTime
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case knowledgeID = "knowledge_id"
        case unit
        case correctionID = "correction_id"
        case correctedOnTime = "corrected_on_time"
        case commandID = "command_id"
    }
}

/// `knowledge.flagged`: the center flagged an error in an entry; its unit must correct it by `due_at`
/// (the sla-timer reminds and records the breach like any other deadline: `knowledge_correction`).
public struct KnowledgeFlagged: Codable, Sendable, Hashable, HotlineEvent {
    public static let eventType = EventType.knowledgeFlagged
    private var type = EventTypeTag<KnowledgeFlagged>()
    public var eventID: String
    public var occurredAt: Date
    public var ticketNo: String? { nil }
    public var knowledgeID: String
    public var correctionID: String
    public var unit: String
    public var dueAt: Date
    public var commandID: String?

    public init(
        eventID: String, occurredAt: Date, knowledgeID: String, correctionID: String, unit: String, dueAt: Date,
        commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.knowledgeID = knowledgeID
        self.correctionID = correctionID
        self.unit = unit
        self.dueAt = dueAt
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case knowledgeID = "knowledge_id"
        case correctionID = "correction_id"
        case unit
        case dueAt = "due_at"
        case commandID = "command_id"
    }
}
