import Foundation

/// `assignment.created`: a new assignment for a unit, on `hotline.unit.<code>`. The only message that
/// carries the citizen's contact data out of the platform.
public struct AssignmentCreated: Codable, Sendable, Hashable {
    /// The assignment.
    public var assignmentID: String
    /// The ticket.
    public var ticketNo: String
    /// The unit code it is for.
    public var unit: String
    /// The unit's part.
    public var role: AssignmentRole
    /// The ticket's kind.
    public var kind: TicketKind
    /// The ticket's urgency.
    public var urgency: Urgency
    /// The catalogue item code.
    public var category: String?
    /// The ticket's title.
    public var title: String?
    /// What the citizen asks.
    public var description: String
    /// Where.
    public var location: Location?
    /// Who asks (personal data: only for the handling units).
    public var citizen: Citizen
    /// The lead unit, for a co-unit.
    public var leadUnit: String?
    /// The co-units, for a lead (empty otherwise).
    public var coUnits: [String]
    /// The unit's deadlines.
    public var deadlines: AssignmentDeadlines
    /// Whether the unit may ask for a return.
    public var returnAllowed: Bool
    /// Whether the unit may ask for an extension.
    public var extensionAllowed: Bool
    /// Earlier assignments of the ticket, without other units' notes.
    public var history: [AssignmentHistoryEntry]
    /// Where the ticket came from.
    public var channel: Channel?
    /// When the ticket was received.
    public var receivedAt: Date?
    /// The catalogue's legal basis for the unit's duty.
    public var basis: String?
    /// The submission's attachments.
    public var attachments: [JSONValue]?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        assignmentID: String,
        ticketNo: String,
        unit: String,
        role: AssignmentRole,
        kind: TicketKind,
        urgency: Urgency,
        category: String? = nil,
        title: String? = nil,
        description: String,
        location: Location? = nil,
        citizen: Citizen,
        leadUnit: String? = nil,
        coUnits: [String],
        deadlines: AssignmentDeadlines,
        returnAllowed: Bool,
        extensionAllowed: Bool,
        history: [AssignmentHistoryEntry],
        channel: Channel? = nil,
        receivedAt: Date? = nil,
        basis: String? = nil,
        attachments: [JSONValue]? = nil
    ) {
        self.assignmentID = assignmentID
        self.ticketNo = ticketNo
        self.unit = unit
        self.role = role
        self.kind = kind
        self.urgency = urgency
        self.category = category
        self.title = title
        self.description = description
        self.location = location
        self.citizen = citizen
        self.leadUnit = leadUnit
        self.coUnits = coUnits
        self.deadlines = deadlines
        self.returnAllowed = returnAllowed
        self.extensionAllowed = extensionAllowed
        self.history = history
        self.channel = channel
        self.receivedAt = receivedAt
        self.basis = basis
        self.attachments = attachments
    }

    enum CodingKeys: String, CodingKey {
        case assignmentID = "assignment_id"
        case ticketNo = "ticket_no"
        case unit
        case role
        case kind
        case urgency
        case category
        case title
        case description
        case location
        case citizen
        case leadUnit = "lead_unit"
        case coUnits = "co_units"
        case deadlines
        case returnAllowed = "return_allowed"
        case extensionAllowed = "extension_allowed"
        case history
        case channel
        case receivedAt = "received_at"
        case basis
        case attachments
    }
}

/// An earlier assignment of the same ticket, in `assignment.created`'s `history`.
public struct AssignmentHistoryEntry: Codable, Sendable, Hashable {
    /// The earlier assignment.
    public var assignmentID: String
    /// Its unit.
    public var unit: String
    /// Its part.
    public var role: AssignmentRole
    /// Where it stands (or ended).
    public var state: AssignmentState
    /// When it was made.
    public var createdAt: Date
    /// When it ended, if it did.
    public var endedAt: Date?
    /// Its resolution's outcome, if any.
    public var outcome: ResolutionOutcome?
    /// Its notes; only the receiving unit's own.
    public var note: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        assignmentID: String,
        unit: String,
        role: AssignmentRole,
        state: AssignmentState,
        createdAt: Date,
        endedAt: Date? = nil,
        outcome: ResolutionOutcome? = nil,
        note: String? = nil
    ) {
        self.assignmentID = assignmentID
        self.unit = unit
        self.role = role
        self.state = state
        self.createdAt = createdAt
        self.endedAt = endedAt
        self.outcome = outcome
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case assignmentID = "assignment_id"
        case unit
        case role
        case state
        case createdAt = "created_at"
        case endedAt = "ended_at"
        case outcome
        case note
    }
}

