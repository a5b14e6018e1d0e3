import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// Returns (退回): a unit's request and the center's decision on it.
extension AssignmentCommands {
    func requestReturn(_ command: UnitRequestReturn) throws -> CommandEffect {
        let (locked, record) = try load(command.assignmentID, type: .unitRequestReturn)
        let facts = ReturnDecisions.Facts(
            returnAllowed: record.returnAllowed, extended: try isExtended(record), deniedBefore: record.returnDenied,
            returnBy: record.deadlines.returnBy, catalogueRouted: record.isCatalogueRouted)
        let accepted = try ReturnDecisions.screen(
            command, position: record.position, facts: facts, rules: context.reference.profile.returns, now: now
        ).get()
        try AssignmentRecord.move(record.assignmentID, to: accepted.position, on: connection, now: now, reviewStartedAt: now)
        connection.write(
            """
            INSERT INTO return_requests (assignment_id, reason_code, reason, basis, suggested_unit, late, requested_at, command_id,
                                         written_explanation)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """,
            [record.assignmentID, command.reasonCode, command.reason, command.basis, command.suggestedUnit, accepted.late,
             now, commandID, command.writtenExplanation])
        try history(locked.ticketNo, "return_requested", [
            "assignment_id": record.assignmentID, "reason_code": command.reasonCode, "late": String(accepted.late),
        ])
        let event = AssignmentReturnRequested(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: locked.ticketNo, assignmentID: record.assignmentID,
            unit: record.unit, reasonCode: command.reasonCode, reason: command.reason, basis: command.basis,
            suggestedUnit: command.suggestedUnit, late: accepted.late, writtenExplanation: command.writtenExplanation,
            commandID: commandID)
        return CommandEffect(outcome: try EncodedEvent(event, assignmentID: record.assignmentID))
    }

    /// Whether the assignment was extended: as its row says, or as the sla-timer has granted and the
    /// row will say once `assignment.extended` is applied.
    private func isExtended(_ record: AssignmentRecord) throws -> Bool {
        if record.extended { return true }
        return !(try connection.query(
            "SELECT 1 AS n FROM sla_extension_requests WHERE assignment_id = $1 AND state = $2 LIMIT 1",
            [record.assignmentID, ExtensionRequestState.approved.rawValue]).isEmpty)
    }

    func decideReturn(_ command: CenterDecideReturn) throws -> CommandEffect {
        let (locked, record) = try load(command.assignmentID, type: .centerDecideReturn)
        let request = try connection.query(
            "SELECT id, late FROM return_requests WHERE assignment_id = $1 AND decided_at IS NULL ORDER BY id DESC LIMIT 1",
            [record.assignmentID]).first
        let late: Bool = try request?.decode("late") ?? false
        if let id: Int64 = try request?.decode("id") {
            connection.write(
                "UPDATE return_requests SET decided_at = $2, approved = $3, reassign_to = $4, note = $5, decision_id = $6 WHERE id = $1",
                [id, now, command.approve, command.reassignTo, command.note, commandID])
        }
        return command.approve
            ? try approveReturn(command, locked: locked, record: record, late: late)
            : try denyReturn(command, locked: locked, record: record)
    }

    private func denyReturn(_ command: CenterDecideReturn, locked: LockedTicket, record: AssignmentRecord) throws -> CommandEffect {
        let next = try transition(.denyReturn, record)
        if command.reassignTo != nil {
            throw CommandRefusal(.invalid, "reassign_to only goes with an approval")
        }
        let (deadlines, followUpBy) = try context.planner.afterDeniedReturn(
            record.deadlines, followUpBy: record.followUpBy, met: record.metDeadlines,
            ticket: AssignmentFactory.facts(locked.ticket, in: context.reference.jurisdiction), itemWorkingDays: locked.ticket.itemWorkingDays(in: context.reference),
            reviewStartedAt: record.reviewStartedAt, decidedAt: now)
        try AssignmentRecord.move(record.assignmentID, to: next, on: connection, now: now)
        try AssignmentRecord.saveDeadlines(record.assignmentID, deadlines, on: connection)
        connection.write(
            "UPDATE assignments SET return_denied = true, follow_up_by = $2 WHERE assignment_id = $1",
            [record.assignmentID, followUpBy])
        try history(locked.ticketNo, "return_denied", ["assignment_id": record.assignmentID])
        let event = AssignmentReturnDenied(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: locked.ticketNo, assignmentID: record.assignmentID,
            unit: record.unit, note: command.note, commandID: commandID)
        let update = AssignmentUpdated(
            assignmentID: record.assignmentID, ticketNo: locked.ticketNo, reason: "return_denied", note: command.note,
            deadlines: deadlines, returnAllowed: record.returnAllowed && context.reference.profile.returns.againAfterDenial)
        return CommandEffect(
            outcome: try EncodedEvent(event, assignmentID: record.assignmentID, extras: DeadlineExtras(deadlines: deadlines)),
            messages: [try OutboxMessage.toUnit(.updated(update), unit: record.unit)])
    }

