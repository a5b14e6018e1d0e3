import Foundation

/// A jurisdiction file (docs/contract.md "Jurisdiction file"): header, leaders, units, street areas, warning
/// targets, the duty catalogue and the retired units' successors.
public struct JurisdictionFile: Codable, Sendable, Hashable {
    public var jurisdiction: JurisdictionInfo
    public var leaders: JurisdictionLeaders
    public var units: [JurisdictionUnit]
    public var areas: [StreetArea]
    public var warnings: WarningTargets
    public var catalogue: [CatalogueItem] { didSet { dutyCatalogue = DutyCatalogue(items: catalogue) } }
    /// The duty catalogue of this file, indexed once (decisions consult it on every message).
    public private(set) var dutyCatalogue: DutyCatalogue
    /// Units no longer listed whose work goes to a successor (a retired unit not named here hands its
    /// work to manual dispatch).
    public var retired: [RetiredUnit]
    /// The hotlines demands this jurisdiction does not handle are transferred to (ZS §24, DY (6)).
    public var transfers: [TransferDestination]

    private enum CodingKeys: String, CodingKey {
        case jurisdiction, leaders, units, areas, warnings, catalogue, retired, transfers
    }

    public init(
        jurisdiction: JurisdictionInfo, leaders: JurisdictionLeaders, units: [JurisdictionUnit],
        areas: [StreetArea] = [], warnings: WarningTargets = WarningTargets(), catalogue: [CatalogueItem] = [],
        retired: [RetiredUnit] = [], transfers: [TransferDestination] = []
    ) {
        self.jurisdiction = jurisdiction
        self.leaders = leaders
        self.units = units
        self.areas = areas
        self.warnings = warnings
        self.catalogue = catalogue
        self.retired = retired
        self.transfers = transfers
        dutyCatalogue = DutyCatalogue(items: catalogue)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        jurisdiction = try c.decode(JurisdictionInfo.self, forKey: .jurisdiction)
        leaders = try c.decode(JurisdictionLeaders.self, forKey: .leaders)
        units = try c.decodeIfPresent([JurisdictionUnit].self, forKey: .units) ?? []
        areas = try c.decodeIfPresent([StreetArea].self, forKey: .areas) ?? []
        warnings = try c.decodeIfPresent(WarningTargets.self, forKey: .warnings) ?? WarningTargets()
        catalogue = try c.decodeIfPresent([CatalogueItem].self, forKey: .catalogue) ?? []
        retired = try c.decodeIfPresent([RetiredUnit].self, forKey: .retired) ?? []
        transfers = try c.decodeIfPresent([TransferDestination].self, forKey: .transfers) ?? []
        dutyCatalogue = DutyCatalogue(items: catalogue)
    }

    /// The successor the file names for a retired unit, if any.
    public func successor(of code: String) -> String? { retired.first { $0.code == code }?.successor }

    /// The unit with a code.
    public func unit(_ code: String) -> JurisdictionUnit? { units.first { $0.code == code } }

    /// The street office unit code of a street.
    public func streetOffice(of street: String) -> String? { areas.first { $0.street == street }?.office }

    /// The units warned about a ticket of an urgency on a street (`street_office` resolved; unknown street:
    /// skipped), without repeats.
    public func warningUnits(for urgency: Urgency, street: String?) -> [String] {
        var result: [String] = []
        for target in warnings.targets(for: urgency) {
            let code = target == WarningTargets.streetOfficeToken ? street.flatMap(streetOffice(of:)) : target
            if let code, !result.contains(code) { result.append(code) }
        }
        return result
    }

    /// Every problem of the file under the rule profile it names (the loader's check): `validate()`'s,
    /// and each catalogue item's handling limit that the profile's limits do not allow
    /// (`CatalogueItem.handlingLimitProblem`, PS §11(一)).
    public func validate(under profile: RuleProfile) -> [JurisdictionProblem] {
        validate() + catalogue.enumerated().compactMap { i, item in
            item.handlingLimitProblem(under: profile.handling).map {
                JurisdictionProblem(kind: .unfoundedHandlingLimit, path: "catalogue[\(i)].handle_working_days", message: $0)
            }
        }
    }

