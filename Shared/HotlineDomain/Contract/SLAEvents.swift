import Foundation

/// `sla.warning`: a deadline is near (系统自动催办).
public struct SLAWarning: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.slaWarning
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<SLAWarning>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The assignment; absent for the `dispatch` deadline, which is the center's.
    public var assignmentID: String?
    /// Its unit; absent for the `dispatch` deadline.
    public var unit: String?
    /// Which deadline.
    public var deadline: DeadlineKind
    /// When it falls due.
    public var dueAt: Date

    /// For the `knowledge_correction` deadline: the correction (`knowledge.flagged`) and its entry.
    public var correctionID: String?
    public var knowledgeID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        assignmentID: String? = nil,
        unit: String? = nil,
        deadline: DeadlineKind,
        dueAt: Date
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.assignmentID = assignmentID
        self.unit = unit
        self.deadline = deadline
        self.dueAt = dueAt
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case assignmentID = "assignment_id"
        case unit
        case deadline
        case correctionID = "correction_id"
        case knowledgeID = "knowledge_id"
        case dueAt = "due_at"
    }
}

/// `sla.breached`: a deadline passed unmet.
public struct SLABreached: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.slaBreached
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<SLABreached>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The assignment; absent for the `dispatch` deadline, which is the center's.
    public var assignmentID: String?
    /// Its unit; absent for the `dispatch` deadline.
    public var unit: String?
    /// Which deadline.
    public var deadline: DeadlineKind
    /// When it fell due.
    public var dueAt: Date
    /// Whole elapsed days past `due_at` (docs/contract.md "Deadline arithmetic"): 0 on the breach itself, then 1, 2, …
    /// on the daily overdue ticks of the `resolve` and `follow_up` deadlines (each sent once).
    public var daysOverdue: Int?

    /// For the `knowledge_correction` deadline: the correction (`knowledge.flagged`) and its entry.
    public var correctionID: String?
    public var knowledgeID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        assignmentID: String? = nil,
        unit: String? = nil,
        deadline: DeadlineKind,
        dueAt: Date,
        daysOverdue: Int? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.assignmentID = assignmentID
        self.unit = unit
        self.deadline = deadline
        self.dueAt = dueAt
        self.daysOverdue = daysOverdue
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case assignmentID = "assignment_id"
        case unit
        case deadline
        case correctionID = "correction_id"
        case knowledgeID = "knowledge_id"
        case dueAt = "due_at"
        case daysOverdue = "days_overdue"
    }
}

/// `escalation.raised`: an overdue tier (PS §19) was reached; each tier once per deadline period of an assignment.
public struct EscalationRaised: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.escalationRaised
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<EscalationRaised>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The tier, 1-3.
    public var tier: Int
    /// Who is told (officials, never the citizen).
    public var recipients: [NotificationRecipient]
    /// The overdue assignment.
    public var assignmentID: String?
    /// Its unit.
    public var unit: String?
    /// The deadline overdue.
    public var deadline: DeadlineKind?
    /// Elapsed days since the deadline.
    public var daysOverdue: Double?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        tier: Int,
        recipients: [NotificationRecipient],
        assignmentID: String? = nil,
        unit: String? = nil,
        deadline: DeadlineKind? = nil,
        daysOverdue: Double? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.tier = tier
        self.recipients = recipients
        self.assignmentID = assignmentID
        self.unit = unit
        self.deadline = deadline
        self.daysOverdue = daysOverdue
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case tier
        case recipients
        case assignmentID = "assignment_id"
        case unit
        case deadline
        case daysOverdue = "days_overdue"
    }
}

/// `alert.raised`: an early warning (预警, PS §17).
public struct AlertRaised: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.alertRaised
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<AlertRaised>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// What kind of warning.
    public var alertKind: AlertKind
    /// The units warned or concerned.
    public var units: [String]?
    /// The catalogue item code concerned.
    public var category: String?
    /// The street concerned.
    public var street: String?
    /// The community concerned.
    public var community: String?
    /// How many tickets triggered it, for frequency and hotspot warnings.
    public var count: Int?
    /// A short explanation.
    public var note: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        alertKind: AlertKind,
        units: [String]? = nil,
        category: String? = nil,
        street: String? = nil,
        community: String? = nil,
        count: Int? = nil,
        note: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.alertKind = alertKind
        self.units = units
        self.category = category
        self.street = street
        self.community = community
        self.count = count
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case alertKind = "alert_kind"
        case units
        case category
        case street
        case community
        case count
        case note
    }
}
