import Foundation

/// Returns (退回): screening a unit's request, and what follows the center's approval
/// (docs/rules.md "Dispatch", PS §13-14, ZS §17).
public enum ReturnDecisions {
    /// What the assignment's record says about returns.
    public struct Facts: Sendable, Hashable {
        /// The assignment's `return_allowed` (false for first-responsible and decided ownership).
        public var returnAllowed: Bool
        /// Whether an extension was granted (PS §14: an extended assignment cannot be returned).
        public var extended: Bool
        /// Whether a return of this assignment was denied before.
        public var deniedBefore: Bool
        /// The end of the return window (`deadlines.return_by`).
        public var returnBy: Date?
        /// The duty catalogue routed it (PS §12(一)).
        public var catalogueRouted: Bool

        public init(returnAllowed: Bool, extended: Bool, deniedBefore: Bool, returnBy: Date?, catalogueRouted: Bool = false) {
            self.returnAllowed = returnAllowed
            self.extended = extended
            self.deniedBefore = deniedBefore
            self.returnBy = returnBy
            self.catalogueRouted = catalogueRouted
        }
    }

    /// A request that goes to the center's review.
    public struct Accepted: Sendable, Hashable {
        /// The position while the center reviews it.
        public var position: AssignmentLifecycle.Position
        /// Asked after the window (only where the profile reviews late requests): an overdue
        /// return if approved.
        public var late: Bool
    }

