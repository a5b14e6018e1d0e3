import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// The dispatcher's commands: each loads the ticket under its row lock, checks the sender and the
/// lifecycle with the domain rules, stores the change and returns its outcome event and the unit
/// messages it causes. Every refusal is thrown as a `CommandRefusal`.
struct AssignmentCommands {
    let context: CommandContext
    let issuer: CommandIssuer

    private var connection: PostgresConnection { context.connection }
    private var now: Date { context.now }
    private var commandID: String { context.commandID }

    // MARK: - Loading and checks

    /// The assignment named by a command, with its ticket locked; `not_found` when there is none;
    /// `forbidden` when the sender may not act on it.
    private func load(_ assignmentID: String, type: CommandType) throws -> (LockedTicket, AssignmentRecord) {
        guard let locked = try LockedTicket.lock(ofAssignment: assignmentID, on: connection),
              let record = locked.assignment(assignmentID)
        else { throw CommandRefusal(.notFound, "no assignment \(String(assignmentID.prefix(200)))") }
        if let refusal = CommandAuthorization.check(issuer, actsOnAssignmentOf: record.unit, type: type) { throw refusal }
        return (locked, record)
    }

    private func transition(_ action: AssignmentLifecycle.Action, _ record: AssignmentRecord) throws -> AssignmentLifecycle.Position {
        try AssignmentLifecycle.apply(action, to: record.position).get()
    }

    private func history(_ ticketNo: String, _ action: String, _ detail: [String: String]) throws {
        try TicketHistory.record(ticketNo, actor: issuer.userID, action: action, detail: detail, on: connection, now: now)
    }

    private var itemOf: (DispatchTicket) -> CatalogueItem? {
        let catalogue = context.reference.catalogue
        return { ticket in ticket.category.flatMap { catalogue.item(code: $0) } }
    }

    // MARK: - Sign

    func sign(_ command: UnitSign) throws -> CommandEffect {
        let (locked, record) = try load(command.assignmentID, type: .unitSign)
        return try Signing(context: context).sign(record, in: locked, auto: false, commandID: commandID, actor: issuer.userID)
    }

    // MARK: - Citizen notices

    func notifyCitizen(_ command: UnitNotifyCitizen) throws -> CommandEffect {
        let (locked, record) = try load(command.assignmentID, type: .unitNotifyCitizen)
        _ = try transition(.notifyCitizen, record)
        connection.write(
            """
            INSERT INTO citizen_notices (assignment_id, stage, method, at, command_id, recorded_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            """, [record.assignmentID, command.stage.rawValue, command.method, command.at, commandID, now])
        if command.stage == .acceptance {
            connection.write(
                "UPDATE assignments SET notified_at = coalesce(notified_at, $2), updated_at = $3 WHERE assignment_id = $1",
                [record.assignmentID, command.at, now])
        }
        try history(locked.ticketNo, "citizen_notified", [
            "assignment_id": record.assignmentID, "stage": command.stage.rawValue, "method": command.method,
        ])
        let event = AssignmentCitizenNotified(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: locked.ticketNo, assignmentID: record.assignmentID,
            unit: record.unit, stage: command.stage, method: command.method, at: command.at, commandID: commandID)
        return CommandEffect(outcome: try EncodedEvent(event, assignmentID: record.assignmentID))
    }

    // MARK: - Returns

