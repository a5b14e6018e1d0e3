import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// One ticket's handover from retired units, inside its transaction and under its `TicketLock`: each
/// live assignment of a unit no longer in the jurisdiction is cancelled (`assignment.cancelled`
/// `unit_retired` to its unit, `assignment.transferred` on `hotline.events`), and `UnitHandover` says
/// what replaces it: the successor's assignment (announced with `ticket.dispatched`), nothing, or manual
/// dispatch.
struct TicketHandover {
    let reference: ReferenceData
    let connection: PostgresConnection
    let now: Date

    /// The messages to publish and the assignments handed over.
    func handOver(_ ticketNo: String) throws -> (messages: [OutboxMessage], transferred: [String]) {
        guard var locked = try LockedTicket.lock(ticketNo, on: connection) else { return ([], []) }
        let active = Set(reference.jurisdiction.units.map(\.code))
        let factory = AssignmentFactory(reference: reference, connection: connection, now: now)
        let facts = AssignmentFactory.facts(locked.ticket)
        let itemDays = locked.ticket.item(in: reference.catalogue)?.handleWorkingDays
        var messages: [OutboxMessage] = []
        var transferred: [String] = []
        var dispatched: [DispatchedAssignment] = []
        var sentToManual = false
        while let record = locked.live.first(where: { !active.contains($0.unit) }) {
            let ended = try AssignmentLifecycle.apply(.cancel, to: record.position).get()
            try AssignmentRecord.move(record.assignmentID, to: ended, on: connection, now: now)
            messages.append(try OutboxMessage.toUnit(
                .cancelled(AssignmentCancelled(
                    assignmentID: record.assignmentID, ticketNo: ticketNo, reason: AssignmentTransferred.unitRetired,
                    note: "the unit was retired")),
                unit: record.unit))
            locked.assignments = try AssignmentRecord.all(of: ticketNo, on: connection)
            let others = locked.live
            let successor = reference.jurisdiction.successor(of: record.unit)
            let plan = UnitHandover.plan(
                UnitHandover.Assignment(
                    unit: record.unit, role: record.role, leadUnit: record.leadUnit, coUnits: record.coUnits,
                    returnAllowed: record.returnAllowed),
                successor: successor, live: others.map { ReturnDecisions.LiveAssignment(unit: $0.unit, role: $0.role) })
            var successorAssignment: DispatchedAssignment?
            var manual: RoutingDecision.ManualReason?
            switch plan {
            case .successor(let planned):
                let created: (messages: [OutboxMessage], dispatched: [DispatchedAssignment])
                do {
                    created = try factory.create([planned], for: locked, mode: "handover") { plan in
                        try factory.planner.afterHandover(
                            ticket: facts, handedOverAt: now, itemWorkingDays: itemDays,
                            returnAllowed: plan.returnAllowed, previous: record.deadlines)
                    }
                } catch CalendarError.yearNotCovered(let year) {
                    // No deadline can be set in that year (nothing was written): the center dispatches.
                    manual = .calendarNotCovered(year)
                    break
                }
                messages += created.messages
                dispatched += created.dispatched
                successorAssignment = created.dispatched.first
                if record.role == .co {
                    messages += try AssignmentGroup.replaceCoUnit(
                        record.unit, with: planned.unit, in: others, ticketNo: ticketNo, on: connection, now: now)
                } else if others.contains(where: { $0.role == .co && $0.leadUnit == record.unit }) {
                    messages += try AssignmentGroup.changeLead(
                        to: planned.unit, coUnits: planned.coUnits, in: others, ticketNo: ticketNo, on: connection, now: now)
                }
            case .end:
                if record.role == .co {
                    messages += try AssignmentGroup.replaceCoUnit(
                        record.unit, with: nil, in: others, ticketNo: ticketNo, on: connection, now: now)
                }
            case .manual(let reason):
                manual = reason
            }
            if let manual, !sentToManual {
                messages += try factory.sendToManual(ticketNo, reason: manual, category: locked.ticket.category)
                sentToManual = true
            }
            try TicketHistory.record(
                ticketNo, actor: "dispatcher", action: "transferred",
                detail: [
                    "assignment_id": record.assignmentID, "unit": record.unit,
                    "successor": successorAssignment?.unit ?? "", "reason": AssignmentTransferred.unitRetired,
                ], on: connection, now: now)
            messages.append(try OutboxMessage.event(AssignmentTransferred(
                eventID: UUID().uuidString, occurredAt: now, ticketNo: ticketNo, assignmentID: record.assignmentID,
                unit: record.unit, reason: AssignmentTransferred.unitRetired, successor: successorAssignment?.unit,
                successorAssignmentID: successorAssignment?.assignmentID)))
            transferred.append(record.assignmentID)
            locked.assignments = try AssignmentRecord.all(of: ticketNo, on: connection)
        }
        if !dispatched.isEmpty {
            try TicketHistory.record(
                ticketNo, actor: "dispatcher", action: "dispatched",
                detail: ["units": dispatched.map(\.unit).joined(separator: ","), "mode": "handover"], on: connection, now: now)
            messages.append(try OutboxMessage.event(TicketDispatched(
                eventID: UUID().uuidString, occurredAt: now, ticketNo: ticketNo, assignments: dispatched)))
        }
        return (messages, transferred)
    }
}
