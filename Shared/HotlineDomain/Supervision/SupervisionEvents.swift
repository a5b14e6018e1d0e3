import Foundation

/// `supervision.opened`: a supervision case and its notice (督办通知书); the unit gets it on its queue.
public struct SupervisionOpened: Codable, Sendable, Hashable, HotlineEvent {
    public static let eventType = EventType.supervisionOpened
    private var type = EventTypeTag<SupervisionOpened>()
    public var eventID: String
    public var occurredAt: Date
    /// The ticket, when the case is about one.
    public var ticketNo: String?
    public var supervisionID: String
    public var unit: String
    public var ground: SupervisionGround
    public var mode: SupervisionMode
    /// 1 when opened (PS §18(一): the level rises at each escalation).
    public var level: Int
    public var answerBy: Date
    public var note: String
    public var commandID: String?

    public init(
        eventID: String, occurredAt: Date, ticketNo: String?, supervisionID: String, unit: String, ground: SupervisionGround,
        mode: SupervisionMode, level: Int, answerBy: Date, note: String, commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.supervisionID = supervisionID
        self.unit = unit
        self.ground = ground
        self.mode = mode
        self.level = level
        self.answerBy = answerBy
        self.note = note
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case supervisionID = "supervision_id"
        case unit, ground, mode, level
        case answerBy = "answer_by"
        case note
        case commandID = "command_id"
    }
}

/// `supervision.answered`: the unit answered the notice; `on_time` by its `answer_by`.
public struct SupervisionAnswered: Codable, Sendable, Hashable, HotlineEvent {
    public static let eventType = EventType.supervisionAnswered
    private var type = EventTypeTag<SupervisionAnswered>()
    public var eventID: String
    public var occurredAt: Date
    public var ticketNo: String?
    public var supervisionID: String
    public var unit: String
    public var level: Int
    public var onTime: Bool
    public var commandID: String?

    public init(
        eventID: String, occurredAt: Date, ticketNo: String?, supervisionID: String, unit: String, level: Int, onTime: Bool,
        commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.supervisionID = supervisionID
        self.unit = unit
        self.level = level
        self.onTime = onTime
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case supervisionID = "supervision_id"
        case unit, level
        case onTime = "on_time"
        case commandID = "command_id"
    }
}

/// `supervision.escalated`: the case rose a level, with a mode and a new time to answer; the unit gets
/// it on its queue.
public struct SupervisionEscalated: Codable, Sendable, Hashable, HotlineEvent {
    public static let eventType = EventType.supervisionEscalated
    private var type = EventTypeTag<SupervisionEscalated>()
    public var eventID: String
    public var occurredAt: Date
    public var ticketNo: String?
    public var supervisionID: String
    public var unit: String
    public var mode: SupervisionMode
    public var level: Int
    public var answerBy: Date
    public var note: String
    public var commandID: String?

    public init(
        eventID: String, occurredAt: Date, ticketNo: String?, supervisionID: String, unit: String, mode: SupervisionMode,
        level: Int, answerBy: Date, note: String, commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.supervisionID = supervisionID
        self.unit = unit
        self.mode = mode
        self.level = level
        self.answerBy = answerBy
        self.note = note
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case supervisionID = "supervision_id"
        case unit, mode, level
        case answerBy = "answer_by"
        case note
        case commandID = "command_id"
    }
}

/// `supervision.closed`: the case is closed; `referral_grounds` not empty when it was referred to the
/// discipline commission. The unit gets it on its queue.
public struct SupervisionClosed: Codable, Sendable, Hashable, HotlineEvent {
    public static let eventType = EventType.supervisionClosed
    private var type = EventTypeTag<SupervisionClosed>()
    public var eventID: String
    public var occurredAt: Date
    public var ticketNo: String?
    public var supervisionID: String
    public var unit: String
    public var level: Int
    public var referralGrounds: [DisciplineGround]
    public var note: String
    public var commandID: String?

    public init(
        eventID: String, occurredAt: Date, ticketNo: String?, supervisionID: String, unit: String, level: Int,
        referralGrounds: [DisciplineGround], note: String, commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.supervisionID = supervisionID
        self.unit = unit
        self.level = level
        self.referralGrounds = referralGrounds
        self.note = note
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case supervisionID = "supervision_id"
        case unit, level
        case referralGrounds = "referral_grounds"
        case note
        case commandID = "command_id"
    }
}
