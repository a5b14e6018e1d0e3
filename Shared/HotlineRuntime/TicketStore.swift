import Foundation
import HotlineDomain
import HotlineStorage
import Synchronization

/// Ticket numbers: jurisdiction prefix, local date, and a per-day sequence kept in PostgreSQL
/// (`ticket_sequences`).
///
/// Numbers are reserved in blocks, each in its own short transaction on a connection of the
/// allocator's own, and handed out from memory: no intake transaction waits on the day's counter row
/// (taking the number inside the ticket's transaction held that row locked until commit and made
/// every intake copy and worker take turns). The price is that numbers are unique but not gap-free
/// (a process that stops leaves the rest of its block unused, and a rolled-back ticket its number),
/// and not in strict arrival order across copies. `HOTLINE_TICKET_NUMBER_BLOCK` sets the block size.
public final class TicketNumbers: Sendable {
    private struct Reserve {
        var connection: PostgresConnection?
        var key = ""
        var next = 0
        var last = -1
    }

    private let url: String
    private let blockSize: Int
    private let reserve = Mutex(Reserve())

    public init(databaseURL: String, blockSize: Int) {
        url = databaseURL
        self.blockSize = max(1, blockSize)
    }

    /// The next number for `prefix` on the local date of `now`. Blocks while a new block is reserved;
    /// call it from a database thread.
    public func next(prefix: String, calendar: WorkingCalendar, now: Date) throws -> String {
        let date = calendar.localDate(of: now)
        let key = "\(prefix)|\(date)"
        let sequence = try reserve.withLock { reserve -> Int in
            if reserve.key != key || reserve.next > reserve.last {
                let last = try reserveBlock(prefix: prefix, day: date.description, in: &reserve)
                reserve.key = key
                reserve.next = last - blockSize + 1
                reserve.last = last
            }
            defer { reserve.next += 1 }
            return reserve.next
        }
        return TicketNumber(prefix: prefix, year: date.year, month: date.month, day: date.day, sequence: sequence).rawValue
    }

    private func reserveBlock(prefix: String, day: String, in reserve: inout Reserve) throws -> Int {
        for attempt in 0..<2 {
            do {
                if reserve.connection == nil {
                    reserve.connection = try PostgresConnection(url: url, applicationName: "hotline-ticket-numbers")
                }
                let rows = try reserve.connection!.query(
                    """
                    INSERT INTO ticket_sequences (prefix, day, last_value) VALUES ($1, $2::date, $3)
                    ON CONFLICT (prefix, day) DO UPDATE SET last_value = ticket_sequences.last_value + $3
                    RETURNING last_value
                    """, [prefix, day, blockSize])
                return try rows[0].decode("last_value")
            } catch {
                // A connection lost (a database restart) is opened again once; anything else is the caller's.
                reserve.connection = nil
                if attempt == 1 { throw error }
            }
        }
        preconditionFailure("unreachable")
    }
}

/// The audit trail of a ticket.
public enum TicketHistory {
    /// One line: `actor` is the broker user or service that acted, `operatorName` the person at the
    /// center a `center.*` command named.
    public static func record(
        _ ticketNo: String, actor: String, operatorName: String? = nil, action: String, detail: [String: String] = [:],
        on connection: PostgresConnection, now: Date
    ) throws {
        connection.write(
            "INSERT INTO ticket_history (ticket_no, at, actor, operator, action, detail) VALUES ($1, $2, $3, $4, $5, $6::jsonb)",
            [ticketNo, now, actor, operatorName, action, JSONText(data: HotlineJSON.stringObject(detail))])
    }
}
