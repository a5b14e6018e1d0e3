import HotlineDomain
import HotlineStorage

/// Locking a ticket's row to act on where it stands (intake merging into it, the survey closing it).
public enum TicketLock {
    /// Locks the ticket's row for the transaction and then reads its status now (the view
    /// `ticket_status`) in a statement of its own: the dispatcher moves a ticket on under the same
    /// lock, so this sees what it committed. Nil for an unknown ticket or status.
    public static func status(of ticketNo: String, on connection: PostgresConnection) throws -> TicketStatus? {
        let results = try connection.queries([
            ("SELECT 1 AS n FROM tickets WHERE ticket_no = $1 FOR UPDATE", [ticketNo]),
            ("SELECT status FROM ticket_status WHERE ticket_no = $1", [ticketNo]),
        ])
        let status = try results[1].first?.decode("status", as: String.self)
        return status.flatMap(TicketStatus.init(rawValue:))
    }
}
