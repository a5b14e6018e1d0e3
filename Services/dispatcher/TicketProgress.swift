import Foundation
import HotlineDomain
import HotlineStorage

/// `ticket_progress`: where a ticket stands after intake accepted it (dispatched, manual, resolved,
/// closed), the dispatcher's alone. Intake's `tickets.status` keeps its decision; the view
/// `ticket_status` gives the status now. Every change is made under the ticket's `TicketLock`
/// (`LockedTicket`), so the status read after the lock is the latest.
enum TicketProgress {
    /// The ticket's progress status, read after its lock is taken (a statement of its own, so that
    /// it sees what the transaction that held the lock committed).
    static func status(of ticketNo: String) -> PostgresStatement {
        ("SELECT status FROM ticket_progress WHERE ticket_no = $1", [ticketNo])
    }

    /// `status(of:)` of the ticket an assignment belongs to.
    static func status(ofTicketOfAssignment assignmentID: String) -> PostgresStatement {
        (
            "SELECT status FROM ticket_progress WHERE ticket_no = (SELECT ticket_no FROM assignments WHERE assignment_id = $1)",
            [assignmentID]
        )
    }

    /// Moves the ticket to `status`; with `from`, only a ticket standing at one of those.
    static func set(
        _ ticketNo: String, to status: TicketStatus, from: [TicketStatus]? = nil, on connection: PostgresConnection,
        now: Date
    ) {
        guard let from else {
            connection.write(
                """
                INSERT INTO ticket_progress (ticket_no, status, updated_at) VALUES ($1, $2, $3)
                ON CONFLICT (ticket_no) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at
                """, [ticketNo, status.rawValue, now])
            return
        }
        connection.write(
            """
            UPDATE ticket_progress SET status = $2, updated_at = $3 WHERE ticket_no = $1 AND status = ANY($4::text[])
            """, [ticketNo, status.rawValue, now, from.map(\.rawValue)])
    }

    /// Records a change that leaves the status as it is (a stage resolution approved).
    static func touch(_ ticketNo: String, on connection: PostgresConnection, now: Date) {
        connection.write("UPDATE ticket_progress SET updated_at = $2 WHERE ticket_no = $1", [ticketNo, now])
    }
}
