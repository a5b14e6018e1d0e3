import Foundation

/// Who may send which command (docs/contract.md "Identity and permissions"): the AMQP `user_id` of a unit
/// command must be the unit of the assignment it names; `center.*` commands come only from `center`;
/// `survey.*` only from `survey`. No setting turns these checks off.
public enum CommandAuthorization {
    /// Checks the kind of sender before anything else is read: a unit command from a unit, a center
    /// command from the center, a survey command from the survey channel. Returns the issuer.
    public static func sender(of type: CommandType, userID: String?) -> Result<CommandIssuer, CommandRefusal> {
        guard let userID, !userID.isEmpty else {
            return .failure(CommandRefusal(.forbidden, "\(type.rawValue) without user_id: the sender is unknown"))
        }
        guard let issuer = CommandIssuer(userID: userID), type.permits(issuer) else {
            return .failure(CommandRefusal(
                .forbidden, "\(type.rawValue) may only come from \(expectedSender(type)), not from \(String(userID.prefix(100)))"))
        }
        return .success(issuer)
    }

    /// Checks that `issuer` may act on an assignment of `unit`: a unit only on its own assignments,
    /// the center on any.
    public static func check(_ issuer: CommandIssuer, actsOnAssignmentOf unit: String, type: CommandType) -> CommandRefusal? {
        switch issuer {
        case .center where type.sender == .center: return nil
        case .unit(let code) where type.sender == .unit:
            return code == unit
                ? nil
                : CommandRefusal(.forbidden, "unit \(code) may not act on an assignment of unit \(unit)")
        default:
            return CommandRefusal(.forbidden, "\(issuer.userID) may not send \(type.rawValue)")
        }
    }

    private static func expectedSender(_ type: CommandType) -> String {
        switch type.sender {
        case .unit: return "a unit (unit.<code>)"
        case .center: return "the center"
        case .survey: return "the survey channel"
        case .gateway: return "a hotline gateway (gateway)"
        }
    }
}

/// Which commands on `hotline.commands` the dispatcher answers. It binds `unit.#`, `center.#` and
/// `survey.#` so that an unknown type still gets its `command.rejected` (reason `invalid`); the
/// types other services own are left to them (no outcome from the dispatcher), so that every
/// command has exactly one outcome in the whole platform.
public enum DispatcherCommandRouting: Sendable, Hashable {
    /// One of the dispatcher's commands.
    case handle(CommandType)
    /// A contract command another service answers (`unit.request-extension`, `center.decide-extension`:
    /// the sla-timer; `survey.response`, `center.exclude-dissatisfaction`: the survey service).
    case otherService(CommandType)
    /// Not a contract command type: answered with `invalid`.
    case unknown(String)

    /// The command types the dispatcher answers.
    public static let owned: Set<CommandType> = [
        .unitSign, .unitNotifyCitizen, .unitRequestReturn, .unitSubmitResolution, .unitSubmitStageResolution,
        .unitReportPart, .centerDispatch, .centerDecideReturn, .centerDecideResolution,
    ]

    /// Classifies a command by its type (the routing key).
    public init(type: String) {
        guard let known = CommandType(rawValue: type) else {
            self = .unknown(type)
            return
        }
        self = Self.owned.contains(known) ? .handle(known) : .otherService(known)
    }
}
