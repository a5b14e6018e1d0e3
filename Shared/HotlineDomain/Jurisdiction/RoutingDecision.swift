import Foundation

/// The outcome of routing: assignments, or a human dispatcher's turn.
public enum RoutingDecision: Sendable, Hashable {
    case assign([PlannedAssignment])
    case manual(ManualReason)

    /// Why a ticket goes to the manual dispatch queue.
    public enum ManualReason: Sendable, Hashable, CustomStringConvertible {
        /// The ticket has no category.
        case noCategory
        case unknownCategory(String)
        /// The item's owner is no unit of the jurisdiction.
        case unknownOwner(String)
        /// A named (co-)unit or street office is no unit of the jurisdiction.
        case unknownUnit(String)
        /// Territorial routing without a known street.
        case unknownStreet(String?)
        /// The lead unit is excluded (it returned the ticket): the center names a new lead.
        case leadExcluded(String)
        /// Every candidate is excluded.
        case nobodyLeft
        /// The deadlines fall in a year no loaded working calendar covers: load it, then dispatch.
        case calendarNotCovered(Int)
        /// The unit handling it was retired and the jurisdiction names no successor that can take it.
        case unitRetired(String)

        /// A stable code for events and reports.
        public var code: String {
            switch self {
            case .noCategory: return "no_category"
            case .unknownCategory: return "unknown_category"
            case .unknownOwner: return "unknown_owner"
            case .unknownUnit: return "unknown_unit"
            case .unknownStreet: return "unknown_street"
            case .leadExcluded: return "lead_excluded"
            case .nobodyLeft: return "nobody_left"
            case .calendarNotCovered: return "calendar_not_covered"
            case .unitRetired: return "unit_retired"
            }
        }

        public var description: String {
            switch self {
            case .noCategory: return "the ticket has no category"
            case .unknownCategory(let code): return "no catalogue item \(code)"
            case .unknownOwner(let code): return "the owner \(code) is not a unit of the jurisdiction"
            case .unknownUnit(let code): return "\(code) is not a unit of the jurisdiction"
            case .unknownStreet(let street): return "no street office for street \(street ?? "(none)")"
            case .leadExcluded(let code): return "the lead unit \(code) is excluded"
            case .nobodyLeft: return "every candidate unit is excluded"
            case .calendarNotCovered(let year): return "\(CalendarError.yearNotCovered(year)): load it (hotlinectl calendar load)"
            case .unitRetired(let code): return "the unit \(code) was retired and no successor takes its assignment over"
            }
        }
    }
}
