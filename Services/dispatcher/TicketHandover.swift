import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// One ticket's handover from retired units, inside its transaction and under its `TicketLock`: each
/// live assignment of a unit no longer in the jurisdiction is cancelled (`assignment.cancelled`
/// `unit_retired` to its unit, `assignment.transferred` on `hotline.events`), and `UnitHandover` says
/// what replaces it: the successor's assignment (announced with `ticket.dispatched`), nothing, or manual
/// dispatch, for which a retired lead's co-units end their parts too (`lead_retired`).
struct TicketHandover {
    let reference: ReferenceData
    let connection: PostgresConnection
    let now: Date

    /// The messages to publish and the assignments handed over. The units of `untold` assignments get
    /// no cancellation (a retired unit's assignment reopened only to be handed over: it never saw it).
    func handOver(_ ticketNo: String, untold: Set<String> = []) throws -> (messages: [OutboxMessage], transferred: [String]) {
        guard var locked = try LockedTicket.lock(ticketNo, on: connection) else { return ([], []) }
        let active = Set(reference.jurisdiction.units.map(\.code))
        let factory = AssignmentFactory(reference: reference, connection: connection, now: now)
        let facts = AssignmentFactory.facts(locked.ticket, in: reference.jurisdiction)
        let itemDays = locked.ticket.itemWorkingDays(in: reference)
        var messages: [OutboxMessage] = []
        var transferred: [String] = []
        var dispatched: [DispatchedAssignment] = []
        var sentToManual = false
        let ending = AssignmentEnding(connection: connection, now: now)
        while let record = locked.live.first(where: { !active.contains($0.unit) }) {
            let cancellation = try ending.cancel(record, reason: AssignmentTransferred.unitRetired, note: "the unit was retired")
            if !untold.contains(record.assignmentID) { messages += cancellation }
            locked.assignments = try AssignmentRecord.all(of: ticketNo, on: connection)
            let others = locked.live
            let plan = UnitHandover.plan(
                UnitHandover.Assignment(
                    unit: record.unit, role: record.role, leadUnit: record.leadUnit, coUnits: record.coUnits,
                    returnAllowed: record.returnAllowed),
                successor: reference.jurisdiction.successor(of: record.unit),
                live: others.map { ReturnDecisions.LiveAssignment(unit: $0.unit, role: $0.role) },
                holders: Set(locked.assignments.filter { ![.cancelled, .returned].contains($0.state) }.map(\.unit)))
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
                if record.role != .co, others.contains(where: { $0.role == .co && $0.leadUnit == record.unit }) {
                    messages += try AssignmentGroup.changeLead(
                        to: planned.unit, coUnits: planned.coUnits, in: others, ticketNo: ticketNo, on: connection, now: now)
                }
            case .end:
                break
            case .manual(let reason):
                manual = reason
            }
            if record.role == .co {
                messages += try AssignmentGroup.replaceCoUnit(
                    record.unit, with: successorAssignment?.unit, in: others, ticketNo: ticketNo, on: connection, now: now)
            }
            messages += try ending.ended(record, reason: AssignmentTransferred.unitRetired, successor: successorAssignment)
            transferred.append(record.assignmentID)
            if let manual {
                let coUnits = try ending.endCoUnits(
                    of: record.unit, in: others, reason: AssignmentTransferred.leadRetired,
                    note: "the lead unit was retired; the center dispatches the ticket again")
                messages += coUnits.messages
                transferred += coUnits.ended
                if !sentToManual {
                    messages += try factory.sendToManual(ticketNo, reason: manual, category: locked.ticket.category)
                    sentToManual = true
                }
            }
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
