import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// Resolutions (办结): a unit's final or stage resolution, the center's review, and co-units' parts.
extension AssignmentCommands {
    func submitResolution(_ command: UnitSubmitResolution) throws -> CommandEffect {
        let (locked, record) = try load(command.assignmentID, type: .unitSubmitResolution)
        let next = try transition(.submitResolution, record)
        try checkReported(command.handledAt, field: "handled_at", of: record)
        let reported = Set(locked.live.filter { $0.role == .co && $0.partReportedAt != nil }.map(\.unit))
        let pendingCo = record.role == .lead || record.role == .firstResponsible
            ? ResolutionChecks.coUnitsNotReported(
                coUnits: locked.live.filter { $0.role == .co }.map(\.unit), reported: reported)
            : []
        let contactMissing = context.reference.profile.handling.contactBeforeReply == true
            && locked.ticket.citizen.phone != nil && record.notifiedAt == nil && record.feedbackAt == nil
        if let refusal = ResolutionChecks.check(
            command, needsPhotos: itemOf(locked.ticket)?.needsPhotos ?? false, coUnitsNotReported: pendingCo,
            contactMissing: contactMissing,
            caseFilingRequired: context.reference.profile.handling.caseFilingKinds?.contains(locked.ticket.kind) == true)
        {
            throw refusal
        }
        if let statement = command.dutyStatement {
            if let refusal = DutyStatement.refusal(
                acceptedByProfile: context.reference.profile.handling.dutyStatementOnRehandling == true,
                rehandling: record.reopenCount > 0)
            {
                throw refusal
            }
            try checkReported(statement.signedAt, field: "duty_statement.signed_at", of: record)
        }
        try AssignmentRecord.move(record.assignmentID, to: next, on: connection, now: now, reviewStartedAt: now)
        connection.write(
            """
            INSERT INTO resolutions (assignment_id, kind, outcome, reply, handled_at, handler, basis, attachments,
                                     submitted_at, command_id, case_filing, duty_statement)
            VALUES ($1, 'final', $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10::jsonb, $11::jsonb)
            """,
            [record.assignmentID, command.outcome.rawValue, command.reply, command.handledAt, command.handler, command.basis,
             try command.attachments.map { JSONText(data: try HotlineJSON.encode($0)) }, now, commandID,
             try command.caseFiling.map { JSONText(data: try HotlineJSON.encode($0)) },
             try command.dutyStatement.map { JSONText(data: try HotlineJSON.encode($0)) }])
        try history(locked.ticketNo, "resolution_submitted", [
            "assignment_id": record.assignmentID, "outcome": command.outcome.rawValue,
        ])
        let event = AssignmentResolutionSubmitted(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: locked.ticketNo, assignmentID: record.assignmentID,
            unit: record.unit, resolutionKind: .final, outcome: command.outcome, handledAt: command.handledAt,
            caseFiling: command.caseFiling, dutyStatement: command.dutyStatement, commandID: commandID)
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
        guard command.approve else { return try rejectResolution(command, kind: kind, locked: locked, record: record) }
        if kind == .stage {
            return try approveStage(
                followUpBy: try submitted.decodeIfPresent("follow_up_by"), level: try submitted.decodeIfPresent("approval_level"),
                locked: locked, record: record)
        }
        let outcome = try submitted.decodeIfPresent("outcome", as: String.self).flatMap(ResolutionOutcome.init(rawValue:))
        return try approveFinal(outcome: outcome, locked: locked, record: record)
    }

    private func rejectResolution(
        _ command: CenterDecideResolution, kind: ResolutionKind, locked: LockedTicket, record: AssignmentRecord
    ) throws -> CommandEffect {
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

    /// A stage resolution approved: the assignment is followed up until `followUpBy`.
    private func approveStage(
        followUpBy: Date?, level: String?, locked: LockedTicket, record: AssignmentRecord
    ) throws -> CommandEffect {
        connection.write(
            "UPDATE assignments SET follow_up_by = $2, approval_level = $3 WHERE assignment_id = $1",
            [record.assignmentID, followUpBy, level])
        // The ticket stays `dispatched`: it is still being handled (followed up), e.g. for intake's merges.
        TicketProgress.touch(locked.ticketNo, on: connection, now: now)
        try history(locked.ticketNo, "stage_resolved", ["assignment_id": record.assignmentID, "approval_level": level ?? ""])
        let event = TicketStageResolved(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: locked.ticketNo, assignmentID: record.assignmentID,
            unit: record.unit, followUpBy: followUpBy, commandID: commandID)
        return CommandEffect(outcome: try EncodedEvent(
            event, assignmentID: record.assignmentID, extras: DeadlineExtras(deadlines: record.deadlines, approvalLevel: level)))
    }

    /// A final resolution approved: the ticket is resolved; the co-units' assignments close with it.
    private func approveFinal(
        outcome: ResolutionOutcome?, locked: LockedTicket, record: AssignmentRecord
    ) throws -> CommandEffect {
        let messages = try AssignmentRecord.end(
            locked.live.filter { $0.assignmentID != record.assignmentID }, by: .close, ticketNo: locked.ticketNo,
            reason: "closed", note: "the ticket was resolved by \(record.unit)", on: connection, now: now)
        TicketProgress.set(locked.ticketNo, to: .resolved, on: connection, now: now)
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
}
