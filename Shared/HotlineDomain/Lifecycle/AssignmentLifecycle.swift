import Foundation

/// The state machine of one assignment (docs/contract.md "Assignments", docs/rules.md "Dispatch"): which action is
/// allowed in which state and where it leads. Pure: the dispatcher loads a `Position`, asks
/// `apply`, and stores the result; every action not listed for a state is refused with
/// `wrong_state`.
///
/// ```
/// pending ──sign──▶ signed ──submit-resolution──▶ resolution_submitted ──approve──▶ resolved ──reopen──▶ signed
///    │                │   └─submit-stage-resolution─▶ (stage review) ──approve──▶ stage_resolved ──submit-resolution──▶ …
///    └─request-return─┴──▶ return_requested ──approve──▶ returned;  deny ──▶ back where it was
/// reject (resolution) ──▶ back where it was;  cancel (parallel claimed elsewhere, withdrawn) ──▶ cancelled;
/// close (the ticket is resolved; co-units) ──▶ closed
/// ```
public enum AssignmentLifecycle {
    /// Where an assignment stands, with what the machine needs to remember across a review.
    public struct Position: Sendable, Hashable {
        public var state: AssignmentState
        public var role: AssignmentRole
        /// While in `resolution_submitted`: whether a final or a stage resolution awaits review.
        public var reviewing: ResolutionKind?
        /// While under review (`return_requested`, `resolution_submitted`): the state to go back to
        /// when the center denies or rejects.
        public var resumeState: AssignmentState?

        public init(
            state: AssignmentState, role: AssignmentRole, reviewing: ResolutionKind? = nil,
            resumeState: AssignmentState? = nil
        ) {
            self.state = state
            self.role = role
            self.reviewing = reviewing
            self.resumeState = resumeState
        }

        /// Whether the assignment has ended (nothing but a reopen can follow).
        public var hasEnded: Bool { AssignmentLifecycle.endedStates.contains(state) }
    }

    /// What can happen to an assignment.
    public enum Action: Sendable, Hashable, CustomStringConvertible {
        /// `unit.sign`, or the automatic sign-off at the sign deadline (`auto`).
        case sign(auto: Bool)
        /// `unit.notify-citizen`.
        case notifyCitizen
        /// `unit.request-return` (after screening).
        case requestReturn
        /// `center.decide-return` approving.
        case approveReturn
        /// `center.decide-return` denying.
        case denyReturn
        /// `unit.submit-resolution` (after the checks).
        case submitResolution
        /// `unit.submit-stage-resolution` (after the checks).
        case submitStageResolution
        /// `center.decide-resolution` approving.
        case approveResolution
        /// `center.decide-resolution` rejecting.
        case rejectResolution
        /// `unit.report-part` (co-units).
        case reportPart
        /// The survey reopened the ticket this assignment resolved (重办).
        case reopen
        /// Another unit claimed the parallel ticket, or the assignment was withdrawn.
        case cancel
        /// The ticket was resolved by its lead: the co-units' assignments close with it.
        case close

        public var description: String {
            switch self {
            case .sign(let auto): return auto ? "automatic sign-off" : "sign"
            case .notifyCitizen: return "notify the citizen"
            case .requestReturn: return "request a return"
            case .approveReturn: return "approve a return"
            case .denyReturn: return "deny a return"
            case .submitResolution: return "submit a resolution"
            case .submitStageResolution: return "submit a stage resolution"
            case .approveResolution: return "approve a resolution"
            case .rejectResolution: return "reject a resolution"
            case .reportPart: return "report a part"
            case .reopen: return "reopen"
            case .cancel: return "cancel"
            case .close: return "close"
            }
        }
    }

    /// States after which nothing happens any more, except a reopen of `resolved`.
    public static let endedStates: Set<AssignmentState> = [.returned, .resolved, .cancelled, .closed]
    /// States in which the unit is still working on the ticket.
    public static let liveStates: [AssignmentState] = AssignmentState.allCases.filter { !endedStates.contains($0) }

    /// The position after `action`, or why it is refused (`wrong_state`, or `not_allowed` where the
    /// role forbids it).
    public static func apply(_ action: Action, to position: Position) -> Result<Position, CommandRefusal> {
        let state = position.state
        func wrong() -> Result<Position, CommandRefusal> {
            .failure(CommandRefusal(.wrongState, "cannot \(action) an assignment in state \(state.rawValue)"))
        }
        func to(
            _ next: AssignmentState, reviewing: ResolutionKind? = nil, resume: AssignmentState? = nil
        ) -> Result<Position, CommandRefusal> {
            .success(Position(state: next, role: position.role, reviewing: reviewing, resumeState: resume))
        }
        // An ended assignment refuses everything as `wrong_state` (before any role check), except
        // the reopen of a resolved one.
        if position.hasEnded && !(state == .resolved && action == .reopen) { return wrong() }
        switch action {
        case .sign:
            return state == .pending ? to(.signed) : wrong()

        case .notifyCitizen:
            switch state {
            case .signed, .stageResolved, .returnRequested, .resolutionSubmitted: return .success(position)
            default: return wrong()
            }

        case .requestReturn:
            switch state {
            case .pending, .signed: return to(.returnRequested, resume: state)
            default: return wrong()
            }

        case .approveReturn:
            return state == .returnRequested ? to(.returned) : wrong()

        case .denyReturn:
            guard state == .returnRequested else { return wrong() }
            return to(position.resumeState ?? .signed)

        case .submitResolution:
            guard position.role != .co else {
                return .failure(CommandRefusal(
                    .notAllowed, "a co-unit reports its part to the lead with unit.report-part; the lead resolves"))
            }
            switch state {
            case .signed, .stageResolved: return to(.resolutionSubmitted, reviewing: .final, resume: state)
            default: return wrong()
            }

        case .submitStageResolution:
            guard position.role != .co else {
                return .failure(CommandRefusal(
                    .notAllowed, "a co-unit reports its part to the lead with unit.report-part; the lead resolves"))
            }
            return state == .signed ? to(.resolutionSubmitted, reviewing: .stage, resume: state) : wrong()

        case .approveResolution:
            guard state == .resolutionSubmitted else { return wrong() }
            return to(position.reviewing == .stage ? .stageResolved : .resolved)

        case .rejectResolution:
            guard state == .resolutionSubmitted else { return wrong() }
            return to(position.resumeState ?? .signed)

        case .reportPart:
            guard position.role == .co else {
                return .failure(CommandRefusal(.notAllowed, "only a co-unit reports a part (this assignment is \(position.role.rawValue))"))
            }
            return state == .signed ? to(.signed) : wrong()

        case .reopen:
            return state == .resolved ? to(.signed) : wrong()

        case .cancel:
            switch state {
            case .pending, .signed, .returnRequested, .resolutionSubmitted, .stageResolved: return to(.cancelled)
            default: return wrong()
            }

        case .close:
            switch state {
            case .pending, .signed, .returnRequested, .resolutionSubmitted, .stageResolved: return to(.closed)
            default: return wrong()
            }
        }
    }
}
