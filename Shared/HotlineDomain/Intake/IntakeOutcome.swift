import Foundation

/// A ticket as intake makes it: the demand, its place and its classification.
public struct TicketPlan: Sendable, Hashable {
    public var classification: TicketClassification
    public var title: String?
    public var description: String
    /// The location with street and community in the jurisdiction's spelling where recognised.
    public var location: Location?
    /// `PlaceMatching.normalizeAddress(location.address)`.
    public var addressNorm: String?
    /// `CitizenKeys.of(citizen)`.
    public var citizenKey: String?

    public init(
        classification: TicketClassification, title: String?, description: String, location: Location?,
        citizenKey: String?
    ) {
        self.classification = classification
        self.title = title
        self.description = description
        self.location = location
        self.addressNorm = PlaceMatching.normalizeAddress(location?.address)
        self.citizenKey = citizenKey
    }

    public var kind: TicketKind { classification.kind }
    public var urgency: Urgency { classification.urgency }
    public var category: String? { classification.category }
    public var street: String? { location?.street }
    public var community: String? { location?.community }
}

/// Why a submission was not accepted (不予受理), as recorded on the ticket and in `ticket.rejected`.
public struct IntakeRejection: Sendable, Hashable {
    /// Who decided: the operator (`not_accepted`), the intake rules, or the grid worker who found the
    /// matter untrue (PS §8(一)3).
    public enum DecidedBy: String, Sendable, Hashable, Codable {
        case `operator`
        case rules
        case gridWorker = "grid_worker"
    }

    public var reason: NonAcceptanceReason
    /// The basis: the profile's text for the reason, with the particulars.
    public var basis: String
    public var decidedBy: DecidedBy
    /// For `emergency_redirect`: the number the caller is sent to.
    public var emergencyNumber: String?
    /// The words of the demand that triggered the rule.
    public var words: [String]
    /// The operator's note.
    public var note: String?
    /// For `concluded_matter`: the concluded ticket.
    public var concludedTicket: String?
    /// For `out_of_jurisdiction`: the street that is not the jurisdiction's.
    public var street: String?
    /// For `out_of_jurisdiction`: the hotline the demand is transferred to (`ticket.rejected`'s
    /// `transferred_to`), where the jurisdiction file names one.
    public var transferTo: TransferDestination?

    public init(
        reason: NonAcceptanceReason, basis: String, decidedBy: DecidedBy, emergencyNumber: String? = nil,
        words: [String] = [], note: String? = nil, concludedTicket: String? = nil, street: String? = nil,
        transferTo: TransferDestination? = nil
    ) {
        self.reason = reason
        self.basis = basis
        self.decidedBy = decidedBy
        self.emergencyNumber = emergencyNumber
        self.words = words
        self.note = note
        self.concludedTicket = concludedTicket
        self.street = street
        self.transferTo = transferTo
    }
}

/// Why a new demand was merged (并案) into an open ticket.
public struct MergeMatch: Sendable, Hashable {
    public enum Basis: String, Sendable, Hashable, Codable {
        /// Same category, street, community and normalised address.
        case samePlace = "same_place"
        /// Same category, coordinates within the profile's radius.
        case nearby
        /// The same citizen raising the same category again.
        case sameCitizen = "same_citizen"
    }

    /// The open ticket it joins.
    public var target: String
    public var basis: Basis
    /// For `nearby`: the distance in metres.
    public var distance: Double?

    public init(target: String, basis: Basis, distance: Double? = nil) {
        self.target = target
        self.basis = basis
        self.distance = distance
    }
}

/// What becomes of a submission: exactly one of the contract's outcomes (other than
/// `submission.invalid`, which the validator decides).
public enum IntakeOutcome: Sendable, Hashable {
    /// A ticket to dispatch (`ticket.accepted`).
    case accepted(TicketPlan)
    /// A consultation answered on the call, closed at once (`ticket.answered`).
    case answered(TicketPlan, AnsweredOnCall)
    /// Not accepted, stored and closed as such (`ticket.rejected`, naming where the demand was
    /// transferred when the jurisdiction file says).
    case rejected(TicketPlan, IntakeRejection)
    /// Merged into an open ticket (`ticket.merged`).
    case merged(TicketPlan, MergeMatch)
    /// Split into one child per demand (`ticket.split`; each child gets `ticket.accepted`).
    case split(parent: TicketPlan, children: [TicketPlan])

    /// The outcome event's type.
    public var eventType: EventType {
        switch self {
        case .accepted: return .ticketAccepted
        case .answered: return .ticketAnswered
        case .rejected: return .ticketRejected
        case .merged: return .ticketMerged
        case .split: return .ticketSplit
        }
    }

    /// The submission's own ticket (the parent of a split).
    public var plan: TicketPlan {
        switch self {
        case .accepted(let plan), .answered(let plan, _), .rejected(let plan, _), .merged(let plan, _):
            return plan
        case .split(let parent, _):
            return parent
        }
    }

    /// The status the submission's own ticket is stored with.
    public var status: TicketStatus {
        switch self {
        case .accepted: return .accepted
        case .answered: return .answered
        case .rejected: return .rejected
        case .merged: return .merged
        case .split: return .split
        }
    }
}
