import Foundation

/// One duty-catalogue item (职责清单/派单目录, PS §9, ZS §15).
public struct CatalogueItem: Codable, Sendable, Hashable {
    /// `CG-001`.
    public var code: String
    public var name: String
    /// Words that point a description to this item.
    public var keywords: [String]
    public var owner: CatalogueOwner
    /// Co-units (协同/会办) when the owner leads.
    public var coUnits: [String]
    /// Hints for classification.
    public var kind: TicketKind?
    public var urgency: Urgency?
    /// The item's handling limit, in working days, for the kinds `handleKinds` names; without them it
    /// applies only where it does not lengthen the profile's limit (`handlingWorkingDays(for:under:)`).
    public var handleWorkingDays: Int?
    /// The ticket kinds `handleWorkingDays` applies to, even where it is longer than the profile's limit
    /// (the item's `basis` must then cite the law that sets it).
    public var handleKinds: [TicketKind]?
    /// Legal basis.
    public var basis: String?
    /// Resolutions need before/after photos (PS §16(二)4).
    public var needsPhotos: Bool?
    /// Not chased for satisfaction (mediation, law enforcement: PS §20(一)).
    public var surveyExcluded: Bool?

    public init(
        code: String, name: String, keywords: [String], owner: CatalogueOwner, coUnits: [String] = [],
        kind: TicketKind? = nil, urgency: Urgency? = nil, handleWorkingDays: Int? = nil, handleKinds: [TicketKind]? = nil,
        basis: String? = nil, needsPhotos: Bool? = nil, surveyExcluded: Bool? = nil
    ) {
        self.code = code
        self.name = name
        self.keywords = keywords
        self.owner = owner
        self.coUnits = coUnits
        self.kind = kind
        self.urgency = urgency
        self.handleWorkingDays = handleWorkingDays
        self.handleKinds = handleKinds
        self.basis = basis
        self.needsPhotos = needsPhotos
        self.surveyExcluded = surveyExcluded
    }

    enum CodingKeys: String, CodingKey {
        case code, name, keywords, owner
        case coUnits = "co_units"
        case kind, urgency
        case handleWorkingDays = "handle_working_days"
        case handleKinds = "handle_kinds"
        case basis
        case needsPhotos = "needs_photos"
        case surveyExcluded = "survey_excluded"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decode(String.self, forKey: .code)
        name = try c.decode(String.self, forKey: .name)
        keywords = try c.decodeIfPresent([String].self, forKey: .keywords) ?? []
        owner = try c.decode(CatalogueOwner.self, forKey: .owner)
        coUnits = try c.decodeIfPresent([String].self, forKey: .coUnits) ?? []
        kind = try c.decodeIfPresent(TicketKind.self, forKey: .kind)
        urgency = try c.decodeIfPresent(Urgency.self, forKey: .urgency)
        handleWorkingDays = try c.decodeIfPresent(Int.self, forKey: .handleWorkingDays)
        handleKinds = try c.decodeIfPresent([TicketKind].self, forKey: .handleKinds)
        basis = try c.decodeIfPresent(String.self, forKey: .basis)
        needsPhotos = try c.decodeIfPresent(Bool.self, forKey: .needsPhotos)
        surveyExcluded = try c.decodeIfPresent(Bool.self, forKey: .surveyExcluded)
    }
}

extension CatalogueItem {
    /// The working days this item sets for a ticket of `kind`, or nil where the profile's limit holds
    /// (PS §11(一) 1/3/7 working days). The item's days apply to every kind `handleKinds` names; without
    /// `handleKinds`, only to the kinds whose profile limit is a number of working days at least as long,
    /// so that an item never lengthens, say, a consultation's one day unless it says so.
    public func handlingWorkingDays(for kind: TicketKind, under handling: HandlingRules) -> Int? {
        guard let days = handleWorkingDays else { return nil }
        if let kinds = handleKinds { return kinds.contains(kind) ? days : nil }
        guard case .workingDays(let limit) = handling.within[kind] else { return nil }
        return days <= limit ? days : nil
    }

    /// Why this item's handling limit cannot be loaded under `handling`, or nil: one that names kinds
    /// and is longer than the profile's limit of one of them must cite its basis; one that names none
    /// and is longer than the profile's limit of every kind would never apply.
    public func handlingLimitProblem(under handling: HandlingRules) -> String? {
        guard let days = handleWorkingDays else { return nil }
        func longer(_ kind: TicketKind) -> Bool {
            guard case .workingDays(let limit) = handling.within[kind] else { return true }
            return days > limit
        }
        if let kinds = handleKinds {
            if kinds.isEmpty { return "handle_kinds is empty: name the kinds the limit applies to, or leave it out" }
            if let kind = kinds.first(where: longer), (basis ?? "").allSatisfy(\.isWhitespace) {
                return "\(days) working days is longer than the profile's limit for \(kind.rawValue): cite its legal basis (basis)"
            }
            return nil
        }
        if TicketKind.allCases.allSatisfy(longer) {
            return "\(days) working days is longer than the profile's limit of every kind: name the kinds it applies to (handle_kinds) and its legal basis (basis)"
        }
        return nil
    }
}
