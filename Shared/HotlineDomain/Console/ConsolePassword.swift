/// The console's password rule (docs/console.md "Accounts and roles"): long enough to resist
/// guessing, since bcrypt only slows guessing down.
public enum ConsolePassword {
    public static let minimumLength = 12
    public static let maximumLength = 72   // bcrypt reads no further

    /// Why `password` is not acceptable, or nil.
    public static func problem(_ password: String) -> String? {
        if password.count < minimumLength { return "at least \(minimumLength) characters" }
        if password.utf8.count > maximumLength { return "at most \(maximumLength) bytes" }
        if Set(password).count < 5 { return "too few different characters" }
        return nil
    }
}
