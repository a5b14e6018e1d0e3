import Foundation

/// One assignment a routing decision asks for.
public struct PlannedAssignment: Sendable, Hashable {
    public var unit: String
    public var role: AssignmentRole
    /// The lead (or first-responsible) unit, on every member of a lead/co group.
    public var leadUnit: String?
    /// The co-units of the group, on every member of it.
    public var coUnits: [String]
    /// Whether the unit may ask to return it (first-responsible units may not, PS §12(二)).
    public var returnAllowed: Bool

    public init(unit: String, role: AssignmentRole, leadUnit: String? = nil, coUnits: [String] = [], returnAllowed: Bool = true) {
        self.unit = unit
        self.role = role
        self.leadUnit = leadUnit
        self.coUnits = coUnits
        self.returnAllowed = returnAllowed
    }
}
