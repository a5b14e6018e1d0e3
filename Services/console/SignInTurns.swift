import Synchronization

/// How many sign-ins of this copy are being checked: each holds a database connection through
/// bcrypt, so only a few at a time, and the pages keep the others.
final class SignInTurns: Sendable {
    private let underway = Mutex(0)

    /// Takes a turn when fewer than `limit` are underway.
    func take(limit: Int) -> Bool {
        underway.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func give() {
        underway.withLock { $0 -= 1 }
    }
}
