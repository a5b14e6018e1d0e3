import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// A lead/co group's lead and co-units, which every member's row names: when a member leaves or is
/// replaced (a return approved, a unit retired), the others' rows change and their units are told with
/// `assignment.updated`.
enum AssignmentGroup {
    /// A co-unit left (or was replaced): the lead's and the other co-units' `co_units` change.
    static func replaceCoUnit(
        _ unit: String, with replacement: String?, in others: [AssignmentRecord], ticketNo: String,
        on connection: PostgresConnection, now: Date
    ) throws -> [OutboxMessage] {
        var messages: [OutboxMessage] = []
        for other in others where other.role != .parallel {
            var coUnits = other.coUnits.filter { $0 != unit }
            if let replacement, !coUnits.contains(replacement) { coUnits.append(replacement) }
            guard coUnits != other.coUnits else { continue }
            connection.write(
                "UPDATE assignments SET co_units = $2, updated_at = $3 WHERE assignment_id = $1",
                [other.assignmentID, coUnits, now])
            let update = AssignmentUpdated(
                assignmentID: other.assignmentID, ticketNo: ticketNo, reason: "co_units_changed", coUnits: coUnits)
            messages.append(try OutboxMessage.toUnit(.updated(update), unit: other.unit))
        }
        return messages
    }

    /// Another unit leads now: the co-units learn their new lead.
    static func changeLead(
        to lead: String, coUnits: [String], in others: [AssignmentRecord], ticketNo: String,
        on connection: PostgresConnection, now: Date
    ) throws -> [OutboxMessage] {
        var messages: [OutboxMessage] = []
        for other in others where other.role == .co {
            connection.write(
                "UPDATE assignments SET lead_unit = $2, updated_at = $3 WHERE assignment_id = $1",
                [other.assignmentID, lead, now])
            let update = AssignmentUpdated(
                assignmentID: other.assignmentID, ticketNo: ticketNo, reason: "lead_changed", leadUnit: lead, coUnits: coUnits)
            messages.append(try OutboxMessage.toUnit(.updated(update), unit: other.unit))
        }
        return messages
    }
}
