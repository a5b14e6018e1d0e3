import Foundation

/// How a ticket is routed: by the catalogue, or as the center's `center.dispatch` names it
/// (PS §10, §12, §15; PL §8).
public enum RoutingMode: Sendable, Hashable {
    /// By the catalogue item: sole owner, lead + co-units, or territorial.
    case catalogue
    /// One unit (单一).
    case sole(String)
    /// A lead unit (牵头/主办) and co-units (协同/会办).
    case leadCo(lead: String, co: [String])
    /// Every unit at once; the first to claim handles it (并行分拨).
    case parallel([String])
    /// The unit best placed, which may not return it (首接负责); others as co-units.
    case firstResponsible(String, co: [String])
    /// The street office of the ticket's street (属地兜底).
    case territorial

    /// Why a `center.dispatch` mode is malformed.
    public enum ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        case unknownMode(String)
        case wrongUnitCount(mode: String, count: Int)
        public var description: String {
            switch self {
            case .unknownMode(let mode): return "unknown dispatch mode \(mode)"
            case .wrongUnitCount(let mode, let count): return "mode \(mode) cannot take \(count) units"
            }
        }
    }

    /// The mode of a `center.dispatch` command: `catalogue`, `sole`, `lead_co`, `parallel`,
    /// `first_responsible`, `territorial`; `units` first is the lead where the mode has one.
    public init(mode: String, units: [String]) throws {
        switch mode {
        case "catalogue", "auto":
            guard units.isEmpty else { throw ParseError.wrongUnitCount(mode: mode, count: units.count) }
            self = .catalogue
        case "territorial":
            guard units.isEmpty else { throw ParseError.wrongUnitCount(mode: mode, count: units.count) }
            self = .territorial
        case "sole":
            guard units.count == 1 else { throw ParseError.wrongUnitCount(mode: mode, count: units.count) }
            self = .sole(units[0])
        case "lead_co":
            guard let lead = units.first else { throw ParseError.wrongUnitCount(mode: mode, count: 0) }
            self = .leadCo(lead: lead, co: Array(units.dropFirst()))
        case "parallel":
            guard !units.isEmpty else { throw ParseError.wrongUnitCount(mode: mode, count: 0) }
            self = .parallel(units)
        case "first_responsible":
            guard let first = units.first else { throw ParseError.wrongUnitCount(mode: mode, count: 0) }
            self = .firstResponsible(first, co: Array(units.dropFirst()))
        default:
            throw ParseError.unknownMode(mode)
        }
    }
}
