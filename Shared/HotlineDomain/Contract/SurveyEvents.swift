import Foundation

/// `survey.sent`: the citizen is asked for a callback survey (回访).
public struct SurveySent: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.surveySent
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<SurveySent>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The survey.
    public var surveyID: String
    /// How, e.g. `sms`, `phone`.
    public var method: String?
    /// The units being rated.
    public var units: [String]?
    /// 1 for the survey after the first resolution, 2 after a re-handling, ….
    public var round: Int?
    /// When it expires unanswered.
    public var expiresAt: Date?
    /// Whether it counts in the satisfaction figures (false: mediation and law-enforcement items).
    public var counted: Bool?
    /// The ticket whose handling is rated, when it is not `ticket_no` (a merged ticket's citizen).
    public var handledTicketNo: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        surveyID: String,
        method: String? = nil,
        units: [String]? = nil,
        round: Int? = nil,
        expiresAt: Date? = nil,
        counted: Bool? = nil,
        handledTicketNo: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.surveyID = surveyID
        self.method = method
        self.units = units
        self.round = round
        self.expiresAt = expiresAt
        self.counted = counted
        self.handledTicketNo = handledTicketNo
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case surveyID = "survey_id"
        case method
        case units
        case round
        case expiresAt = "expires_at"
        case counted
        case handledTicketNo = "handled_ticket_no"
    }
}

/// `survey.completed`: the survey's answer (or a later exclusion, 核减, of a dissatisfaction).
public struct SurveyCompleted: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.surveyCompleted
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<SurveyCompleted>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The survey.
    public var surveyID: String
    /// The ratings, profile-specific.
    public var ratings: JSONValue?
    /// Whether the citizen says it is solved.
    public var solved: Bool?
    /// Whether the citizen says the unit got in touch.
    public var contacted: Bool?
    /// Whether the citizen asked for re-handling.
    public var wantsRehandling: Bool?
    /// The profile's verdict: satisfied or not.
    public var satisfied: Bool?
    /// Whether the ticket goes back for re-handling.
    public var rehandle: Bool?
    /// Whether the center excluded the dissatisfaction from the unit's figures.
    public var excluded: Bool?
    /// The command this event answers (its `message_id`), when it answers one.
    public var commandID: String?
    /// The survey expired unanswered (no response; never counted as satisfied).
    public var expired: Bool?
    /// The survey's round (1, 2 after a re-handling, …).
    public var round: Int?
    /// No further re-handling follows this survey.
    public var final: Bool?
    /// The center is asked to call the citizen back for the reasons (PL §20).
    public var callback: Bool?
    /// Whether it counts in the satisfaction figures.
    public var counted: Bool?
    /// Why the ticket goes back (`low_rating`, `unsatisfied`, `citizen_request`).
    public var reason: String?
    /// The exclusion's note (the unit's request), for an exclusion.
    public var note: String?
    /// The units rated.
    public var units: [String]?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        surveyID: String,
        ratings: JSONValue? = nil,
        solved: Bool? = nil,
        contacted: Bool? = nil,
        wantsRehandling: Bool? = nil,
        satisfied: Bool? = nil,
        rehandle: Bool? = nil,
        excluded: Bool? = nil,
        commandID: String? = nil,
        expired: Bool? = nil,
        round: Int? = nil,
        final: Bool? = nil,
        callback: Bool? = nil,
        counted: Bool? = nil,
        reason: String? = nil,
        note: String? = nil,
        units: [String]? = nil
    ) {
        self.expired = expired
        self.round = round
        self.final = final
        self.callback = callback
        self.counted = counted
        self.reason = reason
        self.note = note
        self.units = units
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.surveyID = surveyID
        self.ratings = ratings
        self.solved = solved
        self.contacted = contacted
        self.wantsRehandling = wantsRehandling
        self.satisfied = satisfied
        self.rehandle = rehandle
        self.excluded = excluded
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case surveyID = "survey_id"
        case ratings
        case solved
        case contacted
        case wantsRehandling = "wants_rehandling"
        case satisfied
        case rehandle
        case excluded
        case commandID = "command_id"
        case expired, round, final, callback, counted, reason, note, units
    }
}

/// `card.issued`: a quarterly yellow or red card (PS §20(二)); no ticket.
public struct CardIssued: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.cardIssued
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<CardIssued>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// Yellow or red.
    public var color: CardColor
    /// The unit carded.
    public var unit: String
    /// The quarter, e.g. `2026Q4`.
    public var quarter: String
    /// Why, e.g. the counts that triggered it.
    public var reason: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String? = nil,
        color: CardColor,
        unit: String,
        quarter: String,
        reason: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.color = color
        self.unit = unit
        self.quarter = quarter
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case color
        case unit
        case quarter
        case reason
    }
}

/// `cards.computed`: the outcome of `center.compute-cards`: every unit's counts in the quarter and
/// every card of the quarter, those this computation issued marked `new` (each also announced by its
/// own `card.issued`).
public struct CardsComputed: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.cardsComputed
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<CardsComputed>()
    public var eventID: String
    public var occurredAt: Date
    /// Always absent: cards concern units, not a ticket.
    public var ticketNo: String? { nil }
    /// The quarter, e.g. `2026Q3`.
    public var quarter: String
    /// Each unit with anything to count in the quarter.
    public var counts: [UnitQuarterCounts]
    /// Every card of the quarter, by unit, red after yellow.
    public var cards: [Card]
    public var commandID: String?

    /// One card of the quarter.
    public struct Card: Codable, Sendable, Hashable {
        public var unit: String
        public var color: CardColor
        public var overdue: Int
        public var shirked: Int
        public var reason: String?
        public var issuedAt: Date
        /// Issued by this computation.
        public var new: Bool

        public init(
            unit: String, color: CardColor, overdue: Int, shirked: Int, reason: String?, issuedAt: Date, new: Bool
        ) {
            self.unit = unit
            self.color = color
            self.overdue = overdue
            self.shirked = shirked
            self.reason = reason
            self.issuedAt = issuedAt
            self.new = new
        }

        enum CodingKeys: String, CodingKey {
            case unit, color, overdue, shirked, reason
            case issuedAt = "issued_at"
            case new
        }
    }

    public init(
        eventID: String, occurredAt: Date, quarter: String, counts: [UnitQuarterCounts], cards: [Card], commandID: String?
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.quarter = quarter
        self.counts = counts
        self.cards = cards
        self.commandID = commandID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case quarter, counts, cards
        case commandID = "command_id"
    }
}

/// `command.rejected`: a command was refused; nothing changed.
public struct CommandRejected: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.commandRejected
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<CommandRejected>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The refused command's `message_id`.
    public var commandID: String?
    /// The refused command's type, as sent.
    public var commandType: String
    /// Why, as a code.
    public var reason: CommandRejection
    /// Why, in a short English sentence.
    public var message: String
    /// The assignment the command named, if any.
    public var assignmentID: String?
    /// Every problem found, for `invalid` (e.g. a survey response's ratings).
    public var errors: [FieldProblem]?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        commandID: String? = nil,
        commandType: String,
        reason: CommandRejection,
        message: String,
        assignmentID: String? = nil,
        errors: [FieldProblem]? = nil
    ) {
        self.errors = errors
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.commandID = commandID
        self.commandType = commandType
        self.reason = reason
        self.message = message
        self.assignmentID = assignmentID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case commandID = "command_id"
        case commandType = "command_type"
        case reason
        case message
        case assignmentID = "assignment_id"
        case errors
    }
}