/// `assignment.updated`: something the unit relies on changed (deadlines after an extension, co-units, …).
public struct AssignmentUpdated: Codable, Sendable, Hashable {
    /// The assignment.
    public var assignmentID: String
    /// The ticket.
    public var ticketNo: String
    /// What changed, e.g. `extended`, `co_units_changed`, `resolution_rejected`.
    public var reason: String
    /// A note for the unit.
    public var note: String?
    /// The new deadlines.
    public var deadlines: AssignmentDeadlines?
    /// The new lead unit.
    public var leadUnit: String?
    /// The new co-units.
    public var coUnits: [String]?
    /// Whether a return may now be asked.
    public var returnAllowed: Bool?
    /// Whether an extension may now be asked.
    public var extensionAllowed: Bool?
    /// After a merge (并案, reason `citizens_merged`): how many citizens now wait on the ticket.
    public var waitingCitizens: Int?
    /// After a merge: the ticket merged into this one.
    public var mergedTicket: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        assignmentID: String,
        ticketNo: String,
        reason: String,
        note: String? = nil,
        deadlines: AssignmentDeadlines? = nil,
        leadUnit: String? = nil,
        coUnits: [String]? = nil,
        returnAllowed: Bool? = nil,
        extensionAllowed: Bool? = nil,
        waitingCitizens: Int? = nil,
        mergedTicket: String? = nil
    ) {
        self.assignmentID = assignmentID
        self.ticketNo = ticketNo
        self.reason = reason
        self.note = note
        self.deadlines = deadlines
        self.leadUnit = leadUnit
        self.coUnits = coUnits
        self.returnAllowed = returnAllowed
        self.extensionAllowed = extensionAllowed
        self.waitingCitizens = waitingCitizens
        self.mergedTicket = mergedTicket
    }

    enum CodingKeys: String, CodingKey {
        case assignmentID = "assignment_id"
        case ticketNo = "ticket_no"
        case reason
        case note
        case deadlines
        case leadUnit = "lead_unit"
        case coUnits = "co_units"
        case returnAllowed = "return_allowed"
        case extensionAllowed = "extension_allowed"
        case waitingCitizens = "waiting_citizens"
        case mergedTicket = "merged_ticket"
    }
}

/// `assignment.cancelled`: the assignment no longer concerns the unit.
public struct AssignmentCancelled: Codable, Sendable, Hashable {
    /// The assignment.
    public var assignmentID: String
    /// The ticket.
    public var ticketNo: String
    /// Why, e.g. `claimed_by_other` (parallel), `returned`, `merged`, `closed`.
    public var reason: String
    /// A note for the unit.
    public var note: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        assignmentID: String, ticketNo: String, reason: String, note: String? = nil
    ) {
        self.assignmentID = assignmentID
        self.ticketNo = ticketNo
        self.reason = reason
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case assignmentID = "assignment_id"
        case ticketNo = "ticket_no"
        case reason
        case note
    }
}

/// `assignment.reopened`: re-handling (重办) after the survey; new deadlines apply.
public struct AssignmentReopened: Codable, Sendable, Hashable {
    /// The assignment.
    public var assignmentID: String
    /// The ticket.
    public var ticketNo: String
    /// Why, e.g. `low_rating`, `citizen_request`.
    public var reason: String
    /// A note for the unit.
    public var note: String?
    /// The new deadlines.
    public var deadlines: AssignmentDeadlines?
    /// The survey that caused it.
    public var surveyID: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        assignmentID: String,
        ticketNo: String,
        reason: String,
        note: String? = nil,
        deadlines: AssignmentDeadlines? = nil,
        surveyID: String? = nil
    ) {
        self.assignmentID = assignmentID
        self.ticketNo = ticketNo
        self.reason = reason
        self.note = note
        self.deadlines = deadlines
        self.surveyID = surveyID
    }

    enum CodingKeys: String, CodingKey {
        case assignmentID = "assignment_id"
        case ticketNo = "ticket_no"
        case reason
        case note
        case deadlines
        case surveyID = "survey_id"
    }
}

/// `assignment.reminder`: urging (催办) before or after a deadline.
public struct AssignmentReminder: Codable, Sendable, Hashable {
    /// The assignment.
    public var assignmentID: String
    /// The ticket.
    public var ticketNo: String
    /// Which deadline.
    public var deadline: DeadlineKind
    /// When it falls (or fell) due.
    public var dueAt: Date
    /// A note for the unit.
    public var note: String?

    /// Makes the value from its fields; optional ones default to absent.
    public init(
        assignmentID: String, ticketNo: String, deadline: DeadlineKind, dueAt: Date, note: String? = nil
    ) {
        self.assignmentID = assignmentID
        self.ticketNo = ticketNo
        self.deadline = deadline
        self.dueAt = dueAt
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case assignmentID = "assignment_id"
        case ticketNo = "ticket_no"
        case deadline
        case dueAt = "due_at"
        case note
    }
}
