import Foundation

/// What the intake decision needs besides the submission: the reference data (rule profile,
/// jurisdiction areas, duty catalogue) and the facts the service read from the database for it
/// (open tickets that a new demand could be merged into, concluded matters of the citizen).
public struct IntakeContext: Sendable {
    public var profile: RuleProfile
    /// The jurisdiction's streets and communities.
    public var areas: [StreetArea]
    public var catalogue: DutyCatalogue
    /// The hotlines demands outside the jurisdiction go to.
    public var transfers: [TransferDestination]
    /// Makes citizen keys (under the service's secret).
    public var citizenKeys: CitizenKeys
    /// Tickets still being handled (status accepted, dispatched or manual) that `IntakeLookup` selected.
    public var openTickets: [OpenTicket]
    /// Matters concluded with a conclusion notice (事件终结告知书) that `IntakeLookup` selected.
    public var concludedMatters: [ConcludedMatter]

    public init(
        profile: RuleProfile, areas: [StreetArea], catalogue: DutyCatalogue, transfers: [TransferDestination] = [],
        citizenKeys: CitizenKeys, openTickets: [OpenTicket] = [], concludedMatters: [ConcludedMatter] = []
    ) {
        self.profile = profile
        self.areas = areas
        self.catalogue = catalogue
        self.transfers = transfers
        self.citizenKeys = citizenKeys
        self.openTickets = openTickets
        self.concludedMatters = concludedMatters
    }

    public init(
        profile: RuleProfile, jurisdiction: JurisdictionFile, citizenKeys: CitizenKeys, openTickets: [OpenTicket] = [],
        concludedMatters: [ConcludedMatter] = []
    ) {
        self.init(
            profile: profile, areas: jurisdiction.areas, catalogue: jurisdiction.dutyCatalogue,
            transfers: jurisdiction.transfers, citizenKeys: citizenKeys,
            openTickets: openTickets, concludedMatters: concludedMatters)
    }
}

/// A ticket still being handled, as merging compares it.
public struct OpenTicket: Sendable, Hashable {
    public var ticketNo: String
    /// Its status; only `TicketStatus.open` can take a merge.
    public var status: TicketStatus
    public var category: String?
    public var street: String?
    public var community: String?
    /// `PlaceMatching.normalizeAddress` of its address.
    public var addressNorm: String?
    public var citizenKey: String?
    public var lat: Double?
    public var lon: Double?
    public var receivedAt: Date

    public init(
        ticketNo: String, status: TicketStatus = .accepted, category: String?, street: String? = nil,
        community: String? = nil, addressNorm: String? = nil, citizenKey: String? = nil, lat: Double? = nil,
        lon: Double? = nil, receivedAt: Date
    ) {
        self.ticketNo = ticketNo
        self.status = status
        self.category = category
        self.street = street
        self.community = community
        self.addressNorm = addressNorm
        self.citizenKey = citizenKey
        self.lat = lat
        self.lon = lon
        self.receivedAt = receivedAt
    }
}

/// A matter a unit concluded with a written conclusion notice (同一事项处置, PS §15(六)): the same
/// citizen raising it again without new facts is not accepted. Place fields that are nil match any.
public struct ConcludedMatter: Sendable, Hashable {
    public var ticketNo: String?
    public var citizenKey: String
    public var category: String
    public var street: String?
    public var community: String?
    public var addressNorm: String?
    public var concludedAt: Date
    public var note: String?

    public init(
        ticketNo: String?, citizenKey: String, category: String, street: String? = nil, community: String? = nil,
        addressNorm: String? = nil, concludedAt: Date, note: String? = nil
    ) {
        self.ticketNo = ticketNo
        self.citizenKey = citizenKey
        self.category = category
        self.street = street
        self.community = community
        self.addressNorm = addressNorm
        self.concludedAt = concludedAt
        self.note = note
    }
}

/// What the service must read from the database before deciding: open tickets of `category` at the
/// place (same street, community and address; or within `box`) or of the same citizen, and the
/// citizen's concluded matters of `category`.
public struct IntakeLookup: Sendable, Hashable {
    public var category: String
    public var citizenKey: String?
    public var street: String?
    public var community: String?
    public var addressNorm: String?
    /// The box around the coordinates, when there are coordinates.
    public var box: PlaceMatching.Box?
    /// Whether open tickets of the same citizen are candidates too.
    public var sameCitizen: Bool
    /// Keys to hold while deciding (advisory locks): two submissions that could merge with each other
    /// share at least one, so that the second waits for the first and sees its ticket. Sorted.
    public var lockKeys: [String]
}
