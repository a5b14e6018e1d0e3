import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// What waits in the center's work queues (docs/console.md "Work queues"), oldest first, each with
/// the deadline it is counted against and whoever has already taken it (`console_claims`).
struct WorkItems: Sendable {
    let database: Database

    /// One item waiting for a decision.
    struct Item: Sendable {
        let queue: WorkQueue
        /// The ticket number (dispatch), the assignment id (returns, resolutions) or the request id (extensions).
        let id: String
        /// Which round of the item this is (`WorkQueue.claimKey`).
        let round: String
        let ticketNo: String
        let title: String
        let category: String?
        let urgency: String
        let unit: String?
        /// What the unit asks or reports, in its words (no personal data of the citizen).
        let summary: String
        let waitingSince: Date
        let deadline: Date?
        var claim: Claim?
    }

    /// Who took an item, with the command's outcome once there is one.
    struct Claim: Sendable {
        let displayName: String
        let claimedAt: Date
        let commandID: String
        let outcomeType: String?
    }

    static let limit = 200

    /// How many items wait in each queue.
    func counts() async throws -> [WorkQueue: Int] {
        let sql = WorkQueue.allCases.map { "(SELECT count(*) FROM (\(Self.sql($0, limit: nil))) q) AS \"\($0.rawValue)\"" }
        return try await database.withConnection { connection in
            guard let row = try connection.query("SELECT " + sql.joined(separator: ", ")).first else { return [:] }
            var counts: [WorkQueue: Int] = [:]
            for queue in WorkQueue.allCases { counts[queue] = try row.decode(queue.rawValue, as: Int.self) }
            return counts
        }
    }

    /// The queue's items, oldest first, with their claims.
    func items(_ queue: WorkQueue, planner: DeadlinePlanner, only id: String? = nil) async throws -> [Item] {
        let sql = id == nil ? Self.sql(queue, limit: Self.limit) : "SELECT * FROM (\(Self.sql(queue, limit: nil))) q WHERE id = $1"
        let parameters: [(any PostgresEncodable)?] = id.map { [$0] } ?? []
        return try await database.withConnection { connection in
            var items = try connection.query(sql, parameters).map { row in
                let urgency: String = try row.decode("urgency")
                var deadline: Date? = try row.decodeIfPresent("deadline_text", as: String.self).flatMap(RFC3339.date(from:))
                if queue == .dispatch, let level = Urgency(rawValue: urgency) {
                    deadline = try? planner.dispatchBy(urgency: level, acceptedAt: try row.decode("accepted_at"))
                }
                return Item(
                    queue: queue, id: try row.decode("id"), round: try row.decode("round"), ticketNo: try row.decode("ticket_no"), title: try row.decodeIfPresent("title") ?? "",
                    category: try row.decodeIfPresent("category"), urgency: urgency, unit: try row.decodeIfPresent("unit"),
                    summary: try row.decodeIfPresent("summary") ?? "", waitingSince: try row.decode("waiting_since"), deadline: deadline)
            }
            let keys = items.map { queue.claimKey($0.id, round: $0.round) }
            var claims: [String: Claim] = [:]
            for row in try connection.query(
                """
                SELECT c.item, c.display_name, c.claimed_at, c.command_id, o.outcome_type FROM console_claims c
                LEFT JOIN command_outcomes o ON o.user_id = 'center' AND o.command_id = c.command_id
                WHERE c.item = ANY($1::text[])
                """, [keys])
            {
                claims[try row.decode("item")] = Claim(
                    displayName: try row.decode("display_name"), claimedAt: try row.decode("claimed_at"),
                    commandID: try row.decode("command_id"), outcomeType: try row.decodeIfPresent("outcome_type"))
            }
            for index in items.indices { items[index].claim = claims[queue.claimKey(items[index].id, round: items[index].round)] }
            return items
        }
    }

    /// The item `id` if it still waits in `queue`.
    func item(_ queue: WorkQueue, id: String, planner: DeadlinePlanner) async throws -> Item? {
        try await items(queue, planner: planner, only: id).first
    }

    /// One statement per queue, with the columns `Item` reads; `deadline_text` is the deadline as stored.
    static func sql(_ queue: WorkQueue, limit: Int?) -> String {
        let tail = limit.map { " LIMIT \($0)" } ?? ""
        switch queue {
        case .dispatch:
            return """
                SELECT t.ticket_no AS id, (extract(epoch FROM p.updated_at) * 1000)::bigint::text AS round, t.ticket_no, t.title, t.category, t.urgency, NULL::text AS unit,
                       (SELECT h.detail->>'reason' FROM ticket_history h WHERE h.ticket_no = t.ticket_no AND h.action = 'manual_dispatch'
                        ORDER BY h.id DESC LIMIT 1) AS summary,
                       p.updated_at AS waiting_since, t.accepted_at, NULL::text AS deadline_text
                FROM ticket_progress p JOIN tickets t USING (ticket_no)
                WHERE p.status = 'manual' ORDER BY p.updated_at, t.ticket_no\(tail)
                """
        case .returns:
            return """
                SELECT r.assignment_id AS id, r.id::text AS round, a.ticket_no, t.title, t.category, t.urgency, a.unit,
                       r.reason_code || '：' || r.reason AS summary, r.requested_at AS waiting_since,
                       a.deadlines->>'resolve_by' AS deadline_text
                FROM return_requests r JOIN assignments a USING (assignment_id) JOIN tickets t ON t.ticket_no = a.ticket_no
                WHERE r.decided_at IS NULL AND a.state = 'return_requested' ORDER BY r.requested_at, r.id\(tail)
                """
        case .extensions:
            return """
                SELECT e.request_id AS id, '1' AS round, e.ticket_no, t.title, t.category, t.urgency, e.unit,
                       '延期' || e.working_days || '个工作日：' || e.reason AS summary, e.requested_at AS waiting_since,
                       to_char(e.resolve_by_before AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS deadline_text
                FROM sla_extension_requests e JOIN tickets t USING (ticket_no)
                WHERE e.state = 'pending' ORDER BY e.requested_at, e.request_id\(tail)
                """
        case .resolutions, .stageResolutions:
            let kind = queue == .resolutions ? "final" : "stage"
            return """
                SELECT r.assignment_id AS id, r.id::text AS round, a.ticket_no, t.title, t.category, t.urgency, a.unit,
                       coalesce(r.reply, r.progress, '') AS summary, r.submitted_at AS waiting_since,
                       a.deadlines->>'resolve_by' AS deadline_text
                FROM resolutions r JOIN assignments a USING (assignment_id) JOIN tickets t ON t.ticket_no = a.ticket_no
                WHERE r.decided_at IS NULL AND r.kind = '\(kind)' AND a.state = 'resolution_submitted'
                ORDER BY r.submitted_at, r.id\(tail)
                """
        }
    }
}
