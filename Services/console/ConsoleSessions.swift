import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage
import HummingbirdBcrypt

/// Sign-in and sessions (docs/console.md "Signing in"). A session is a random token in an HttpOnly
/// cookie; the database keeps only its SHA-256, with the session's CSRF token. A session ends when
/// its person signs out, after `idleTimeout` without a request, after `lifetime`, and when the
/// account is disabled or its password changed (`hotlinectl console user`). Five failed sign-ins of
/// a name within 15 minutes refuse it for the rest of those minutes.
struct ConsoleSessions: Sendable {
    let database: Database
    let idleTimeout: TimeInterval
    let lifetime: TimeInterval

    let turns = SignInTurns()

    static let failureLimit = 5
    static let failureWindow: TimeInterval = 15 * 60
    /// Sign-ins checked at once by a copy; one more waits up to `turnWait` for its turn, then is
    /// told to try again (a burst of guesses cannot take every database connection from the pages).
    static let signInsAtOnce = 2
    static let turnWait: Duration = .seconds(3)

    /// A hash to verify against when the name is unknown, so that the answer takes as long (bcrypt,
    /// cost 12, of a password nobody has).
    private static let decoy = "$2b$12$9E5SBp1mnJHLCeVT5iN2suDL7i5wxFxSQvxE6QbUhMQY6xxSF1vmm"

    enum SignIn: Sendable {
        case signedIn(token: String)
        case refused(String)
        /// Too many sign-ins at once: nothing was checked or recorded.
        case busy
    }

    /// Checks the name and password and begins a session. One sign-in of a name at a time, across
    /// every copy (a transaction-level advisory lock on the name): its failures are counted and
    /// recorded before the next is tried. bcrypt runs on the database pool's thread, off the
    /// cooperative pool, for `signInsAtOnce` sign-ins at a time.
    func signIn(name: String, password: String, remote: String?, now: Date) async throws -> SignIn {
        let deadline = ContinuousClock.now + Self.turnWait
        while !turns.take(limit: Self.signInsAtOnce) {
            guard ContinuousClock.now < deadline else { return .busy }
            try await Task.sleep(for: .milliseconds(20))
        }
        defer { turns.give() }
        let token = Hex.randomToken()
        return try await database.transaction { connection in
            _ = try connection.query("SELECT pg_advisory_xact_lock(hashtext('console sign-in ' || $1))", [name])
            let failures = try connection.query(
                "SELECT count(*) AS n FROM console_audit WHERE user_name = $1 AND action = 'sign_in_failed' AND at > $2",
                [name, now.addingTimeInterval(-Self.failureWindow)]
            ).first?.decode("n", as: Int.self) ?? 0
            if failures >= Self.failureLimit {
                AuditLog.write("sign_in_refused", by: name, remote: remote, at: now, on: connection)
                return .refused("登录失败次数过多，请15分钟后再试")
            }
            let account = try connection.query(
                "SELECT password_hash, disabled, session_epoch FROM console_users WHERE name = $1", [name]
            ).first
            let hash: String = try account?.decode("password_hash") ?? Self.decoy
            let disabled: Bool = try account?.decode("disabled") ?? true
            guard Bcrypt.verify(password, hash: hash), account != nil, !disabled else {
                AuditLog.write("sign_in_failed", by: name, remote: remote, at: now, on: connection)
                return .refused("用户名或密码错误")
            }
            _ = try connection.query(
                """
                INSERT INTO console_sessions (token_sha256, user_name, csrf_token, created_at, last_seen_at, expires_at, session_epoch)
                VALUES ($1, $2, $3, $4, $4, $5, $6)
                """,
                [SHA256.hex(token), name, Hex.randomToken(), now, now.addingTimeInterval(lifetime),
                 try account?.decode("session_epoch", as: Int.self) ?? 0])
            AuditLog.write("signed_in", by: name, remote: remote, at: now, on: connection)
            return .signedIn(token: token)
        }
    }

    /// Who holds the session `token` at `now`, keeping it alive; nil when it has ended.
    func visitor(token: String, now: Date) async throws -> Visitor? {
        try await database.withConnection { connection in
            guard let row = try connection.query(
                """
                UPDATE console_sessions s SET last_seen_at = $2 FROM console_users u
                WHERE s.token_sha256 = $1 AND u.name = s.user_name AND s.ended_at IS NULL AND s.expires_at > $2
                  AND s.last_seen_at > $3 AND NOT u.disabled AND s.session_epoch = u.session_epoch
                RETURNING u.name, u.display_name, u.role, s.csrf_token
                """, [SHA256.hex(token), now, now.addingTimeInterval(-idleTimeout)]
            ).first, let role = ConsoleRole(rawValue: try row.decode("role")) else { return nil }
            return Visitor(
                name: try row.decode("name"), displayName: try row.decode("display_name"), role: role,
                csrfToken: try row.decode("csrf_token"))
        }
    }

    func signOut(token: String, visitor: Visitor, remote: String?, now: Date) async throws {
        try await database.transaction { connection in
            _ = try connection.query(
                "UPDATE console_sessions SET ended_at = $2 WHERE token_sha256 = $1 AND ended_at IS NULL", [SHA256.hex(token), now])
            AuditLog.write("signed_out", by: visitor.name, remote: remote, at: now, on: connection)
        }
    }
}