    /// Screens `unit.request-return`: the state first (`wrong_state`), then the profile's rules:
    /// `not_allowed` for first-responsible, extended or already-denied assignments and for reason
    /// codes refused without review; `invalid` without a reason or basis; `too_late` after the window.
    public static func screen(
        _ request: UnitRequestReturn, position: AssignmentLifecycle.Position, facts: Facts, rules: ReturnRules,
        now: Date
    ) -> Result<Accepted, CommandRefusal> {
        let next: AssignmentLifecycle.Position
        switch AssignmentLifecycle.apply(.requestReturn, to: position) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let position): next = position
        }
        let screening = rules.screen(
            reasonCode: request.reasonCode, reason: request.reason, basis: request.basis, suggestedUnit: request.suggestedUnit,
            writtenExplanation: request.writtenExplanation, requestedAt: now, returnBy: facts.returnBy, returnAllowed: facts.returnAllowed, extended: facts.extended,
            deniedBefore: facts.deniedBefore, catalogueRouted: facts.catalogueRouted)
        switch screening {
        case .review(let late):
            return .success(Accepted(position: next, late: late))
        case .refused(let refusal):
            return .failure(Self.refusal(refusal, request: request, returnBy: facts.returnBy, rules: rules))
        }
    }

    /// The contract's rejection for a screening refusal.
    public static func refusal(
        _ refusal: ReturnRules.Refusal, request: UnitRequestReturn, returnBy: Date?, rules: ReturnRules
    ) -> CommandRefusal {
        let reason = CommandRejection(rawValue: refusal.rejectionReason) ?? .notAllowed
        let message: String
        switch refusal {
        case .returnNotAllowed:
            message = "this assignment may not be returned (first-responsible or decided ownership)"
        case .missingReasonOrBasis:
            message = "a return needs both a reason and a basis"
        case .reasonRefused:
            message = "reason code \(request.reasonCode) is refused without review"
        case .deniedBefore:
            message = "a return of this assignment was denied; it may not be asked again"
        case .extended:
            message = "an extended assignment cannot be returned"
        case .late:
            let window = returnBy.map { " at \(RFC3339.string(from: $0))" } ?? ""
            message = "the return window closed\(window)"
        case .catalogueReason:
            let allowed = (rules.catalogueReasons ?? []).joined(separator: ", ")
            message = "the duty catalogue assigns this matter to the unit: it may not be refused or returned, only "
                + "claimed misclassified (\(allowed), naming the unit responsible in suggested_unit) (PS §12(一))"
        case .missingWrittenExplanation:
            message = "a return needs the unit's written explanation (written_explanation, 书面退单说明)"
        case .catalogueWithoutSuggestedUnit:
            message = "a return of a catalogue-routed assignment must name the unit the matter belongs to (suggested_unit) (PS §12(一))"
        }
        return CommandRefusal(reason, message, rule: refusal.rawValue)
    }

    /// An assignment of the ticket that is still live (not ended), other than the one returned.
    public struct LiveAssignment: Sendable, Hashable {
        public var unit: String
        public var role: AssignmentRole

        public init(unit: String, role: AssignmentRole) {
            self.unit = unit
            self.role = role
        }
    }

    /// What follows an approved return.
    public enum Followup: Sendable, Hashable {
        /// Nothing: other parallel candidates still hold the ticket, or a co-unit left without a successor.
        case nothing
        /// New assignments (the lead's co-units keep theirs).
        case assign([PlannedAssignment])
        /// The ticket goes to the center's dispatchers.
        case manual(RoutingDecision.ManualReason)
    }

    /// Checks the center's `reassign_to`: a unit of the jurisdiction, not the returning unit, and
    /// not one already handling the ticket.
    public static func checkReassignment(
        _ reassignTo: String?, returningUnit: String, live: [LiveAssignment], knownUnits: Set<String>
    ) -> CommandRefusal? {
        guard let reassignTo else { return nil }
        guard knownUnits.contains(reassignTo) else {
            return CommandRefusal(.invalid, "reassign_to \(reassignTo) is not a unit of the jurisdiction")
        }
        if reassignTo == returningUnit {
            return CommandRefusal(.invalid, "reassign_to names the returning unit \(reassignTo)")
        }
        if live.contains(where: { $0.unit == reassignTo }) {
            return CommandRefusal(.invalid, "\(reassignTo) already handles this ticket")
        }
        return nil
    }

    /// What follows an approved return of an assignment of `unit` in `role`: the ticket goes to
    /// `reassignTo` when the center names a unit, or is routed again by the catalogue without every
    /// unit that returned it (`excluded`), or goes to manual dispatch when nobody is left. A co-unit's
    /// return only ends its part (or hands it to `reassignTo`); a parallel candidate's return leaves
    /// the ticket to the other candidates while there are any.
    public static func followup(
        unit: String, role: AssignmentRole, leadUnit: String?, live: [LiveAssignment], reassignTo: String?,
        excluded: Set<String>, router: Router, category: String?, street: String?
    ) -> Followup {
        let liveUnits = Set(live.map(\.unit))
        let liveCo = live.filter { $0.role == .co }.map(\.unit)
        switch role {
        case .co:
            guard let reassignTo else { return .nothing }
            let lead = leadUnit ?? live.first(where: { $0.role == .lead || $0.role == .firstResponsible })?.unit
            return .assign([PlannedAssignment(unit: reassignTo, role: .co, leadUnit: lead, coUnits: liveCo + [reassignTo])])
        case .parallel where live.contains(where: { $0.role == .parallel }):
            return .nothing
        default:
            break
        }
        let keepsCoUnits = role == .lead && !liveCo.isEmpty
        if let reassignTo {
            if keepsCoUnits {
                return .assign([PlannedAssignment(unit: reassignTo, role: .lead, leadUnit: reassignTo, coUnits: liveCo)])
            }
            return .assign([PlannedAssignment(unit: reassignTo, role: .sole)])
        }
        let decision = router.routeAutomatically(category: category, street: street, excluding: excluded.union(liveUnits))
        switch decision {
        case .manual(let reason):
            return .manual(reason)
        case .assign(let plans):
            guard let first = plans.first else { return .manual(.nobodyLeft) }
            if keepsCoUnits {
                return .assign([PlannedAssignment(unit: first.unit, role: .lead, leadUnit: first.unit, coUnits: liveCo)])
            }
            return .assign(plans)
        }
    }
}
