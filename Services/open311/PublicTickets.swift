import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// Reads tickets as the public may see them (`PublicTicket`): the tickets, where they stand, the
/// units handling them, their public history and the units' approved replies, in four statements
/// for any number of tickets. Reports and secret matters are left out in the query itself.
struct PublicTickets: Sendable {
    let database: Database

    /// The tickets `query` selects, the newest first.
    func find(_ query: Open311RequestQuery) async throws -> [PublicTicket] {
        var conditions = [
            "NOT (t.kind = ANY($1::text[]))", "coalesce(t.rejection->>'reason', '') <> ALL($2::text[])",
        ]
        var parameters: [(any PostgresEncodable)?] = [
            PublicTicket.hiddenKinds.map(\.rawValue), PublicTicket.hiddenReasons.map(\.rawValue),
        ]
        func parameter(_ value: any PostgresEncodable) -> String {
            parameters.append(value)
            return "$\(parameters.count)"
        }
        if let ids = query.ids {
            conditions.append("t.ticket_no = ANY(\(parameter(ids))::text[])")
        } else {
            if let codes = query.serviceCodes { conditions.append("t.category = ANY(\(parameter(codes))::text[])") }
            conditions.append("t.received_at BETWEEN \(parameter(query.start)) AND \(parameter(query.end))")
            if query.open != query.closed {
                conditions.append("\(query.open ? "" : "NOT ")s.status = ANY(\(parameter(TicketStatus.openValues))::text[])")
            }
        }
        let sql = """
            SELECT t.ticket_no, s.status, t.kind, t.category, t.title, t.street, t.community,
                   t.location->>'lat' AS lat, t.location->>'lon' AS lon, t.received_at, s.updated_at,
                   t.rejection->>'reason' AS rejection_reason, t.rejection->>'basis' AS rejection_basis,
                   t.rejection->>'emergency_number' AS emergency_number, t.merged_into
            FROM tickets t JOIN ticket_status s USING (ticket_no)
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY t.received_at DESC, t.ticket_no DESC LIMIT \(Open311RequestQuery.limit)
            """
        let values = parameters
        return try await database.withConnection { connection in
            var tickets = try connection.query(sql, values).map(Self.ticket)
            guard !tickets.isEmpty else { return [] }
            let numbers = tickets.map(\.ticketNo)
            var handlers: [String: [PublicTicket.Handler]] = [:]
            for row in try connection.query(
                """
                SELECT ticket_no, unit, role, deadlines->>'resolve_by' AS resolve_by FROM assignments
                WHERE ticket_no = ANY($1::text[]) AND state NOT IN ('cancelled', 'returned') ORDER BY created_at, assignment_id
                """, [numbers])
            {
                handlers[try row.decode("ticket_no"), default: []].append(PublicTicket.Handler(
                    unit: try row.decode("unit"), role: AssignmentRole(rawValue: try row.decode("role")),
                    resolveBy: try row.decodeIfPresent("resolve_by", as: String.self).flatMap(RFC3339.date(from:))))
            }
            var steps: [String: [PublicTicket.Step]] = [:]
            for row in try connection.query(
                """
                SELECT ticket_no, at, action, detail::text AS detail FROM ticket_history
                WHERE ticket_no = ANY($1::text[]) AND action = ANY($2::text[]) ORDER BY id
                """, [numbers, PublicTicket.publicActions])
            {
                let detail = (try? JSONValue.parse(Data(try row.decode("detail", as: String.self).utf8)))?.objectValue ?? [:]
                steps[try row.decode("ticket_no"), default: []].append(PublicTicket.Step(
                    at: try row.decode("at"), action: try row.decode("action"), detail: detail.compactMapValues(\.stringValue)))
            }
            for row in try connection.query(
                """
                SELECT a.ticket_no, coalesce(r.decided_at, r.submitted_at) AS at, r.reply
                FROM resolutions r JOIN assignments a USING (assignment_id)
                WHERE a.ticket_no = ANY($1::text[]) AND r.kind = 'final' AND r.approved AND r.reply IS NOT NULL
                """, [numbers])
            {
                steps[try row.decode("ticket_no"), default: []].append(PublicTicket.Step(
                    at: try row.decode("at"), action: "replied", detail: ["reply": try row.decode("reply")]))
            }
            for index in tickets.indices {
                tickets[index].handlers = handlers[tickets[index].ticketNo] ?? []
                tickets[index].steps = steps[tickets[index].ticketNo] ?? []
            }
            return tickets
        }
    }

    private static func ticket(_ row: PostgresRow) throws -> PublicTicket {
        PublicTicket(
            ticketNo: try row.decode("ticket_no"), status: TicketStatus(rawValue: try row.decode("status")) ?? .accepted,
            kind: TicketKind(rawValue: try row.decode("kind")), category: try row.decodeIfPresent("category"),
            title: try row.decodeIfPresent("title"), street: try row.decodeIfPresent("street"),
            community: try row.decodeIfPresent("community"), lat: try row.decodeIfPresent("lat"), lon: try row.decodeIfPresent("lon"),
            receivedAt: try row.decode("received_at"), updatedAt: try row.decode("updated_at"),
            rejectionReason: try row.decodeIfPresent("rejection_reason"), rejectionBasis: try row.decodeIfPresent("rejection_basis"),
            emergencyNumber: try row.decodeIfPresent("emergency_number"), mergedInto: try row.decodeIfPresent("merged_into"))
    }
}
