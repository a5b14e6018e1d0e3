import HotlineDomain

/// The person signed in to a session: their account, role and the session's CSRF token.
struct Visitor: Sendable {
    let name: String
    let displayName: String
    let role: ConsoleRole
    let csrfToken: String

    func may(_ permission: ConsolePermission) -> Bool { role.may(permission) }

    /// Whether any work queue is theirs to decide.
    var decidesWork: Bool { WorkQueue.allCases.contains { may($0.permission) } }
}