    private func approveReturn(
        _ command: CenterDecideReturn, locked: LockedTicket, record: AssignmentRecord, late: Bool
    ) throws -> CommandEffect {
        let next = try transition(.approveReturn, record)
        let others = locked.live.filter { $0.assignmentID != record.assignmentID }
        let live = others.map { ReturnDecisions.LiveAssignment(unit: $0.unit, role: $0.role) }
        let knownUnits = Set(context.reference.jurisdiction.units.map(\.code))
        if let refusal = ReturnDecisions.checkReassignment(
            command.reassignTo, returningUnit: record.unit, live: live, knownUnits: knownUnits)
        {
            throw refusal
        }
        try AssignmentRecord.move(record.assignmentID, to: next, on: connection, now: now)
        if late {
            connection.write("UPDATE assignments SET overdue_return = true WHERE assignment_id = $1", [record.assignmentID])
        }
        var messages = [try OutboxMessage.toUnit(
            .cancelled(AssignmentCancelled(
                assignmentID: record.assignmentID, ticketNo: locked.ticketNo, reason: "returned", note: command.note)),
            unit: record.unit)]
        try history(locked.ticketNo, "returned", [
            "assignment_id": record.assignmentID, "reassign_to": command.reassignTo ?? "", "overdue": String(late),
        ])

        let returnedUnits = Set(locked.assignments.filter { $0.state == .returned }.map(\.unit) + [record.unit])
        let followup = ReturnDecisions.followup(
            unit: record.unit, role: record.role, leadUnit: record.leadUnit, live: live, reassignTo: command.reassignTo,
            excluded: returnedUnits, router: context.router, category: locked.ticket.category,
            street: locked.ticket.location?.street)
        var reassignedTo = command.reassignTo
        switch followup {
        case .nothing:
            if record.role == .co {
                messages += try AssignmentGroup.replaceCoUnit(
                    record.unit, with: nil, in: others, ticketNo: locked.ticketNo, on: connection, now: now)
            }
        case .manual(let reason):
            reassignedTo = nil
            if record.role == .lead {
                messages += try AssignmentEnding(connection: connection, now: now).endCoUnits(
                    of: record.unit, in: others, reason: AssignmentTransferred.leadReturned,
                    note: "the lead unit's return was approved; the center dispatches the ticket again").messages
            }
            messages += try context.factory.sendToManual(locked.ticketNo, reason: reason, category: locked.ticket.category)
        case .assign(let plans):
            messages += try redispatch(plans, after: record, locked: locked, others: others)
            reassignedTo = plans.first?.unit
        }
        let event = AssignmentReturned(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: locked.ticketNo, assignmentID: record.assignmentID,
            unit: record.unit, reassignedTo: reassignedTo, note: command.note, overdue: late, commandID: commandID)
        return CommandEffect(outcome: try EncodedEvent(event, assignmentID: record.assignmentID), messages: messages)
    }

    /// The ticket goes on to the units of `plans` after `record`'s approved return: their assignments
    /// (deadlines from the re-dispatch, or carried over, as the profile says), the co-units' and the
    /// lead's changes, and `ticket.dispatched`.
    private func redispatch(
        _ plans: [PlannedAssignment], after record: AssignmentRecord, locked: LockedTicket, others: [AssignmentRecord]
    ) throws -> [OutboxMessage] {
        var refreshed = locked
        refreshed.assignments = try AssignmentRecord.all(of: locked.ticketNo, on: connection)
        let facts = AssignmentFactory.facts(locked.ticket, in: context.reference.jurisdiction)
        let itemDays = locked.ticket.itemWorkingDays(in: context.reference)
        let planner = context.planner
        let now = self.now
        let created = try context.factory.create(plans, for: refreshed, mode: "redispatch") { plan in
            try planner.afterApprovedReturn(
                ticket: facts, redispatchedAt: now, itemWorkingDays: itemDays, returnAllowed: plan.returnAllowed,
                previous: record.deadlines, reviewStartedAt: record.reviewStartedAt)
        }
        var messages = created.messages
        if record.role == .co {
            messages += try AssignmentGroup.replaceCoUnit(
                record.unit, with: plans.first?.unit, in: others, ticketNo: locked.ticketNo, on: connection, now: now)
        } else if let lead = plans.first, lead.role == .lead {
            messages += try AssignmentGroup.changeLead(
                to: lead.unit, coUnits: lead.coUnits, in: others, ticketNo: locked.ticketNo, on: connection, now: now)
        }
        try TicketHistory.record(
            locked.ticketNo, actor: "dispatcher", action: "dispatched",
            detail: ["units": plans.map(\.unit).joined(separator: ","), "mode": "redispatch"], on: connection, now: now)
        let dispatched = TicketDispatched(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: locked.ticketNo, assignments: created.dispatched)
        messages.append(try OutboxMessage.event(dispatched))
        return messages
    }
}
