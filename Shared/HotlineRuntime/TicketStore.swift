import Foundation
import HotlineDomain
import HotlineStorage

/// Ticket numbers: jurisdiction prefix, local date, and a per-day sequence kept in PostgreSQL.
public enum TicketSequence {
    public static func next(prefix: String, timeZone: TimeZone, now: Date, on connection: PostgresConnection) throws -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let day = calendar.dateComponents([.year, .month, .day], from: now)
        let dayText = String(format: "%04d-%02d-%02d", day.year!, day.month!, day.day!)
        let rows = try connection.query(
            """
            INSERT INTO ticket_sequences (prefix, day, last_value) VALUES ($1, $2::date, 1)
            ON CONFLICT (prefix, day) DO UPDATE SET last_value = ticket_sequences.last_value + 1
            RETURNING last_value
            """, [prefix, dayText])
        let sequence: Int = try rows[0].decode("last_value")
        return TicketNumber(prefix: prefix, year: day.year!, month: day.month!, day: day.day!, sequence: sequence).rawValue
    }
}

/// The audit trail of a ticket.
public enum TicketHistory {
    public static func record(
        _ ticketNo: String, actor: String, action: String, detail: [String: String] = [:],
        on connection: PostgresConnection, now: Date
    ) throws {
        let detailJSON = try JSONSerialization.data(withJSONObject: detail, options: [.sortedKeys])
        try connection.query(
            "INSERT INTO ticket_history (ticket_no, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5::jsonb)",
            [ticketNo, now, actor, action, JSONText(data: detailJSON)])
    }
}
