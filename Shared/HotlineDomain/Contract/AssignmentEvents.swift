import Foundation

/// `assignment.signed`: the unit signed (签收) the assignment, or it was signed automatically.
public struct AssignmentSigned: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.assignmentSigned
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<AssignmentSigned>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The assignment.
    public var assignmentID: String
    /// The assignment's unit code.
    public var unit: String
    /// Whether it was signed automatically when the sign deadline passed.
    public var auto: Bool
    /// The unit's part; for `parallel`, signing claims the ticket.
    public var role: AssignmentRole?
    /// The command this event answers (its `message_id`), when it answers one.
    public var commandID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        assignmentID: String,
        unit: String,
        auto: Bool,
        role: AssignmentRole? = nil,
        commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.assignmentID = assignmentID
        self.unit = unit
        self.auto = auto
        self.role = role
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case assignmentID = "assignment_id"
        case unit
        case auto
        case role
        case commandID = "command_id"
    }
}

/// `assignment.citizen-notified`: the unit told the citizen (受理告知 or progress).
public struct AssignmentCitizenNotified: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.assignmentCitizenNotified
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<AssignmentCitizenNotified>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The assignment.
    public var assignmentID: String
    /// The assignment's unit code.
    public var unit: String
    /// Which notice.
    public var stage: CitizenNoticeStage
    /// How, e.g. `phone`, `sms`.
    public var method: String
    /// When the citizen was told.
    public var at: Date
    /// The command this event answers (its `message_id`), when it answers one.
    public var commandID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        assignmentID: String,
        unit: String,
        stage: CitizenNoticeStage,
        method: String,
        at: Date,
        commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.assignmentID = assignmentID
        self.unit = unit
        self.stage = stage
        self.method = method
        self.at = at
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case assignmentID = "assignment_id"
        case unit
        case stage
        case method
        case at
        case commandID = "command_id"
    }
}

/// `assignment.return-requested`: the unit asked the center to take the assignment back (退回).
public struct AssignmentReturnRequested: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.assignmentReturnRequested
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<AssignmentReturnRequested>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The assignment.
    public var assignmentID: String
    /// The assignment's unit code.
    public var unit: String
    /// The unit's reason code.
    public var reasonCode: String
    /// The unit's reason.
    public var reason: String
    /// The unit's basis (legal or catalogue).
    public var basis: String
    /// The unit the requester thinks is responsible.
    public var suggestedUnit: String?
    /// Whether it was asked after the return window (counted as an overdue return if approved).
    public var late: Bool?
    /// The unit's written return explanation (书面退单说明), when it gave one.
    public var writtenExplanation: String?
    /// The command this event answers (its `message_id`), when it answers one.
    public var commandID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        assignmentID: String,
        unit: String,
        reasonCode: String,
        reason: String,
        basis: String,
        suggestedUnit: String? = nil,
        late: Bool? = nil,
        writtenExplanation: String? = nil,
        commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.assignmentID = assignmentID
        self.unit = unit
        self.reasonCode = reasonCode
        self.reason = reason
        self.basis = basis
        self.suggestedUnit = suggestedUnit
        self.late = late
        self.writtenExplanation = writtenExplanation
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case assignmentID = "assignment_id"
        case unit
        case reasonCode = "reason_code"
        case reason
        case basis
        case suggestedUnit = "suggested_unit"
        case late
        case writtenExplanation = "written_explanation"
        case commandID = "command_id"
    }
}

/// `assignment.transferred`: the assignment's unit was retired and the assignment ended; the
/// successor named took it over (its new assignment in `ticket.dispatched`), or the ticket went to
/// manual dispatch, or nothing replaces it (docs/rules.md "Retired units"); or a co-unit's part ended
/// because its lead went and the ticket went to manual dispatch. Not a return.
public struct AssignmentTransferred: Codable, Sendable, Hashable, HotlineEvent {
    /// `reason` when the unit was retired.
    public static let unitRetired = "unit_retired"
    /// `reason` of a co-unit's part when its lead was retired and the ticket went to manual dispatch.
    public static let leadRetired = "lead_retired"
    /// `reason` of a co-unit's part when its lead's return was approved and the ticket went to manual
    /// dispatch (docs/rules.md "Dispatch").
    public static let leadReturned = "lead_returned"