    /// Every problem of the file on its own; empty when it can be loaded.
    public func validate() -> [JurisdictionProblem] {
        var problems: [JurisdictionProblem] = []
        func add(_ kind: JurisdictionProblem.Kind, _ path: String, _ message: String) {
            problems.append(JurisdictionProblem(kind: kind, path: path, message: message))
        }
        func blank(_ s: String) -> Bool { s.trimmingWhitespace.isEmpty }

        if blank(jurisdiction.code) { add(.blankField, "jurisdiction.code", "empty") }
        if blank(jurisdiction.name) { add(.blankField, "jurisdiction.name", "empty") }
        if blank(jurisdiction.profile) { add(.blankField, "jurisdiction.profile", "empty") }
        if TimeZone(identifier: jurisdiction.timezone) == nil {
            add(.unknownTimeZone, "jurisdiction.timezone", "unknown time zone \(jurisdiction.timezone)")
        }
        if blank(leaders.principal.phone) { add(.blankField, "leaders.principal.phone", "empty") }

        var unitKinds: [String: UnitKind] = [:]
        for (i, unit) in units.enumerated() {
            let path = "units[\(i)]"
            if !JurisdictionUnit.isValidCode(unit.code) {
                add(.invalidUnitCode, "\(path).code", "\(unit.code) does not match \(JurisdictionUnit.codeRule)")
            } else if JurisdictionUnit.reservedCodes.contains(unit.code) {
                add(.invalidUnitCode, "\(path).code", "\(unit.code) is a reserved word of the file, not a unit code")
            }
            if unitKinds[unit.code] != nil {
                add(.duplicateUnitCode, "\(path).code", "unit code \(unit.code) appears more than once")
            } else {
                unitKinds[unit.code] = unit.kind
            }
            if blank(unit.name) { add(.blankField, "\(path).name", "empty") }
            if unit.head == nil { add(.missingHead, "\(path).head", "unit \(unit.code) has no head to warn") }
        }

        var streets = Set<String>()
        for (i, area) in areas.enumerated() {
            let path = "areas[\(i)]"
            if blank(area.street) { add(.blankField, "\(path).street", "empty") }
            if !streets.insert(area.street).inserted {
                add(.duplicateStreet, "\(path).street", "street \(area.street) appears more than once")
            }
            switch unitKinds[area.office] {
            case nil: add(.unknownOfficeUnit, "\(path).office", "unknown unit \(area.office)")
            case .streetOffice?: break
            case let kind?:
                add(.officeNotStreetOffice, "\(path).office", "\(area.office) is a \(kind.rawValue), not a street_office")
            }
        }

        for (name, targets) in [("urgent", warnings.urgent), ("fast", warnings.fast)] {
            for target in targets where target != WarningTargets.streetOfficeToken && unitKinds[target] == nil {
                add(.unknownWarningUnit, "warnings.\(name)", "unknown unit \(target)")
            }
        }

        var itemCodes = Set<String>()
        for (i, item) in catalogue.enumerated() {
            let path = "catalogue[\(i)]"
            if blank(item.code) { add(.blankField, "\(path).code", "empty") }
            if blank(item.name) { add(.blankField, "\(path).name", "empty") }
            if !itemCodes.insert(item.code).inserted {
                add(.duplicateItemCode, "\(path).code", "item code \(item.code) appears more than once")
            }
            switch item.owner {
            case .unit(let code) where unitKinds[code] == nil:
                add(.unknownOwner, "\(path).owner", "unknown unit \(code)")
            case .unit(let code) where unitKinds[code] == .residentCommittee:
                add(.committeeResponsible, "\(path).owner",
                    "\(code) is a residents' or villagers' committee: it may assist (co_units), never own an item (ZS §6)")
            case .territorial where areas.isEmpty:
                add(.territorialWithoutAreas, "\(path).owner", "territorial owner but no areas")
            default: break
            }
            var seen = Set<String>()
            for co in item.coUnits {
                if unitKinds[co] == nil { add(.unknownCoUnit, "\(path).co_units", "unknown unit \(co)") }
                if case .unit(co) = item.owner { add(.coUnitIsOwner, "\(path).co_units", "\(co) is the owner") }
                if !seen.insert(co).inserted { add(.duplicateCoUnit, "\(path).co_units", "\(co) appears twice") }
            }
            if item.keywords.isEmpty { add(.emptyKeywords, "\(path).keywords", "no keywords") }
            if item.keywords.contains(where: blank) { add(.blankKeyword, "\(path).keywords", "a blank keyword") }
            if let days = item.handleWorkingDays, days < 1 {
                add(.invalidWorkingDays, "\(path).handle_working_days", "\(days) is not a positive number")
            }
        }

        var transferCodes = Set<String>()
        for (i, transfer) in transfers.enumerated() {
            let path = "transfers[\(i)]"
            if blank(transfer.code) { add(.blankField, "\(path).code", "empty") }
            if blank(transfer.name) { add(.blankField, "\(path).name", "empty") }
            if !transferCodes.insert(transfer.code).inserted {
                add(.invalidTransfer, "\(path).code", "transfer \(transfer.code) appears more than once")
            }
            for street in transfer.streets where areas.contains(where: { $0.street == street }) {
                add(.invalidTransfer, "\(path).streets", "\(street) is a street of this jurisdiction")
            }
            if transfer.streets.isEmpty, transfer.words.allSatisfy(blank), !transfer.otherStreets {
                add(.invalidTransfer, path, "names no street, no word and not other_streets: nothing goes there")
            }
        }
        if transfers.filter(\.otherStreets).count > 1 {
            add(.invalidTransfer, "transfers", "more than one destination takes other_streets")
        }

        var retiredCodes = Set<String>()
        for (i, unit) in retired.enumerated() {
            let path = "retired[\(i)]"
            if unitKinds[unit.code] != nil {
                add(.retiredUnitListed, "\(path).code", "\(unit.code) is still among the units")
            } else if !JurisdictionUnit.isValidCode(unit.code) {
                add(.invalidUnitCode, "\(path).code", "\(unit.code) does not match \(JurisdictionUnit.codeRule)")
            }
            if !retiredCodes.insert(unit.code).inserted {
                add(.duplicateUnitCode, "\(path).code", "retired unit \(unit.code) appears more than once")
            }
            if let successor = unit.successor, unitKinds[successor] == nil {
                add(.unknownSuccessor, "\(path).successor", "unknown unit \(successor)")
            } else if let successor = unit.successor, unitKinds[successor] == .residentCommittee {
                add(.committeeResponsible, "\(path).successor",
                    "\(successor) is a residents' or villagers' committee: it cannot take over a unit's work (ZS §6)")
            }
        }
        return problems
    }
}
