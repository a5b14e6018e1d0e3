import HotlineDomain
import HotlineStorage

/// The lock every change to where a ticket stands is made under: intake merging a demand into it, the
/// dispatcher changing its assignments or progress, the survey closing it. It is a transaction-level
/// advisory lock (class 0x5449) on the ticket number, not a lock of `tickets` rows, so that services
/// which only read `tickets` need no write grant on it (docs/security.md "Least privilege").
public enum TicketLock {
    static let lockClass = 0x5449

    /// Takes the ticket's lock until the transaction ends. Statements sent after it in the same
    /// round trip see what was committed under the lock before.
    public static func taking(_ ticketNo: String) -> PostgresStatement {
        ("SELECT pg_advisory_xact_lock(\(lockClass), hashtext($1))", [ticketNo])
    }

    /// `taking(_:)` for the ticket an assignment belongs to; no row (and no lock) for an unknown one.
    public static func taking(ofAssignment assignmentID: String) -> PostgresStatement {
        (
            """
            SELECT pg_advisory_xact_lock(\(lockClass), hashtext(ticket_no))
            FROM assignments WHERE assignment_id = $1
            """, [assignmentID]
        )
    }

    /// Takes the ticket's lock and then reads its status now (the view `ticket_status`) in a
    /// statement of its own, so that it sees what the dispatcher committed under the same lock. Nil
    /// for an unknown ticket or status.
    public static func status(of ticketNo: String, on connection: PostgresConnection) throws -> TicketStatus? {
        let results = try connection.queries([
            taking(ticketNo), ("SELECT status FROM ticket_status WHERE ticket_no = $1", [ticketNo]),
        ])
        let status = try results[1].first?.decode("status", as: String.self)
        return status.flatMap(TicketStatus.init(rawValue:))
    }
}
