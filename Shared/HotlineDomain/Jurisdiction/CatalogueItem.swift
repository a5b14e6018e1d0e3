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
    /// Overrides the profile's handling limit, in working days.
    public var handleWorkingDays: Int?
    /// Legal basis.
    public var basis: String?
    /// Resolutions need before/after photos (PS §16(二)4).
    public var needsPhotos: Bool?
    /// Not chased for satisfaction (mediation, law enforcement: PS §20(一)).
    public var surveyExcluded: Bool?

    public init(
        code: String, name: String, keywords: [String], owner: CatalogueOwner, coUnits: [String] = [],
        kind: TicketKind? = nil, urgency: Urgency? = nil, handleWorkingDays: Int? = nil, basis: String? = nil,
        needsPhotos: Bool? = nil, surveyExcluded: Bool? = nil
    ) {
        self.code = code
        self.name = name
        self.keywords = keywords
        self.owner = owner
        self.coUnits = coUnits
        self.kind = kind
        self.urgency = urgency
        self.handleWorkingDays = handleWorkingDays
        self.basis = basis
        self.needsPhotos = needsPhotos
        self.surveyExcluded = surveyExcluded
    }

    enum CodingKeys: String, CodingKey {
        case code, name, keywords, owner
        case coUnits = "co_units"
        case kind, urgency
        case handleWorkingDays = "handle_working_days"
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
        basis = try c.decodeIfPresent(String.self, forKey: .basis)
        needsPhotos = try c.decodeIfPresent(Bool.self, forKey: .needsPhotos)
        surveyExcluded = try c.decodeIfPresent(Bool.self, forKey: .surveyExcluded)
    }
}
