import Foundation

/// What becomes of a live assignment of a retired unit (docs/rules.md "Retired units"): the successor
/// the jurisdiction names takes it over in the same role; without one, a co-unit's part or a parallel
/// candidate among others simply ends, and any other assignment goes to the center's manual dispatch.
/// The handover is no return: it counts against neither unit.
public enum UnitHandover {
    /// The retired unit's assignment, as its record says.
    public struct Assignment: Sendable, Hashable {
        public var unit: String
        public var role: AssignmentRole
        public var leadUnit: String?
        public var coUnits: [String]
        public var returnAllowed: Bool

        public init(unit: String, role: AssignmentRole, leadUnit: String?, coUnits: [String], returnAllowed: Bool) {
            self.unit = unit
            self.role = role
            self.leadUnit = leadUnit
            self.coUnits = coUnits
            self.returnAllowed = returnAllowed
        }
    }

    public enum Plan: Sendable, Hashable {
        /// The successor's new assignment.
        case successor(PlannedAssignment)
        /// The assignment ends and nothing replaces it.
        case end
        /// The ticket goes to the center's dispatchers; a lead's co-units end their parts too, so that
        /// the center can dispatch the ticket afresh.
        case manual(RoutingDecision.ManualReason)
    }

    /// The plan for `assignment` of a retired unit, given the ticket's other live assignments, the
    /// units holding an assignment the ticket keeps (live, resolved or closed: a successor among them
    /// takes nothing more) and the successor the jurisdiction names.
    public static func plan(
        _ assignment: Assignment, successor: String?, live others: [ReturnDecisions.LiveAssignment], holders: Set<String>
    ) -> Plan {
        if let successor, !holders.contains(successor) {
            func renamed(_ unit: String) -> String { unit == assignment.unit ? successor : unit }
            return .successor(PlannedAssignment(
                unit: successor, role: assignment.role, leadUnit: assignment.leadUnit.map(renamed),
                coUnits: assignment.coUnits.map(renamed), returnAllowed: assignment.returnAllowed))
        }
        switch assignment.role {
        case .co:
            return .end
        case .parallel where others.contains(where: { $0.role == .parallel }):
            return .end
        default:
            return .manual(.unitRetired(assignment.unit))
        }
    }
}
