import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// Ends an assignment that nobody takes over in its place, the one way: cancelled, its unit told why
/// (`assignment.cancelled`), recorded in the ticket's history and announced with
/// `assignment.transferred`, so that the sla-timer ends its clock. A retired unit's assignments end so
/// (`TicketHandover`), and a lead's co-units when the ticket goes back to the center's manual
/// dispatch (a retired lead, or an approved return with nobody to take the ticket).
struct AssignmentEnding {
    let connection: PostgresConnection
    let now: Date

    /// Cancels the assignment and tells its unit why.
    func cancel(_ record: AssignmentRecord, reason: String, note: String) throws -> [OutboxMessage] {
        let ended = try AssignmentLifecycle.apply(.cancel, to: record.position).get()
        try AssignmentRecord.move(record.assignmentID, to: ended, on: connection, now: now)
        return [try OutboxMessage.toUnit(
            .cancelled(AssignmentCancelled(assignmentID: record.assignmentID, ticketNo: record.ticketNo, reason: reason, note: note)),
            unit: record.unit)]
    }

    /// The history entry and `assignment.transferred` of an assignment that ended.
    func ended(_ record: AssignmentRecord, reason: String, successor: DispatchedAssignment?) throws -> [OutboxMessage] {
        try TicketHistory.record(
            record.ticketNo, actor: "dispatcher", action: "transferred",
            detail: [
                "assignment_id": record.assignmentID, "unit": record.unit, "successor": successor?.unit ?? "",
                "reason": reason,
            ], on: connection, now: now)
        return [try OutboxMessage.event(AssignmentTransferred(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: record.ticketNo, assignmentID: record.assignmentID,
            unit: record.unit, reason: reason, successor: successor?.unit, successorAssignmentID: successor?.assignmentID))]
    }

    /// The ticket goes to manual dispatch without its lead `lead`: the lead's live co-units end their
    /// parts too, since the center dispatches the ticket afresh, which it may only once nobody holds it.
    /// Returns the messages and the assignments ended.
    func endCoUnits(
        of lead: String, in live: [AssignmentRecord], reason: String, note: String
    ) throws -> (messages: [OutboxMessage], ended: [String]) {
        var messages: [OutboxMessage] = []
        var ended: [String] = []
        for co in live where co.role == .co && co.leadUnit == lead {
            messages += try cancel(co, reason: reason, note: note)
            messages += try self.ended(co, reason: reason, successor: nil)
            ended.append(co.assignmentID)
        }
        return (messages, ended)
    }
}
