import Foundation

/// Routing as the dispatcher uses it: the automatic dispatch of a new ticket (and the re-routing after
/// an approved return), and the plan of a `center.dispatch`.
extension Router {
    /// Routes a new ticket by the catalogue; a street the jurisdiction does not know sends it to
    /// manual dispatch even when the item names its unit (the matter may lie outside the district).
    /// Intake accepts a street named without its 街道 suffix ("坑梓" for "坑梓街道"); so does routing.
    public func routeAutomatically(category: String?, street: String?, excluding: Set<String> = []) -> RoutingDecision {
        guard let given = street?.trimmingWhitespace, !given.isEmpty else {
            return route(category: category, street: nil, excluding: excluding)
        }
        guard let known = knownStreet(given) else { return .manual(.unknownStreet(given)) }
        return route(category: category, street: known, excluding: excluding)
    }

    /// The jurisdiction's name of a street, accepting it without the 街道 suffix; nil when unknown.
    public func knownStreet(_ street: String) -> String? {
        if streetOffice(of: street) != nil { return street }
        if streetOffice(of: street + "街道") != nil { return street + "街道" }
        return nil
    }

    /// The assignments of a `center.dispatch`; a unit the jurisdiction does not know is `invalid`.
    public func plan(_ command: CenterDispatch) -> Result<[PlannedAssignment], CommandRefusal> {
        guard !command.units.isEmpty else { return .failure(CommandRefusal(.invalid, "units must name at least one unit")) }
        let mode: RoutingMode
        switch command.mode {
        case .sole, .territorial: mode = .sole(command.units[0])
        case .leadCo: mode = .leadCo(lead: command.units[0], co: Array(command.units.dropFirst()))
        case .parallel: mode = .parallel(command.units)
        case .firstResponsible: mode = .firstResponsible(command.units[0], co: Array(command.units.dropFirst()))
        }
        switch route(category: nil, street: nil, mode: mode) {
        case .manual(let reason):
            return .failure(CommandRefusal(.invalid, "cannot dispatch: \(reason.description)"))
        case .assign(var plans):
            if command.mode == .territorial {
                plans = plans.map { PlannedAssignment(unit: $0.unit, role: .territorial) }
            }
            if let committee = plans.first(where: { $0.role != .co && committees.contains($0.unit) }) {
                return .failure(CommandRefusal(
                    .invalid,
                    "\(committee.unit) is a residents' or villagers' committee: it assists as a co-unit, never as the unit responsible (ZS §6)"))
            }
            return .success(plans)
        }
    }
}
