import Foundation

/// `assessment.appealed`: a unit's appeal is on file for the center's investigation (the outcome of
/// `unit.appeal-assessment`). The reason stays in the record, not in the event.
public struct AssessmentAppealed: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.assessmentAppealed
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<AssessmentAppealed>()
    public var eventID: String
    public var occurredAt: Date
    /// The ticket whose counting is contested.
    public var ticketNo: String?
    /// The appeal, for `center.decide-appeal`.
    public var appealID: String
    /// The unit appealing.
    public var unit: String
    /// The indicator contested.
    public var indicator: ReportRateKind
    /// The command this event answers (its `message_id`).
    public var commandID: String?

    public init(
        eventID: String, occurredAt: Date, ticketNo: String, appealID: String, unit: String, indicator: ReportRateKind,
        commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.appealID = appealID
        self.unit = unit
        self.indicator = indicator
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case appealID = "appeal_id"
        case unit, indicator
        case commandID = "command_id"
    }
}

/// `assessment.appeal-decided`: the center upheld or dismissed an appeal (the outcome of
/// `center.decide-appeal`); the unit gets it on its queue too.
public struct AssessmentAppealDecided: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.assessmentAppealDecided
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<AssessmentAppealDecided>()
    public var eventID: String
    public var occurredAt: Date
    public var ticketNo: String?
    public var appealID: String
    public var unit: String
    public var indicator: ReportRateKind
    /// Upheld: the ticket no longer counts in the indicator for the unit.
    public var upheld: Bool
    /// What the center's investigation found.
    public var note: String
    public var commandID: String?

    public init(
        eventID: String, occurredAt: Date, ticketNo: String, appealID: String, unit: String, indicator: ReportRateKind,
        upheld: Bool, note: String, commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.appealID = appealID
        self.unit = unit
        self.indicator = indicator
        self.upheld = upheld
        self.note = note
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case appealID = "appeal_id"
        case unit, indicator, upheld, note
        case commandID = "command_id"
    }
}

/// `assessment.points-awarded`: the center awarded a unit an item of an award kind (the outcome of
/// `center.award-points`); the unit gets it on its queue too.
public struct AssessmentPointsAwarded: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.assessmentPointsAwarded
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<AssessmentPointsAwarded>()
    public var eventID: String
    public var occurredAt: Date
    /// The ticket it is for, when there is one.
    public var ticketNo: String?
    public var awardID: String
    public var unit: String
    public var kind: String
    /// The profile's points for one item of the kind (the period's cap applies in the report).
    public var points: Double
    public var commandID: String?

    public init(
        eventID: String, occurredAt: Date, ticketNo: String?, awardID: String, unit: String, kind: String, points: Double,
        commandID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.awardID = awardID
        self.unit = unit
        self.kind = kind
        self.points = points
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case awardID = "award_id"
        case unit, kind, points
        case commandID = "command_id"
    }
}