    func requestReturn(_ command: UnitRequestReturn) throws -> CommandEffect {
        let (locked, record) = try load(command.assignmentID, type: .unitRequestReturn)
        let facts = ReturnDecisions.Facts(
            returnAllowed: record.returnAllowed, extended: record.extended, deniedBefore: record.returnDenied,
            returnBy: record.deadlines.returnBy)
        let accepted = try ReturnDecisions.screen(
            command, position: record.position, facts: facts, rules: context.reference.profile.returns, now: now
        ).get()
        try AssignmentRecord.move(record.assignmentID, to: accepted.position, on: connection, now: now, reviewStartedAt: now)
        connection.write(
            """
            INSERT INTO return_requests (assignment_id, reason_code, reason, basis, suggested_unit, late, requested_at, command_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """,
            [record.assignmentID, command.reasonCode, command.reason, command.basis, command.suggestedUnit, accepted.late,
             now, commandID])
        try history(locked.ticketNo, "return_requested", [
            "assignment_id": record.assignmentID, "reason_code": command.reasonCode, "late": String(accepted.late),
        ])
        let event = AssignmentReturnRequested(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: locked.ticketNo, assignmentID: record.assignmentID,
            unit: record.unit, reasonCode: command.reasonCode, reason: command.reason, basis: command.basis,
            suggestedUnit: command.suggestedUnit, late: accepted.late, commandID: commandID)
        return CommandEffect(outcome: try EncodedEvent(event, assignmentID: record.assignmentID))
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
        let deadlines = try context.planner.afterDeniedReturn(
            record.deadlines, reviewStartedAt: record.reviewStartedAt, decidedAt: now)
        try AssignmentRecord.move(record.assignmentID, to: next, on: connection, now: now)
        try AssignmentRecord.saveDeadlines(record.assignmentID, deadlines, on: connection)
        connection.write("UPDATE assignments SET return_denied = true WHERE assignment_id = $1", [record.assignmentID])
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
            if record.role == .co { messages += try replaceCoUnit(record.unit, with: nil, in: others, ticketNo: locked.ticketNo) }
        case .manual(let reason):
            reassignedTo = nil
            messages += try context.factory.sendToManual(locked.ticketNo, reason: reason, category: locked.ticket.category)
        case .assign(let plans):
            var refreshed = locked
            refreshed.assignments = try AssignmentRecord.all(of: locked.ticketNo, on: connection)
            let facts = AssignmentFactory.facts(locked.ticket)
            let itemDays = itemOf(locked.ticket)?.handleWorkingDays
            let planner = context.planner
            let previous = record.deadlines
            let reviewStarted = record.reviewStartedAt
            let now = self.now
            let created = try context.factory.create(plans, for: refreshed, mode: "redispatch") { plan in
                try planner.afterApprovedReturn(
                    ticket: facts, redispatchedAt: now, itemWorkingDays: itemDays, returnAllowed: plan.returnAllowed,
                    previous: previous, reviewStartedAt: reviewStarted)
            }
            messages += created.messages
            reassignedTo = plans.first?.unit
            if record.role == .co {
                messages += try replaceCoUnit(record.unit, with: plans.first?.unit, in: others, ticketNo: locked.ticketNo)
            } else if let lead = plans.first, lead.role == .lead {
                messages += try changeLead(to: lead.unit, coUnits: lead.coUnits, in: others, ticketNo: locked.ticketNo)
            }
            try TicketHistory.record(
                locked.ticketNo, actor: "dispatcher", action: "dispatched",
                detail: ["units": plans.map(\.unit).joined(separator: ","), "mode": "redispatch"], on: connection, now: now)
            let dispatched = TicketDispatched(
                eventID: UUID().uuidString, occurredAt: now, ticketNo: locked.ticketNo, assignments: created.dispatched)
            messages.append(try OutboxMessage.event(dispatched))
        }
        let event = AssignmentReturned(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: locked.ticketNo, assignmentID: record.assignmentID,
            unit: record.unit, reassignedTo: reassignedTo, note: command.note, overdue: late, commandID: commandID)
        return CommandEffect(outcome: try EncodedEvent(event, assignmentID: record.assignmentID), messages: messages)
    }

    /// A co-unit left (or was replaced): the lead's and the other co-units' `co_units` change.
    private func replaceCoUnit(
        _ unit: String, with replacement: String?, in others: [AssignmentRecord], ticketNo: String
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

    /// The lead returned and another unit leads now: the co-units learn their new lead.
    private func changeLead(
        to lead: String, coUnits: [String], in others: [AssignmentRecord], ticketNo: String
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

    // MARK: - Resolutions

    func submitResolution(_ command: UnitSubmitResolution) throws -> CommandEffect {
        let (locked, record) = try load(command.assignmentID, type: .unitSubmitResolution)
        let next = try transition(.submitResolution, record)
        let reported = Set(locked.live.filter { $0.role == .co && $0.partReportedAt != nil }.map(\.unit))
        let pendingCo = record.role == .lead || record.role == .firstResponsible
            ? ResolutionChecks.coUnitsNotReported(
                coUnits: locked.live.filter { $0.role == .co }.map(\.unit), reported: reported)
            : []
        if let refusal = ResolutionChecks.check(
            command, needsPhotos: itemOf(locked.ticket)?.needsPhotos ?? false, coUnitsNotReported: pendingCo)
        {
            throw refusal
        }
        try AssignmentRecord.move(record.assignmentID, to: next, on: connection, now: now, reviewStartedAt: now)
        connection.write(
            """
            INSERT INTO resolutions (assignment_id, kind, outcome, reply, handled_at, handler, basis, attachments,
                                     submitted_at, command_id)
            VALUES ($1, 'final', $2, $3, $4, $5, $6, $7::jsonb, $8, $9)
            """,
            [record.assignmentID, command.outcome.rawValue, command.reply, command.handledAt, command.handler, command.basis,
             try command.attachments.map { JSONText(data: try HotlineJSON.encode($0)) }, now, commandID])
        try history(locked.ticketNo, "resolution_submitted", [
            "assignment_id": record.assignmentID, "outcome": command.outcome.rawValue,
        ])
        let event = AssignmentResolutionSubmitted(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: locked.ticketNo, assignmentID: record.assignmentID,
            unit: record.unit, resolutionKind: .final, outcome: command.outcome, handledAt: command.handledAt,
            commandID: commandID)
        return CommandEffect(outcome: try EncodedEvent(event, assignmentID: record.assignmentID))
    }

    func submitStageResolution(_ command: UnitSubmitStageResolution) throws -> CommandEffect {
        let (locked, record) = try load(command.assignmentID, type: .unitSubmitStageResolution)
        let next = try transition(.submitStageResolution, record)
        let approval = try ResolutionChecks.checkStage(
            command, rules: context.reference.profile.stageResolution, now: now,
            timeZone: context.reference.calendar.timeZone
        ).get()
        try AssignmentRecord.move(record.assignmentID, to: next, on: connection, now: now, reviewStartedAt: now)
        connection.write(
            """
            INSERT INTO resolutions (assignment_id, kind, reason, progress, plan, follow_up_by, approval_level,
                                     submitted_at, command_id)
            VALUES ($1, 'stage', $2, $3, $4, $5, $6, $7, $8)
            """,
            [record.assignmentID, command.reason, command.progress, command.plan, command.followUpBy,
             approval.approver.rawValue, now, commandID])
        try history(locked.ticketNo, "stage_resolution_submitted", [
            "assignment_id": record.assignmentID, "approval_level": approval.approver.rawValue,
        ])
        let event = AssignmentResolutionSubmitted(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: locked.ticketNo, assignmentID: record.assignmentID,
            unit: record.unit, resolutionKind: .stage, followUpBy: command.followUpBy, commandID: commandID)
        return CommandEffect(outcome: try EncodedEvent(
            event, assignmentID: record.assignmentID, extras: DeadlineExtras(approvalLevel: approval.approver.rawValue)))
    }

    func decideResolution(_ command: CenterDecideResolution) throws -> CommandEffect {
        let (locked, record) = try load(command.assignmentID, type: .centerDecideResolution)
        let next = try transition(command.approve ? .approveResolution : .rejectResolution, record)
        guard let submitted = try connection.query(
            """
            SELECT id, kind, outcome, follow_up_by, approval_level FROM resolutions
            WHERE assignment_id = $1 AND kind IN ('final', 'stage') AND decided_at IS NULL ORDER BY id DESC LIMIT 1
            """, [record.assignmentID]).first
        else { throw CommandRefusal(.wrongState, "no resolution of \(record.assignmentID) awaits review") }
        let resolutionID: Int64 = try submitted.decode("id")
        connection.write(
            "UPDATE resolutions SET decided_at = $2, approved = $3, note = $4, decision_id = $5 WHERE id = $1",
            [resolutionID, now, command.approve, command.note, commandID])
        try AssignmentRecord.move(record.assignmentID, to: next, on: connection, now: now)
        let kind = record.reviewKind ?? .final

        guard command.approve else {
            try history(locked.ticketNo, "resolution_rejected", ["assignment_id": record.assignmentID, "kind": kind.rawValue])
            let event = TicketResolutionRejected(
                eventID: UUID().uuidString, occurredAt: now, ticketNo: locked.ticketNo, assignmentID: record.assignmentID,
                unit: record.unit, note: command.note, commandID: commandID)
            let update = AssignmentUpdated(
                assignmentID: record.assignmentID, ticketNo: locked.ticketNo, reason: "resolution_rejected",
                note: command.note, deadlines: record.deadlines)
            return CommandEffect(
                outcome: try EncodedEvent(
                    event, assignmentID: record.assignmentID,
                    extras: DeadlineExtras(deadlines: record.deadlines, resolutionKind: kind.rawValue)),
                messages: [try OutboxMessage.toUnit(.updated(update), unit: record.unit)])
        }

        if kind == .stage {
            let followUpBy: Date? = try submitted.decodeIfPresent("follow_up_by")
            let level: String? = try submitted.decodeIfPresent("approval_level")
            connection.write(
                "UPDATE assignments SET follow_up_by = $2, approval_level = $3 WHERE assignment_id = $1",
                [record.assignmentID, followUpBy, level])
            // The ticket stays `dispatched`: it is still being handled (followed up), e.g. for intake's merges.
            connection.write("UPDATE tickets SET updated_at = $2 WHERE ticket_no = $1", [locked.ticketNo, now])
            try history(locked.ticketNo, "stage_resolved", [
                "assignment_id": record.assignmentID, "approval_level": level ?? "",
            ])
            let event = TicketStageResolved(
                eventID: UUID().uuidString, occurredAt: now, ticketNo: locked.ticketNo, assignmentID: record.assignmentID,
                unit: record.unit, followUpBy: followUpBy, commandID: commandID)
            return CommandEffect(outcome: try EncodedEvent(
                event, assignmentID: record.assignmentID,
                extras: DeadlineExtras(deadlines: record.deadlines, approvalLevel: level)))
        }

        // A final resolution: the ticket is resolved; the co-units' assignments close with it.
        var messages: [OutboxMessage] = []
        for other in locked.live where other.assignmentID != record.assignmentID {
            guard case .success(let closed) = AssignmentLifecycle.apply(.close, to: other.position) else { continue }
            try AssignmentRecord.move(other.assignmentID, to: closed, on: connection, now: now)
            messages.append(try OutboxMessage.toUnit(
                .cancelled(AssignmentCancelled(
                    assignmentID: other.assignmentID, ticketNo: locked.ticketNo, reason: "closed",
                    note: "the ticket was resolved by \(record.unit)")),
                unit: other.unit))
        }
        connection.write(
            "UPDATE tickets SET status = $3, updated_at = $2 WHERE ticket_no = $1",
            [locked.ticketNo, now, TicketStatus.resolved.rawValue])
        let outcome = try submitted.decodeIfPresent("outcome", as: String.self).flatMap(ResolutionOutcome.init(rawValue:))
        try history(locked.ticketNo, "resolved", ["assignment_id": record.assignmentID, "outcome": outcome?.rawValue ?? ""])
        let event = TicketResolved(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: locked.ticketNo, assignmentID: record.assignmentID,
            unit: record.unit, outcome: outcome, commandID: commandID)
        return CommandEffect(outcome: try EncodedEvent(event, assignmentID: record.assignmentID), messages: messages)
    }

    // MARK: - Co-units

    func reportPart(_ command: UnitReportPart) throws -> CommandEffect {
        let (locked, record) = try load(command.assignmentID, type: .unitReportPart)
        _ = try transition(.reportPart, record)
        connection.write(
            "UPDATE assignments SET part_reported_at = $2, part_result = $3, updated_at = $2 WHERE assignment_id = $1",
            [record.assignmentID, now, command.result])
        connection.write(
            """
            INSERT INTO resolutions (assignment_id, kind, result, submitted_at, command_id)
            VALUES ($1, 'part', $2, $3, $4)
            """, [record.assignmentID, command.result, now, commandID])
        try history(locked.ticketNo, "part_reported", ["assignment_id": record.assignmentID])
        var messages: [OutboxMessage] = []
        let lead = locked.live.first { ($0.role == .lead || $0.role == .firstResponsible) && $0.unit == record.leadUnit }
            ?? locked.live.first { $0.role == .lead || $0.role == .firstResponsible }
        if let lead {
            let update = AssignmentUpdated(
                assignmentID: lead.assignmentID, ticketNo: locked.ticketNo, reason: "part_reported",
                note: "\(record.unit): \(command.result)", coUnits: lead.coUnits)
            messages.append(try OutboxMessage.toUnit(.updated(update), unit: lead.unit))
        }
        let event = AssignmentResolutionSubmitted(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: locked.ticketNo, assignmentID: record.assignmentID,
            unit: record.unit, resolutionKind: .part, commandID: commandID)
        return CommandEffect(outcome: try EncodedEvent(event, assignmentID: record.assignmentID), messages: messages)
    }

    // MARK: - The center's dispatch

    func centerDispatch(_ command: CenterDispatch) throws -> CommandEffect {
        guard case .center = issuer else { throw CommandRefusal(.forbidden, "center.dispatch only from the center") }
        guard let locked = try LockedTicket.lock(command.ticketNo, on: connection) else {
            throw CommandRefusal(.notFound, "no ticket \(String(command.ticketNo.prefix(64)))")
        }
        let status = locked.ticket.status
        guard TicketStatus.open.contains(status), locked.live.isEmpty else {
            let holders = locked.live.map(\.unit).joined(separator: ", ")
            throw CommandRefusal(
                .wrongState,
                holders.isEmpty
                    ? "ticket \(locked.ticketNo) is \(status.rawValue) and cannot be dispatched"
                    : "ticket \(locked.ticketNo) is being handled by \(holders)")
        }
        let plans = try context.router.plan(command).get()
        let (messages, dispatched) = try context.factory.create(plans, for: locked, mode: command.mode.rawValue)
        try history(locked.ticketNo, "dispatched", [
            "units": plans.map(\.unit).joined(separator: ","), "mode": command.mode.rawValue, "note": command.note ?? "",
        ])
        let event = TicketDispatched(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: locked.ticketNo, assignments: dispatched,
            mode: command.mode, manual: status == .manual, commandID: commandID)
        return CommandEffect(outcome: try EncodedEvent(event), messages: messages)
    }
}

/// Signing, by a unit's command or automatically at the sign deadline: shared by the command
/// handler and the `sla.breached` reaction.
struct Signing {
    let context: SigningContext

    init(context: CommandContext) {
        self.context = SigningContext(connection: context.connection, now: context.now, reference: context.reference)
    }

    init(context: SigningContext) {
        self.context = context
    }

    /// Signs the assignment; on a parallel ticket the first signature claims it and the other
    /// candidates get `assignment.cancelled`. Throws `wrong_state` when it cannot be signed.
    func sign(
        _ record: AssignmentRecord, in locked: LockedTicket, auto: Bool, commandID: String?, actor: String
    ) throws -> CommandEffect {
        let connection = context.connection, now = context.now
        let next = try AssignmentLifecycle.apply(.sign(auto: auto), to: record.position).get()
        let planner = DeadlinePlanner(profile: context.reference.profile, calendar: context.reference.calendar)
        let item = locked.ticket.category.flatMap { context.reference.catalogue.item(code: $0) }
        let deadlines = try planner.afterSigning(
            record.deadlines, ticket: AssignmentFactory.facts(locked.ticket), dispatchedAt: record.createdAt,
            signedAt: now, itemWorkingDays: item?.handleWorkingDays, returnAllowed: record.returnAllowed)
        try AssignmentRecord.move(record.assignmentID, to: next, on: connection, now: now)
        try AssignmentRecord.saveDeadlines(record.assignmentID, deadlines, on: connection)
        connection.write(
            "UPDATE assignments SET signed_at = $2, auto_signed = $3 WHERE assignment_id = $1",
            [record.assignmentID, now, auto])
        var messages: [OutboxMessage] = []
        if record.role == .parallel {
            for other in locked.live where other.assignmentID != record.assignmentID && other.role == .parallel {
                guard case .success(let cancelled) = AssignmentLifecycle.apply(.cancel, to: other.position) else { continue }
                try AssignmentRecord.move(other.assignmentID, to: cancelled, on: connection, now: now)
                messages.append(try OutboxMessage.toUnit(
                    .cancelled(AssignmentCancelled(
                        assignmentID: other.assignmentID, ticketNo: locked.ticketNo, reason: "claimed_by_other",
                        note: "\(record.unit) claimed the ticket")),
                    unit: other.unit))
            }
        }
        try TicketHistory.record(
            locked.ticketNo, actor: actor, action: auto ? "auto_signed" : "signed",
            detail: ["assignment_id": record.assignmentID, "role": record.role.rawValue], on: connection, now: now)
        let event = AssignmentSigned(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: locked.ticketNo, assignmentID: record.assignmentID,
            unit: record.unit, auto: auto, role: record.role, commandID: commandID)
        return CommandEffect(
            outcome: try EncodedEvent(event, assignmentID: record.assignmentID, extras: DeadlineExtras(deadlines: deadlines)),
            messages: messages)
    }
}

/// What signing needs, from a command or from an event handler.
struct SigningContext {
    let connection: PostgresConnection
    let now: Date
    let reference: ReferenceData
}
