/// Why a command or an action is refused: the contract's reason code and a short English sentence
/// (`command.rejected`'s `reason` and `message`), and the profile rule that refused it when one did.
public struct CommandRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: CommandRejection
    public var message: String
    /// The rule profile's name for the rule that refused it (e.g. `ExtensionRules.Refusal`'s raw value).
    public var rule: String?

    public init(_ reason: CommandRejection, _ message: String, rule: String? = nil) {
        self.reason = reason
        self.message = message
        self.rule = rule
    }

    public var description: String { "\(reason.rawValue): \(message)" }
}
