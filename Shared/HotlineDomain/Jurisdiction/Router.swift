import Foundation

/// Pure routing of a ticket to units (PS §9-12, §15): by the catalogue, or by the center's mode,
/// never to an excluded unit (one whose return was approved).
public struct Router: Sendable {
    public let catalogue: DutyCatalogue
    private let unitCodes: Set<String>
    private let offices: [String: String]
    /// Residents' and villagers' committees: never responsible, only assisting (ZS §6).
    let committees: Set<String>

    /// A router over a jurisdiction file.
    public init(jurisdiction: JurisdictionFile) {
        self.init(
            units: jurisdiction.units.map(\.code), areas: jurisdiction.areas, catalogue: jurisdiction.dutyCatalogue,
            committees: jurisdiction.units.filter { $0.kind == .residentCommittee }.map(\.code))
    }

    /// A router over unit codes, street areas and a catalogue.
    public init(units: [String], areas: [StreetArea], catalogue: DutyCatalogue, committees: [String] = []) {
        self.catalogue = catalogue
        self.committees = Set(committees)
        self.unitCodes = Set(units)
        var offices: [String: String] = [:]
        for area in areas where offices[area.street] == nil { offices[area.street] = area.office }
        self.offices = offices
    }

    /// The street office of a street, if known.
    public func streetOffice(of street: String?) -> String? { street.flatMap { offices[$0] } }

    /// Routes a ticket.
    /// - Parameters:
    ///   - category: the ticket's catalogue item code.
    ///   - street: the ticket's street (for territorial routing).
    ///   - excluding: units that may not get it again (re-routing after an approved return).
    public func route(
        category: String?, street: String?, mode: RoutingMode = .catalogue, excluding: Set<String> = []
    ) -> RoutingDecision {
        switch mode {
        case .catalogue:
            guard let category else { return .manual(.noCategory) }
            guard let item = catalogue.item(code: category) else { return .manual(.unknownCategory(category)) }
            let lead: String
            switch item.owner {
            case .unit(let code):
                guard unitCodes.contains(code) else { return .manual(.unknownOwner(code)) }
                lead = code
            case .territorial:
                guard let office = streetOffice(of: street) else { return .manual(.unknownStreet(street)) }
                guard unitCodes.contains(office) else { return .manual(.unknownUnit(office)) }
                lead = office
            }
            if item.coUnits.isEmpty {
                let role: AssignmentRole = item.owner == .territorial ? .territorial : .sole
                return single(lead, role: role, excluding: excluding)
            }
            return group(lead: lead, co: item.coUnits, leadRole: .lead, returnAllowed: true, excluding: excluding)
        case .sole(let unit):
            return single(unit, role: .sole, excluding: excluding)
        case .territorial:
            guard let office = streetOffice(of: street) else { return .manual(.unknownStreet(street)) }
            return single(office, role: .territorial, excluding: excluding)
        case .leadCo(let lead, let co):
            return group(lead: lead, co: co, leadRole: .lead, returnAllowed: true, excluding: excluding)
        case .firstResponsible(let unit, let co):
            return group(lead: unit, co: co, leadRole: .firstResponsible, returnAllowed: false, excluding: excluding)
        case .parallel(let units):
            if let unknown = units.first(where: { !unitCodes.contains($0) }) { return .manual(.unknownUnit(unknown)) }
            let left = unique(units).filter { !excluding.contains($0) }
            guard !left.isEmpty else { return .manual(.nobodyLeft) }
            return .assign(left.map { PlannedAssignment(unit: $0, role: .parallel) })
        }
    }

    private func single(_ unit: String, role: AssignmentRole, excluding: Set<String>) -> RoutingDecision {
        guard unitCodes.contains(unit) else { return .manual(.unknownUnit(unit)) }
        guard !excluding.contains(unit) else { return .manual(.nobodyLeft) }
        return .assign([PlannedAssignment(unit: unit, role: role)])
    }

    private func group(
        lead: String, co: [String], leadRole: AssignmentRole, returnAllowed: Bool, excluding: Set<String>
    ) -> RoutingDecision {
        guard unitCodes.contains(lead) else { return .manual(.unknownUnit(lead)) }
        if let unknown = co.first(where: { !unitCodes.contains($0) }) { return .manual(.unknownUnit(unknown)) }
        let coLeft = unique(co).filter { $0 != lead && !excluding.contains($0) }
        if excluding.contains(lead) { return .manual(coLeft.isEmpty ? .nobodyLeft : .leadExcluded(lead)) }
        if coLeft.isEmpty && leadRole == .lead {
            return .assign([PlannedAssignment(unit: lead, role: .sole)])
        }
        var planned = [
            PlannedAssignment(unit: lead, role: leadRole, leadUnit: lead, coUnits: coLeft, returnAllowed: returnAllowed)
        ]
        planned += coLeft.map { PlannedAssignment(unit: $0, role: .co, leadUnit: lead, coUnits: coLeft) }
        return .assign(planned)
    }

    private func unique(_ codes: [String]) -> [String] {
        var seen = Set<String>()
        return codes.filter { seen.insert($0).inserted }
    }
}
