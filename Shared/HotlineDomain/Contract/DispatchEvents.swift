import Foundation

/// One assignment made by a dispatch: an item of `ticket.dispatched`'s `assignments`.
public struct DispatchedAssignment: Codable, Sendable, Hashable {
    /// The new assignment.
    public var assignmentID: String
    /// The unit code it went to.
    public var unit: String
    /// The unit's part.
    public var role: AssignmentRole
    /// Its deadlines.
    public var deadlines: AssignmentDeadlines?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        assignmentID: String, unit: String, role: AssignmentRole, deadlines: AssignmentDeadlines? = nil
    ) {
        self.assignmentID = assignmentID
        self.unit = unit
        self.role = role
        self.deadlines = deadlines
    }

    enum CodingKeys: String, CodingKey {
        case assignmentID = "assignment_id"
        case unit
        case role
        case deadlines
    }
}

/// `ticket.dispatched`: the ticket was assigned (分拨) to units.
public struct TicketDispatched: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.ticketDispatched
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<TicketDispatched>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The assignments made.
    public var assignments: [DispatchedAssignment]
    /// How it was dispatched.
    public var mode: DispatchMode?
    /// Whether a human dispatcher decided it (`center.dispatch`).
    public var manual: Bool?
    /// The command this event answers (its `message_id`), when it answers one.
    public var commandID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        assignments: [DispatchedAssignment],
        mode: DispatchMode? = nil,
        manual: Bool? = nil,
        commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.assignments = assignments
        self.mode = mode
        self.manual = manual
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case assignments
        case mode
        case manual
        case commandID = "command_id"
    }
}

/// `ticket.dispatch-manual`: the dispatcher could not decide; a human dispatcher must.
public struct TicketDispatchManual: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.ticketDispatchManual
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<TicketDispatchManual>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// Why, e.g. `no catalogue item`, `ambiguous`.
    public var reason: String
    /// Units the dispatcher considered.
    public var candidates: [String]?
    /// The catalogue item code, when known.
    public var category: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        reason: String,
        candidates: [String]? = nil,
        category: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.reason = reason
        self.candidates = candidates
        self.category = category
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case reason
        case candidates
        case category
    }
}