    /// This event's type.
    public static let eventType = EventType.assignmentTransferred
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<AssignmentTransferred>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The assignment that ended.
    public var assignmentID: String
    /// Its (retired) unit's code.
    public var unit: String
    /// Why: `unit_retired`, or `lead_retired` (a co-unit's part, its lead retired without successor).
    public var reason: String
    /// The unit that took it over, if one did.
    public var successor: String?
    /// The successor's new assignment, if one was made.
    public var successorAssignmentID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        assignmentID: String,
        unit: String,
        reason: String,
        successor: String? = nil,
        successorAssignmentID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.assignmentID = assignmentID
        self.unit = unit
        self.reason = reason
        self.successor = successor
        self.successorAssignmentID = successorAssignmentID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case assignmentID = "assignment_id"
        case unit
        case reason
        case successor
        case successorAssignmentID = "successor_assignment_id"
    }
}

/// `assignment.returned`: the center approved a return; the assignment ends.
public struct AssignmentReturned: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.assignmentReturned
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<AssignmentReturned>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The assignment.
    public var assignmentID: String
    /// The assignment's unit code.
    public var unit: String
    /// The unit the ticket goes to next, when the center named one.
    public var reassignedTo: String?
    /// The center's note.
    public var note: String?
    /// Whether it counts as an overdue return.
    public var overdue: Bool?
    /// The command this event answers (its `message_id`), when it answers one.
    public var commandID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        assignmentID: String,
        unit: String,
        reassignedTo: String? = nil,
        note: String? = nil,
        overdue: Bool? = nil,
        commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.assignmentID = assignmentID
        self.unit = unit
        self.reassignedTo = reassignedTo
        self.note = note
        self.overdue = overdue
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case assignmentID = "assignment_id"
        case unit
        case reassignedTo = "reassigned_to"
        case note
        case overdue
        case commandID = "command_id"
    }
}

/// `assignment.return-denied`: the center denied a return; the unit must handle it and may not ask again.
public struct AssignmentReturnDenied: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.assignmentReturnDenied
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<AssignmentReturnDenied>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The assignment.
    public var assignmentID: String
    /// The assignment's unit code.
    public var unit: String
    /// The center's note.
    public var note: String?
    /// The command this event answers (its `message_id`), when it answers one.
    public var commandID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        assignmentID: String,
        unit: String,
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

/// `assignment.extension-requested`: the unit asked for more time (延期).
public struct AssignmentExtensionRequested: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.assignmentExtensionRequested
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<AssignmentExtensionRequested>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The assignment.
    public var assignmentID: String
    /// The assignment's unit code.
    public var unit: String
    /// The request, to name in `center.decide-extension`.
    public var requestID: String
    /// The working days asked for.
    public var workingDays: Int
    /// The unit's reason.
    public var reason: String?
    /// The command this event answers (its `message_id`), when it answers one.
    public var commandID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        assignmentID: String,
        unit: String,
        requestID: String,
        workingDays: Int,
        reason: String? = nil,
        commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.assignmentID = assignmentID
        self.unit = unit
        self.requestID = requestID
        self.workingDays = workingDays
        self.reason = reason
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case assignmentID = "assignment_id"
        case unit
        case requestID = "request_id"
        case workingDays = "working_days"
        case reason
        case commandID = "command_id"
    }
}

/// `assignment.extended`: the center approved an extension.
public struct AssignmentExtended: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.assignmentExtended
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<AssignmentExtended>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The assignment.
    public var assignmentID: String
    /// The assignment's unit code.
    public var unit: String
    /// The new resolve deadline.
    public var resolveBy: Date
    /// The request approved.
    public var requestID: String?
    /// The working days granted.
    public var workingDays: Int?
    /// The center's note.
    public var note: String?
    /// How many extensions the assignment has had, this one included.
    public var extensionsGranted: Int?
    /// The command this event answers (its `message_id`), when it answers one.
    public var commandID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        assignmentID: String,
        unit: String,
        resolveBy: Date,
        requestID: String? = nil,
        workingDays: Int? = nil,
        note: String? = nil,
        extensionsGranted: Int? = nil,
        commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.assignmentID = assignmentID
        self.unit = unit
        self.resolveBy = resolveBy
        self.requestID = requestID
        self.workingDays = workingDays
        self.note = note
        self.extensionsGranted = extensionsGranted
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case assignmentID = "assignment_id"
        case unit
        case resolveBy = "resolve_by"
        case requestID = "request_id"
        case workingDays = "working_days"
        case note
        case extensionsGranted = "extensions_granted"
        case commandID = "command_id"
    }
}

