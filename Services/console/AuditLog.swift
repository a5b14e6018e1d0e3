import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// The console's audit log (`console_audit`, docs/console.md "Audit log"): every sign-in and
/// sign-out, failed or not, every decision with its command (written before the command goes out;
/// its outcome is read from `command_outcomes`), every ticket page viewed, every search by phone,
/// every dead letter requeued. Details hold ids and outcomes, never a citizen's personal data.
struct AuditLog: Sendable {
    let database: Database

    struct Entry: Sendable {
        let at: Date
        let user: String
        let action: String
        let subject: String?
        let detail: String
        let remote: String?
        /// The outcome of the center command the entry sent, once there is one.
        let outcome: String?
    }

    func record(
        _ action: String, by user: String, subject: String? = nil, detail: [String: String] = [:], remote: String?, at: Date
    ) async throws {
        try await database.withConnection { connection in
            Self.write(action, by: user, subject: subject, detail: detail, remote: remote, at: at, on: connection)
            try connection.flush()
        }
    }

    /// Queues the entry's insert on `connection` (sent with its next statement, in its transaction).
    static func write(
        _ action: String, by user: String, subject: String? = nil, detail: [String: String] = [:], remote: String?, at: Date,
        on connection: PostgresConnection
    ) {
        connection.write(
            "INSERT INTO console_audit (at, user_name, action, subject, detail, remote) VALUES ($1, $2, $3, $4, $5::jsonb, $6)",
            [at, user, action, subject, JSONText(data: HotlineJSON.stringObject(detail)), remote])
    }

    /// The newest entries, of one person or about one subject when given.
    func recent(user: String? = nil, subject: String? = nil, action: String? = nil, limit: Int = 200) async throws -> [Entry] {
        try await database.withConnection { connection in
            try connection.query(
                """
                SELECT a.at, a.user_name, a.action, a.subject, a.detail::text AS detail, a.remote, o.outcome_type FROM console_audit a
                LEFT JOIN command_outcomes o ON o.user_id = 'center' AND o.command_id = a.detail->>'command_id'
                WHERE ($1::text IS NULL OR a.user_name = $1) AND ($2::text IS NULL OR a.subject = $2) AND ($3::text IS NULL OR a.action = $3)
                ORDER BY a.at DESC, a.id DESC LIMIT $4
                """, [user, subject, action, limit]
            ).map { row in
                Entry(
                    at: try row.decode("at"), user: try row.decode("user_name"), action: try row.decode("action"),
                    subject: try row.decodeIfPresent("subject"), detail: try row.decode("detail"), remote: try row.decodeIfPresent("remote"),
                    outcome: try row.decodeIfPresent("outcome_type"))
            }
        }
    }
}
