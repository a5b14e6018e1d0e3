/// An error from PostgreSQL or libpq, with the server's SQLSTATE when there is one.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// The five-character SQLSTATE (`23505` unique violation, `40001` serialization failure, `08…`
    /// connection exceptions), or nil when the error did not come from the server.
    public let sqlState: String?
    public let message: String
    /// True when the connection itself failed; the connection is discarded and the work may be retried.
    public let isConnectionFailure: Bool
    /// The connection's `tag` when the failed statement was sent or queued (nil when none was set).
    public internal(set) var statementTag: Int?

    public init(sqlState: String?, message: String, isConnectionFailure: Bool = false) {
        self.sqlState = sqlState
        self.message = message
        self.isConnectionFailure = isConnectionFailure
    }

    /// Whether running the same transaction again may succeed: connection loss, serialization
    /// failures, deadlocks, a server that is shutting down or starting up, and a grant the role
    /// lacks (`42501`: the database is migrated by an older `hotlinectl`; the operator's
    /// `hotlinectl migrate` restores it, so the work waits rather than fails).
    public var isTransient: Bool {
        if isConnectionFailure { return true }
        guard let state = sqlState else { return false }
        return state == "40001" || state == "40P01" || state.hasPrefix("08") || state == "57P01"
            || state == "57P02" || state == "57P03" || state == "53300" || state == "42501"
    }

    public var isUniqueViolation: Bool { sqlState == "23505" }

    public var description: String {
        if let sqlState { return "database error \(sqlState): \(message)" }
        return "database error: \(message)"
    }
}
