import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// Creates assignments: stores each with its deadlines, and writes `assignment.created` (with the
/// citizen's contact and the ticket's earlier assignments) to the unit's queue. Used by the
/// automatic dispatch, `center.dispatch` and the re-dispatch after an approved return.
struct AssignmentFactory {
    let reference: ReferenceData
    let connection: PostgresConnection
    let now: Date

    var planner: DeadlinePlanner { DeadlinePlanner(profile: reference.profile, calendar: reference.calendar) }

    /// The ticket's facts for the deadline planner.
    static func facts(_ ticket: DispatchTicket, in jurisdiction: JurisdictionFile) -> DeadlinePlanner.TicketFacts {
        DeadlinePlanner.TicketFacts(
            kind: ticket.kind, urgency: ticket.urgency, channel: ticket.channel, acceptedAt: ticket.receivedAt,
            clearCase: jurisdiction.isClearCase(category: ticket.category, street: ticket.location?.street),
            superiorResolveBy: ticket.superiorResolveBy)
    }

    /// Stores the planned assignments and returns the unit messages and the `ticket.dispatched` entries.
    /// `deadlines` gives each plan's deadlines (default: planned afresh from now). Every deadline is
    /// planned before anything is written, so a plan that cannot be made (a year without calendar)
    /// leaves nothing behind.
    func create(
        _ plans: [PlannedAssignment], for locked: LockedTicket, mode: String,
        deadlines: ((PlannedAssignment) throws -> AssignmentDeadlines)? = nil
    ) throws -> (messages: [OutboxMessage], dispatched: [DispatchedAssignment]) {
        let ticket = locked.ticket
        let item = ticket.item(in: reference.catalogue)
        let history = locked.assignments.map(\.historyEntry)
        let extensionAllowed = planner.extensionAllowed(channel: ticket.channel, urgency: ticket.urgency)
        var messages: [OutboxMessage] = []
        var dispatched: [DispatchedAssignment] = []
        var existing = locked.assignments.map { (id: $0.assignmentID, unit: $0.unit) }
        let plannedDeadlines = try plans.map { plan in
            try deadlines?(plan) ?? planner.plan(
                ticket: Self.facts(ticket, in: reference.jurisdiction), dispatchedAt: now, itemWorkingDays: ticket.itemWorkingDays(in: reference),
                returnAllowed: plan.returnAllowed)
        }
        for (plan, planned) in zip(plans, plannedDeadlines) {
            // The ticket's `TicketLock` is held, so its assignments cannot change meanwhile.
            let assignmentID = AssignmentNaming.nextID(ticketNo: locked.ticketNo, unit: plan.unit, existing: existing)
            existing.append((id: assignmentID, unit: plan.unit))
            connection.write(
                """
                INSERT INTO assignments (assignment_id, ticket_no, unit, role, state, lead_unit, co_units, deadlines,
                                         return_allowed, extension_allowed, dispatch_mode, created_at, updated_at)
                VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7::jsonb, $8, $9, $10, $11, $11)
                """,
                [assignmentID, locked.ticketNo, plan.unit, plan.role.rawValue, plan.leadUnit, plan.coUnits,
                 JSONText(data: try HotlineJSON.encode(planned)), plan.returnAllowed, extensionAllowed, mode, now])
            let created = AssignmentCreated(
                assignmentID: assignmentID, ticketNo: locked.ticketNo, unit: plan.unit, role: plan.role, kind: ticket.kind,
                urgency: ticket.urgency, category: ticket.category, title: ticket.title,
                description: ticket.description, location: ticket.location, citizen: ticket.citizen.asSeenByUnits,
                leadUnit: plan.leadUnit, coUnits: plan.coUnits, deadlines: planned,
                returnAllowed: plan.returnAllowed, extensionAllowed: extensionAllowed, history: history,
                channel: ticket.channel, receivedAt: ticket.receivedAt, basis: item?.basis)
            messages.append(try OutboxMessage.toUnit(.created(created), unit: plan.unit))
            dispatched.append(DispatchedAssignment(
                assignmentID: assignmentID, unit: plan.unit, role: plan.role, deadlines: planned))
        }
        try TicketProgress.dispatched(
            locked.ticketNo, catalogueVersion: reference.catalogueVersion, item: item, on: connection, now: now)
        return (messages, dispatched)
    }

    /// Sends the ticket to the center's dispatchers: status `manual`, `ticket.dispatch-manual` on
    /// `hotline.events` and in `hotline.dispatch.manual`.
    func sendToManual(_ ticketNo: String, reason: RoutingDecision.ManualReason, category: String?) throws -> [OutboxMessage] {
        TicketProgress.set(ticketNo, to: .manual, on: connection, now: now)
        try TicketHistory.record(
            ticketNo, actor: "dispatcher", action: "manual_dispatch", detail: ["reason": reason.description],
            on: connection, now: now)
        let event = TicketDispatchManual(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: ticketNo, reason: reason.code, category: category)
        let message = try OutboxMessage.event(event)
        return [message, message.addressed(to: HotlineTopology.manualDispatchQueue)]
    }
}
