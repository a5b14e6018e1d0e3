import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// The tickets as the center sees them (docs/console.md "Tickets"): a search that shows phone
/// numbers masked, and one ticket's whole file.
struct TicketFiles: Sendable {
    let database: Database

    /// What a search asks for; every given filter must hold.
    struct Search: Sendable {
        var ticketNo: String?
        var phone: String?
        var unit: String?
        var category: String?
        var status: String?
        var from: Date?
        var to: Date?

        var isEmpty: Bool { [ticketNo, phone, unit, category, status].allSatisfy { $0 == nil } && from == nil && to == nil }
    }

    /// A line of the search's results.
    struct Found: Sendable {
        let ticketNo: String
        let receivedAt: Date
        let status: String
        let category: String?
        let title: String
        let street: String?
        let urgency: String
        let phone: String?
        let units: [String]
    }

    static let limit = 100

    /// A ticket's citizen phone as `CitizenKeys.canonicalPhone` writes it: the expression of the index
    /// `tickets_citizen_phone_canonical` (`0032_console_sessions_and_claims.sql`), so that a search by
    /// phone finds `+86 138…`, `0086138…` and `138…` alike.
    static let canonicalPhoneSQL = """
        (CASE WHEN regexp_replace(regexp_replace(t.citizen->>'phone', '[^0-9]', '', 'g'), '^(0086|86)', '') ~ '^[01]|^$'
             THEN regexp_replace(regexp_replace(t.citizen->>'phone', '[^0-9]', '', 'g'), '^(0086|86)', '')
             ELSE '0' || regexp_replace(regexp_replace(t.citizen->>'phone', '[^0-9]', '', 'g'), '^(0086|86)', '') END)
        """

    /// The tickets every given filter holds for, the newest first; only the given filters reach the
    /// SQL, so that each can use its index.
    func search(_ search: Search) async throws -> [Found] {
        var conditions: [String] = []
        var parameters: [(any PostgresEncodable)?] = []
        func condition(_ sql: String, _ value: any PostgresEncodable) {
            parameters.append(value)
            conditions.append(sql.replacingOccurrences(of: "$?", with: "$\(parameters.count)"))
        }
        if let ticketNo = search.ticketNo { condition("t.ticket_no = $?", ticketNo) }
        if let phone = search.phone { condition("\(Self.canonicalPhoneSQL) = $?", CitizenKeys.canonicalPhone(phone) ?? phone) }
        if let unit = search.unit {
            condition("EXISTS (SELECT 1 FROM assignments a WHERE a.ticket_no = t.ticket_no AND a.unit = $?)", unit)
        }
        if let category = search.category { condition("t.category = $?", category) }
        if let status = search.status { condition("s.status = $?", status) }
        if let from = search.from { condition("t.received_at >= $?", from) }
        if let to = search.to { condition("t.received_at < $?", to) }
        let sql = """
            SELECT t.ticket_no, t.received_at, s.status, t.category, coalesce(t.title, '') AS title, t.street, t.urgency,
                   t.citizen->>'phone' AS phone,
                   (SELECT string_agg(a.unit, ',' ORDER BY a.created_at) FROM assignments a
                    WHERE a.ticket_no = t.ticket_no AND a.state NOT IN ('cancelled', 'returned')) AS units
            FROM tickets t JOIN ticket_status s USING (ticket_no)
            WHERE \(conditions.isEmpty ? "true" : conditions.joined(separator: " AND "))
            ORDER BY t.received_at DESC, t.ticket_no DESC LIMIT \(Self.limit)
            """
        let values = parameters
        return try await database.withConnection { connection in
            try connection.query(sql, values).map { row in
                Found(
                    ticketNo: try row.decode("ticket_no"), receivedAt: try row.decode("received_at"), status: try row.decode("status"),
                    category: try row.decodeIfPresent("category"), title: try row.decode("title"), street: try row.decodeIfPresent("street"),
                    urgency: try row.decode("urgency"), phone: try row.decodeIfPresent("phone"),
                    units: (try row.decodeIfPresent("units", as: String.self) ?? "").split(separator: ",").map(String.init))
            }
        }
    }

    /// One ticket's file: the demand with the citizen's details, its assignments with their
    /// deadlines, the replies, the surveys, the escalations and the history.
    struct File: Sendable {
        let ticket: PostgresRow
        let assignments: [PostgresRow]
        let history: [PostgresRow]
        let escalations: [PostgresRow]
        let surveys: [PostgresRow]
        let resolutions: [PostgresRow]
    }

    func file(_ ticketNo: String) async throws -> File? {
        try await database.withConnection { connection in
            guard let ticket = try connection.query(
                """
                SELECT t.*, t.citizen::text AS citizen_text, t.location::text AS location_text, s.status AS current_status
                FROM tickets t JOIN ticket_status s USING (ticket_no) WHERE t.ticket_no = $1
                """, [ticketNo]
            ).first else { return nil }
            let results = try connection.queries([
                (
                    """
                    SELECT assignment_id, unit, role, state, deadlines::text AS deadlines, signed_at, notified_at, feedback_at,
                           ended_at, follow_up_by, extensions, created_at, dispatch_mode
                    FROM assignments WHERE ticket_no = $1 ORDER BY created_at, assignment_id
                    """, [ticketNo]
                ),
                (
                    "SELECT at, actor, operator, action, detail::text AS detail FROM ticket_history WHERE ticket_no = $1 ORDER BY at, id",
                    [ticketNo]
                ),
                (
                    "SELECT unit, tier, deadline, days_overdue, raised_at FROM escalations WHERE ticket_no = $1 ORDER BY raised_at",
                    [ticketNo]
                ),
                (
                    """
                    SELECT survey_id, status, satisfied, solved, level, sent_at, answered_at, expired_at, excluded
                    FROM surveys WHERE ticket_no = $1 ORDER BY sent_at
                    """, [ticketNo]
                ),
                (
                    """
                    SELECT r.assignment_id, a.unit, r.kind, r.outcome, r.reply, r.submitted_at, r.decided_at, r.approved, r.note
                    FROM resolutions r JOIN assignments a USING (assignment_id) WHERE a.ticket_no = $1 ORDER BY r.submitted_at, r.id
                    """, [ticketNo]
                ),
            ])
            return File(
                ticket: ticket, assignments: results[0], history: results[1], escalations: results[2], surveys: results[3],
                resolutions: results[4])
        }
    }
}
