import Foundation

/// `ticket.accepted`: a submission became a ticket (also each child of a split, with `parent_no`).
public struct TicketAccepted: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.ticketAccepted
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<TicketAccepted>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The submission this outcome answers.
    public var submissionID: String
    /// Where it came from.
    public var channel: Channel
    /// The kind, given or classified.
    public var kind: TicketKind
    /// The urgency, given or classified.
    public var urgency: Urgency
    /// When the gateway received it: the handling clock starts here.
    public var receivedAt: Date
    /// The catalogue item code, when known.
    public var category: String?
    /// The street (街道) of the location, when known.
    public var street: String?
    /// The community (社区) of the location, when known.
    public var community: String?
    /// The split parent's ticket number, for a child ticket.
    public var parentNo: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        submissionID: String,
        channel: Channel,
        kind: TicketKind,
        urgency: Urgency,
        receivedAt: Date,
        category: String? = nil,
        street: String? = nil,
        community: String? = nil,
        parentNo: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.submissionID = submissionID
        self.channel = channel
        self.kind = kind
        self.urgency = urgency
        self.receivedAt = receivedAt
        self.category = category
        self.street = street
        self.community = community
        self.parentNo = parentNo
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case submissionID = "submission_id"
        case channel
        case kind
        case urgency
        case receivedAt = "received_at"
        case category
        case street
        case community
        case parentNo = "parent_no"
    }
}

/// `ticket.answered`: a consultation answered on the call; the ticket closed at once.
public struct TicketAnswered: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.ticketAnswered
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<TicketAnswered>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The submission this outcome answers.
    public var submissionID: String
    /// Where it came from.
    public var channel: Channel
    /// When the gateway received it.
    public var receivedAt: Date
    /// The catalogue item code, when known.
    public var category: String?
    /// The knowledge-base entry used, if any.
    public var knowledgeID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        submissionID: String,
        channel: Channel,
        receivedAt: Date,
        category: String? = nil,
        knowledgeID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.submissionID = submissionID
        self.channel = channel
        self.receivedAt = receivedAt
        self.category = category
        self.knowledgeID = knowledgeID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case submissionID = "submission_id"
        case channel
        case receivedAt = "received_at"
        case category
        case knowledgeID = "knowledge_id"
    }
}

/// `ticket.rejected`: not accepted (不予受理); the ticket is recorded and closed as such.
public struct TicketRejected: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.ticketRejected
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<TicketRejected>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The submission this outcome answers.
    public var submissionID: String
    /// The reason code.
    public var reason: NonAcceptanceReason
    /// The basis recorded for the decision.
    public var basis: String
    /// For `emergency_redirect`: where the citizen was sent (110, 119, 120, 122).
    public var emergencyNumber: String?
    /// For `out_of_jurisdiction`: the other hotline the demand was transferred to (异地转办, ZS §24;
    /// DY (6)), where the jurisdiction file names one.
    public var transferredTo: Destination?
    /// Where it came from.
    public var channel: Channel?

    /// The hotline a demand went to.
    public struct Destination: Codable, Sendable, Hashable {
        public var code: String
        public var name: String
        /// Its public number, for the citizen.
        public var phone: String?

        public init(code: String, name: String, phone: String? = nil) {
            self.code = code
            self.name = name
            self.phone = phone
        }
    }

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        submissionID: String,
        reason: NonAcceptanceReason,
        basis: String,
        emergencyNumber: String? = nil,
        transferredTo: Destination? = nil,
        channel: Channel? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.submissionID = submissionID
        self.reason = reason
        self.basis = basis
        self.emergencyNumber = emergencyNumber
        self.transferredTo = transferredTo
        self.channel = channel
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case submissionID = "submission_id"
        case reason
        case basis
        case emergencyNumber = "emergency_number"
        case transferredTo = "transferred_to"
        case channel
    }
}

/// `ticket.merged`: merged (并案) into a ticket still being handled; the citizen is linked to it.
public struct TicketMerged: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.ticketMerged
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<TicketMerged>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The submission this outcome answers.
    public var submissionID: String
    /// The ticket number it was merged into.
    public var mergedInto: String
    /// Where it came from.
    public var channel: Channel?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        submissionID: String,
        mergedInto: String,
        channel: Channel? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.submissionID = submissionID
        self.mergedInto = mergedInto
        self.channel = channel
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case submissionID = "submission_id"
        case mergedInto = "merged_into"
        case channel
    }
}

/// `ticket.split`: split (拆分) into one child ticket per demand; `ticket_no` is the parent.
public struct TicketSplit: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.ticketSplit
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<TicketSplit>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The submission this outcome answers.
    public var submissionID: String
    /// The child tickets' numbers, in the order of the demands.
    public var children: [String]
    /// Where it came from.
    public var channel: Channel?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String?,
        submissionID: String,
        children: [String],
        channel: Channel? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.submissionID = submissionID
        self.children = children
        self.channel = channel
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case submissionID = "submission_id"
        case children
        case channel
    }
}

/// `submission.invalid`: a submission that breaks the contract; the raw message is kept.
public struct SubmissionInvalid: Codable, Sendable, Hashable, HotlineEvent {
    /// This event's type.
    public static let eventType = EventType.submissionInvalid
    /// The `type` field, written from `eventType` and checked on decode.
    private var type = EventTypeTag<SubmissionInvalid>()
    /// Unique id of this event (also its AMQP `message_id`).
    public var eventID: String
    /// When it happened, by the emitting service's clock.
    public var occurredAt: Date
    /// The ticket, where there is one.
    public var ticketNo: String?
    /// The submission's id, when it could be read.
    public var submissionID: String?
    /// Every problem found.
    public var errors: [FieldProblem]
    /// The id under which the raw message is kept.
    public var invalidID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        eventID: String,
        occurredAt: Date,
        ticketNo: String? = nil,
        submissionID: String? = nil,
        errors: [FieldProblem],
        invalidID: String? = nil
    ) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.ticketNo = ticketNo
        self.submissionID = submissionID
        self.errors = errors
        self.invalidID = invalidID
    }

    enum CodingKeys: String, CodingKey {
        case type
        case eventID = "event_id"
        case occurredAt = "occurred_at"
        case ticketNo = "ticket_no"
        case submissionID = "submission_id"
        case errors
        case invalidID = "invalid_id"
    }
}
