import Foundation

/// `ticket.resolution-rejected`: the center sent a resolution back; the deadline is neither paused nor reset.
public struct TicketResolutionRejected: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.ticketResolutionRejected
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<TicketResolutionRejected>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The assignment whose resolution was rejected.
    public var assignmentID: String?
    /// Its unit.
    public var unit: String?
    /// The center's note.
    public var note: String?
    /// The command this event answers (its `message_id`), when it answers one.
    public var commandID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        assignmentID: String? = nil,
        unit: String? = nil,
        note: String? = nil,
        commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.assignmentID = assignmentID
        self.unit = unit
        self.note = note
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case assignmentID = "assignment_id"
        case unit
        case note
        case commandID = "command_id"
    }
}

/// `ticket.resolved`: the center approved the resolution; the survey follows.
public struct TicketResolved: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.ticketResolved
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<TicketResolved>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The assignment whose resolution was approved.
    public var assignmentID: String?
    /// Its unit.
    public var unit: String?
    /// The outcome.
    public var outcome: ResolutionOutcome?
    /// The command this event answers (its `message_id`), when it answers one.
    public var commandID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        assignmentID: String? = nil,
        unit: String? = nil,
        outcome: ResolutionOutcome? = nil,
        commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.assignmentID = assignmentID
        self.unit = unit
        self.outcome = outcome
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case assignmentID = "assignment_id"
        case unit
        case outcome
        case commandID = "command_id"
    }
}

/// `ticket.stage-resolved`: the center approved a stage resolution (阶段性办结) with a follow-up deadline.
public struct TicketStageResolved: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.ticketStageResolved
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<TicketStageResolved>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The assignment.
    public var assignmentID: String?
    /// Its unit.
    public var unit: String?
    /// The follow-up deadline.
    public var followUpBy: Date?
    /// The command this event answers (its `message_id`), when it answers one.
    public var commandID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        assignmentID: String? = nil,
        unit: String? = nil,
        followUpBy: Date? = nil,
        commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.assignmentID = assignmentID
        self.unit = unit
        self.followUpBy = followUpBy
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case assignmentID = "assignment_id"
        case unit
        case followUpBy = "follow_up_by"
        case commandID = "command_id"
    }
}

/// `ticket.reopened`: re-handling (重办) after the survey; the named assignment is reopened.
public struct TicketReopened: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.ticketReopened
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<TicketReopened>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The reopened assignment.
    public var assignmentID: String
    /// Its unit.
    public var unit: String?
    /// Why, e.g. `low_rating`, `citizen_request`.
    public var reason: String?
    /// The survey that caused it.
    public var surveyID: String?
    /// The command this event answers (its `message_id`), when it answers one.
    public var commandID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        assignmentID: String,
        unit: String? = nil,
        reason: String? = nil,
        surveyID: String? = nil,
        commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.assignmentID = assignmentID
        self.unit = unit
        self.reason = reason
        self.surveyID = surveyID
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case assignmentID = "assignment_id"
        case unit
        case reason
        case surveyID = "survey_id"
        case commandID = "command_id"
    }
}

/// `ticket.closed`: the ticket is finished.
public struct TicketClosed: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.ticketClosed
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<TicketClosed>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// How it ended, e.g. `resolved`, `answered`, `not_accepted`, `merged`, `split`.
    public var reason: String?
    /// The command this event answers (its `message_id`), when it answers one.
    public var commandID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String, occurredAt: Date, ticketNo: String?, reason: String? = nil, commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.reason = reason
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case reason
        case commandID = "command_id"
    }
}

/// `ticket.concluded`: the unit that handled a closed ticket filed its written conclusion notice
/// (事件终结告知书, PS §15(六)); intake no longer accepts the same matter from its citizens.
public struct TicketConcluded: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.ticketConcluded
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<TicketConcluded>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket concluded (always present).
    public var ticketNo: String?
    /// The unit that filed it.
    public var unit: String
    /// The notice's document number.
    public var noticeNo: String
    /// When the unit issued the notice.
    public var issuedAt: Date
    /// Whether intake can recognise the same matter when it is raised again: false when the ticket's
    /// demand has no citizen key (an anonymous citizen without a phone) or no catalogue category.
    public var barsRepeats: Bool
    /// The command this event answers (its `message_id`).
    public var commandID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String, occurredAt: Date, ticketNo: String?, unit: String, noticeNo: String, issuedAt: Date,
        barsRepeats: Bool, commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.unit = unit
        self.noticeNo = noticeNo
        self.issuedAt = issuedAt
        self.barsRepeats = barsRepeats
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case unit
        case noticeNo = "notice_no"
        case issuedAt = "issued_at"
        case barsRepeats = "bars_repeats"
        case commandID = "command_id"
    }
}
