import Foundation

/// What one service may do in PostgreSQL, from which `hotlinectl migrate` grants its role
/// (docs/security.md "Least privilege"): it writes the tables it owns and the runtime's tables, and
/// reads those it names here and the reference data. Nothing else: no other table, no DDL.
/// docs/architecture.md "Tables" lists the same owners and readers.
public struct DatabaseRole: Sendable {
    public let service: String
    /// Tables it may read and write (SELECT, INSERT, UPDATE, DELETE), its own and the runtime's.
    public let writes: [String]
    /// Tables and views it may only read.
    public let reads: [String]

    init(_ service: String, writes: [String], reads: [String]) {
        self.service = service
        self.writes = Self.runtimeWrites + writes
        self.reads = Self.runtimeReads + reads
    }

    /// The runtime's tables, which every service writes through `ServiceRuntime` (outbox, inbox,
    /// outcomes, bad input, history) and purges at the end of retention.
    static let runtimeWrites = ["outbox", "processed_messages", "command_outcomes", "invalid_messages", "ticket_history"]
    /// The reference data every service loads (`ReferenceSources`).
    static let runtimeReads = ["jurisdiction", "calendar_years"]

    /// The role's name in `database`: `<database>_<service>` (`hotline_sla_timer`), so that districts
    /// sharing one PostgreSQL cluster, each in its own database, never share a role.
    public func name(in database: String) -> String {
        "\(database)_\(service.replacingOccurrences(of: "-", with: "_"))"
    }

    /// The seven services, as docs/architecture.md "Tables" lists what each writes and reads.
    public static let all: [DatabaseRole] = [
        DatabaseRole(
            "intake",
            writes: ["tickets", "submissions", "intake_demands", "ticket_links", "ticket_sequences", "concluded_matters",
                     "ticket_conclusions", "grid_verifications"],
            reads: ["assignments", "ticket_progress", "ticket_status"]),
        DatabaseRole(
            "dispatcher",
            writes: ["assignments", "ticket_progress", "citizen_notices", "return_requests", "resolutions"],
            reads: ["tickets", "sla_extension_requests"]),
        DatabaseRole(
            "sla-timer", writes: ["sla_timers", "sla_clocks", "sla_extension_requests"],
            reads: ["tickets", "assignments", "ticket_progress", "knowledge_corrections"]),
        DatabaseRole(
            "escalation-notifier",
            writes: [
                "escalations", "escalation_stops", "overdue_assignments", "alerts", "notifications", "cards", "card_runs",
                "assessment_appeals", "assessment_awards", "supervisions",
            ],
            reads: ["tickets", "assignments", "intake_demands", "return_requests"]),
        DatabaseRole(
            "survey", writes: ["surveys"], reads: ["tickets", "assignments", "ticket_links", "ticket_status"]),
        DatabaseRole(
            "knowledge", writes: ["knowledge_entries", "knowledge_revisions", "knowledge_corrections", "knowledge_uses"],
            reads: []),
        DatabaseRole(
            "open311", writes: [], reads: ["tickets", "ticket_status", "submissions", "assignments", "resolutions"]),
        DatabaseRole(
            "console", writes: ["console_sessions", "console_audit", "console_claims"],
            reads: [
                "console_users", "tickets", "ticket_status", "ticket_progress", "assignments", "return_requests", "resolutions",
                "sla_extension_requests", "surveys", "escalations", "alerts", "cards", "intake_demands",
                "assessment_appeals", "assessment_awards", "knowledge_entries", "knowledge_revisions", "knowledge_corrections",
                "knowledge_uses",
            ]),
    ]

    public static func of(_ service: String) -> DatabaseRole? { all.first { $0.service == service } }

    /// `url` (the schema owner's `postgres://` URL, naming the database) as this role, with its
    /// password from `passwords` (role → password, as `hotlinectl migrate --passwords` writes them).
    /// Read by hand rather than with `URLComponents`, which refuses libpq's multi-host form
    /// (`postgres://u:p@h1:5432,h2:5432/db?target_session_attrs=read-write`).
    public func url(from url: String, passwords: [String: String]) throws -> String {
        guard let scheme = url.range(of: "://") else { throw ConfigurationError("\(url) is not a postgres:// URL") }
        let rest = url[scheme.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let hosts = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        let path = rest[authorityEnd...].prefix { $0 != "?" }
        guard let database = path.split(separator: "/").last else { throw ConfigurationError("\(url) names no database") }
        let role = name(in: String(database))
        guard let password = passwords[role] else { throw ConfigurationError("no password for the database role \(role)") }
        let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? password
        return url[..<scheme.upperBound] + "\(role):\(encoded)@" + hosts + rest[authorityEnd...]
    }
}
