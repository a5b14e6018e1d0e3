import Foundation
import HotlineDomain
import HotlineStorage

/// `ticket_progress`: where a ticket stands after intake accepted it (dispatched, manual, resolved,
/// closed), the dispatcher's alone. Intake's `tickets.status` keeps its decision; the view
/// `ticket_status` gives the status now. Every change is made under the ticket's `TicketLock`
/// (`LockedTicket`), so the status read after the lock is the latest.
enum TicketProgress {
    /// The ticket's progress status with the catalogue version and item it was routed under, read
    /// after its lock is taken (a statement of its own, so that it sees what the transaction that held
    /// the lock committed).
    static func status(of ticketNo: String) -> PostgresStatement {
        ("SELECT \(columns) FROM ticket_progress WHERE ticket_no = $1", [ticketNo])
    }

    private static let columns = "status, catalogue_version, routed_item::text AS routed_item"

    /// `status(of:)` of the ticket an assignment belongs to.
    static func status(ofTicketOfAssignment assignmentID: String) -> PostgresStatement {
        (
            "SELECT \(columns) FROM ticket_progress WHERE ticket_no = (SELECT ticket_no FROM assignments WHERE assignment_id = $1)",
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

    /// Moves the ticket to `dispatched`; the first time, it also keeps the catalogue version it is
    /// routed under and its item as it is in that version (`DispatchTicket.item(in:)`).
    static func dispatched(
        _ ticketNo: String, catalogueVersion: Int, item: CatalogueItem?, on connection: PostgresConnection, now: Date
    ) throws {
        connection.write(
            """
            INSERT INTO ticket_progress (ticket_no, status, updated_at, catalogue_version, routed_item)
            VALUES ($1, 'dispatched', $2, $3, $4::jsonb)
            ON CONFLICT (ticket_no) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at,
                catalogue_version = coalesce(ticket_progress.catalogue_version, excluded.catalogue_version),
                routed_item = CASE WHEN ticket_progress.catalogue_version IS NULL THEN excluded.routed_item
                                   ELSE ticket_progress.routed_item END
            """, [ticketNo, now, catalogueVersion, try item.map { JSONText(data: try HotlineJSON.encode($0)) }])
    }

    /// Records a change that leaves the status as it is (a stage resolution approved).
    static func touch(_ ticketNo: String, on connection: PostgresConnection, now: Date) {
        connection.write("UPDATE ticket_progress SET updated_at = $2 WHERE ticket_no = $1", [ticketNo, now])
    }
}