/// `assignment.extension-denied`: the center denied an extension.
public struct AssignmentExtensionDenied: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.assignmentExtensionDenied
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<AssignmentExtensionDenied>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The assignment.
    public var assignmentID: String
    /// The assignment's unit code.
    public var unit: String
    /// The request denied.
    public var requestID: String?
    /// The center's note.
    public var note: String?
    /// The command this event answers (its `message_id`), when it answers one.
    public var commandID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        assignmentID: String,
        unit: String,
        requestID: String? = nil,
        note: String? = nil,
        commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.assignmentID = assignmentID
        self.unit = unit
        self.requestID = requestID
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
        case requestID = "request_id"
        case note
        case commandID = "command_id"
    }
}

/// `assignment.resolution-submitted`: the unit submitted its answer (办结), a stage resolution, or a
/// co-unit its part for the lead; the center reviews the first two.
public struct AssignmentResolutionSubmitted: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.assignmentResolutionSubmitted
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<AssignmentResolutionSubmitted>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The assignment.
    public var assignmentID: String
    /// The assignment's unit code.
    public var unit: String
    /// What was submitted; absent means `final`.
    public var resolutionKind: ResolutionKind?
    /// The outcome of a final resolution.
    public var outcome: ResolutionOutcome?
    /// When the unit says it handled the matter.
    public var handledAt: Date?
    /// For a stage resolution: the follow-up deadline.
    public var followUpBy: Date?
    /// Whether a case was filed, as the unit said (PL §15(三)).
    public var caseFiling: CaseFiling?
    /// The head's signed statement of duty performed, with a re-handling's resolution (PL §19(三)).
    public var dutyStatement: DutyStatement?
    /// The command this event answers (its `message_id`), when it answers one.
    public var commandID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        assignmentID: String,
        unit: String,
        resolutionKind: ResolutionKind? = nil,
        outcome: ResolutionOutcome? = nil,
        handledAt: Date? = nil,
        followUpBy: Date? = nil,
        caseFiling: CaseFiling? = nil,
        dutyStatement: DutyStatement? = nil,
        commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.assignmentID = assignmentID
        self.unit = unit
        self.resolutionKind = resolutionKind
        self.outcome = outcome
        self.handledAt = handledAt
        self.followUpBy = followUpBy
        self.caseFiling = caseFiling
        self.dutyStatement = dutyStatement
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case assignmentID = "assignment_id"
        case unit
        case resolutionKind = "resolution_kind"
        case outcome
        case handledAt = "handled_at"
        case followUpBy = "follow_up_by"
        case caseFiling = "case_filing"
        case dutyStatement = "duty_statement"
        case commandID = "command_id"
    }
}

/// `assignment.replanned`: the dispatcher planned an assignment's deadlines anew outside a command's
/// outcome; the sla-timer arms them. Reason `reopened`: re-handling (重办) after the survey's
/// `ticket.reopened`, planned from `reopened_at`.
public struct AssignmentReplanned: Codable, Sendable, Hashable, HotlineEvent {
    /// `reason` of a reopen.
    public static let reopened = "reopened"

    /// This event's type.
    public static let eventType = EventType.assignmentReplanned
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<AssignmentReplanned>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The assignment.
    public var assignmentID: String
    /// The assignment's unit code.
    public var unit: String
    /// Why: `reopened` (an open vocabulary).
    public var reason: String
    /// The deadlines as planned now.
    public var deadlines: AssignmentDeadlines
    /// For `reopened`: the reopening (the `occurred_at` of `ticket.reopened`), where the re-handling
    /// limit starts.
    public var reopenedAt: Date?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        assignmentID: String,
        unit: String,
        reason: String,
        deadlines: AssignmentDeadlines,
        reopenedAt: Date? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.assignmentID = assignmentID
        self.unit = unit
        self.reason = reason
        self.deadlines = deadlines
        self.reopenedAt = reopenedAt
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case assignmentID = "assignment_id"
        case unit
        case reason
        case deadlines
        case reopenedAt = "reopened_at"
    }
}
