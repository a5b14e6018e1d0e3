/// What loading a jurisdiction file would change in the one loaded now (`hotlinectl catalogue load
/// --dry-run`): units added, renamed, retired or otherwise changed; items added, changed, removed;
/// streets added and removed; and whether the rest (the jurisdiction's header, leaders, warnings)
/// differs.
public struct JurisdictionChanges: Sendable, Equatable {
    /// A unit whose name changed under the same code.
    public struct Renamed: Sendable, Equatable {
        public var code: String
        public var from: String
        public var to: String

        public init(code: String, from: String, to: String) {
            self.code = code
            self.from = from
            self.to = to
        }
    }

    /// An item whose fields changed under the same code, with the fields' names.
    public struct Changed: Sendable, Equatable {
        public var code: String
        public var fields: [String]

        public init(code: String, fields: [String]) {
            self.code = code
            self.fields = fields
        }
    }

    public var unitsAdded: [JurisdictionUnit] = []
    public var unitsRenamed: [Renamed] = []
    /// Units no longer listed: they get no new assignments once loaded, and their live assignments go
    /// to the successor the new file names (`retiredTo`), or to manual dispatch.
    public var unitsRetired: [JurisdictionUnit] = []
    /// The successors the new file names, by retired unit.
    public var retiredTo: [String: String] = [:]
    /// Units whose kind, head or leader in charge changed (their codes).
    public var unitsChanged: [String] = []
    public var itemsAdded: [CatalogueItem] = []
    public var itemsChanged: [Changed] = []
    public var itemsRemoved: [CatalogueItem] = []
    public var streetsAdded: [String] = []
    public var streetsRemoved: [String] = []
    /// The jurisdiction's header, its leaders, its warnings or a street's office or communities.
    public var otherChanged: [String] = []

    /// The changes from `old` (nil: nothing loaded yet) to `new`.
    public init(from old: JurisdictionFile?, to new: JurisdictionFile) {
        let units = Self.compare(old?.units ?? [], new.units, by: \.code)
        unitsAdded = units.added
        unitsRetired = units.removed
        for unit in unitsRetired { retiredTo[unit.code] = new.successor(of: unit.code) }
        for (before, unit) in units.kept {
            if before.name != unit.name { unitsRenamed.append(Renamed(code: unit.code, from: before.name, to: unit.name)) }
            if before.kind != unit.kind || before.head != unit.head || before.leaderInCharge != unit.leaderInCharge {
                unitsChanged.append(unit.code)
            }
        }
        let items = Self.compare(old?.catalogue ?? [], new.catalogue, by: \.code)
        itemsAdded = items.added
        itemsRemoved = items.removed
        itemsChanged = items.kept.compactMap { before, item in
            let fields = Self.changedFields(before, item)
            return fields.isEmpty ? nil : Changed(code: item.code, fields: fields)
        }
        let streets = Self.compare(old?.areas ?? [], new.areas, by: \.street)
        streetsAdded = streets.added.map(\.street)
        streetsRemoved = streets.removed.map(\.street)
        if let old {
            if old.jurisdiction != new.jurisdiction { otherChanged.append("jurisdiction") }
            if old.leaders != new.leaders { otherChanged.append("leaders") }
            if old.warnings != new.warnings { otherChanged.append("warnings") }
            otherChanged += streets.kept.filter { $0.old != $0.new }.map { "areas (\($0.new.street))" }
        }
    }

    /// Two lists of the same things by their key: those only in `new`, those in both (old and new
    /// version, in `new`'s order) and those only in `old`.
    private static func compare<Element>(
        _ old: [Element], _ new: [Element], by key: (Element) -> String
    ) -> (added: [Element], kept: [(old: Element, new: Element)], removed: [Element]) {
        let before = Dictionary(old.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        let after = Set(new.map(key))
        var added: [Element] = []
        var kept: [(old: Element, new: Element)] = []
        for element in new {
            if let earlier = before[key(element)] { kept.append((earlier, element)) } else { added.append(element) }
        }
        return (added, kept, old.filter { !after.contains(key($0)) })
    }

    /// The names (as in the file) of the fields that differ between two versions of an item.
    static func changedFields(_ old: CatalogueItem, _ new: CatalogueItem) -> [String] {
        var fields: [String] = []
        if old.name != new.name { fields.append("name") }
        if old.keywords != new.keywords { fields.append("keywords") }
        if old.owner != new.owner { fields.append("owner") }
        if old.coUnits != new.coUnits { fields.append("co_units") }
        if old.kind != new.kind { fields.append("kind") }
        if old.urgency != new.urgency { fields.append("urgency") }
        if old.handleWorkingDays != new.handleWorkingDays { fields.append("handle_working_days") }
        if old.basis != new.basis { fields.append("basis") }
        if old.needsPhotos != new.needsPhotos { fields.append("needs_photos") }
        if old.surveyExcluded != new.surveyExcluded { fields.append("survey_excluded") }
        return fields
    }

    public var isEmpty: Bool { self == JurisdictionChanges() }

    private init() {}

    /// One line per kind of change, for people.
    public var report: [String] {
        var lines: [String] = []
        func add(_ title: String, _ entries: [String]) {
            if !entries.isEmpty { lines.append("\(title) (\(entries.count)): \(entries.joined(separator: "; "))") }
        }
        add("units added", unitsAdded.map { "\($0.code) \($0.name)" })
        add("units renamed", unitsRenamed.map { "\($0.code) \($0.from) → \($0.to)" })
        add("units retired", unitsRetired.map { "\($0.code) \($0.name), its assignments to \(retiredTo[$0.code] ?? "manual dispatch (a co-unit's part ends)")" })
        add("units changed", unitsChanged)
        add("items added", itemsAdded.map { "\($0.code) \($0.name)" })
        add("items changed", itemsChanged.map { "\($0.code) (\($0.fields.joined(separator: ", ")))" })
        add("items removed", itemsRemoved.map { "\($0.code) \($0.name)" })
        add("streets added", streetsAdded)
        add("streets removed", streetsRemoved)
        add("also changed", otherChanged)
        return lines.isEmpty ? ["no change"] : lines
    }
}
