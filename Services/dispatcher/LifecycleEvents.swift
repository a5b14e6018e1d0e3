import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

/// The events the dispatcher reacts to, on its own queue `hotline.dispatcher.events`:
/// - `ticket.accepted`: dispatch by the catalogue (or to manual dispatch);
/// - `ticket.split`: dispatch every child ticket on its own;
/// - `sla.breached` with `deadline: sign`: the automatic sign-off (视为自动签收, PS §13);
/// - `ticket.reopened` (from the survey): the unit that resolved the ticket re-handles it and gets
///   `assignment.reopened` with the profile's re-handling deadline, which `assignment.replanned`
///   gives the sla-timer (the dispatcher does not follow it, so nothing loops);
/// - `ticket.closed` (from the survey): the ticket's progress becomes `closed`;
/// - `assignment.extended` (from the sla-timer): the extension is recorded in the assignment's row.
///
/// Each is applied once per `message_id` (`ServiceRuntime.apply`).
struct LifecycleEvents: Sendable {
    static let consumer = "dispatcher"
    static let eventTypes = Set(ServiceQueue.dispatcherEvents.routingKeys.compactMap(EventType.init(rawValue:)))
    let runtime: ServiceRuntime
    let reference: ReferenceDataCache
    let dispatch: TicketDispatch

    func handle(_ delivery: Delivery) async -> Disposition {
        let event: any HotlineEvent
        switch runtime.decodeEvent(delivery, accepting: Self.eventTypes) {
        case .ignored: return .ack
        case .unreadable: return .retry
        case .event(let decoded): event = decoded
        }
        guard let reference = await runtime.current(self.reference) else { return .retry }
        switch event {
        case let accepted as TicketAccepted:
            guard let ticketNo = accepted.ticketNo else { return .ack }
            return await runtime.apply(delivery, consumer: Self.consumer) { connection, now in
                try dispatch.dispatch(ticketNo, reference: reference, on: connection, now: now)
            }
        case let split as TicketSplit:
            let children = split.children
            return await runtime.apply(delivery, consumer: Self.consumer) { connection, now in
                var messages: [OutboxMessage] = []
                for child in children {
                    messages += try dispatch.dispatch(child, reference: reference, on: connection, now: now)
                }
                return messages
            }
        case let breached as SLABreached:
            guard breached.deadline == .sign, let assignmentID = breached.assignmentID, reference.profile.sign.autoSign
            else { return .ack }
            return await runtime.apply(delivery, consumer: Self.consumer) { connection, now in
                try autoSign(assignmentID, reference: reference, on: connection, now: now)
            }
        case let reopened as TicketReopened:
            guard let ticketNo = reopened.ticketNo else { return .ack }
            return await runtime.apply(delivery, consumer: Self.consumer) { connection, now in
                try reopen(ticketNo, by: reopened, reference: reference, on: connection, now: now)
            }
        case let closed as TicketClosed:
            guard let ticketNo = closed.ticketNo else { return .ack }
            return await runtime.apply(delivery, consumer: Self.consumer) { connection, now in
                guard try LockedTicket.lock(ticketNo, on: connection) != nil else { return [] }
                TicketProgress.set(ticketNo, to: .closed, on: connection, now: now)
                return []
            }
        case let extended as AssignmentExtended:
            return await runtime.apply(delivery, consumer: Self.consumer) { connection, now in
                try recordExtension(extended, on: connection, now: now)
                return []
            }
        default:
            return .ack
        }
    }

    /// Records an extension the sla-timer granted: the new resolve deadline, `extended` (no return
    /// after it, PS §14) and the count. Under the ticket's lock, like every change to its assignments;
    /// an extension older than the one recorded changes nothing.
    func recordExtension(_ extended: AssignmentExtended, on connection: PostgresConnection, now: Date) throws {
        guard try LockedTicket.lock(ofAssignment: extended.assignmentID, on: connection) != nil else { return }
        connection.write(
            """
            UPDATE assignments SET deadlines = deadlines || jsonb_build_object('resolve_by', $2::text), extended = true,
                                   extensions = coalesce($3::int, extensions + 1), updated_at = $4
            WHERE assignment_id = $1 AND ($3::int IS NULL OR extensions < $3::int)
            """, [extended.assignmentID, RFC3339.string(from: extended.resolveBy), extended.extensionsGranted, now])
    }

    /// Signs a still-pending assignment at its sign deadline (`assignment.signed` with `auto: true`).
    func autoSign(
        _ assignmentID: String, reference: ReferenceData, on connection: PostgresConnection, now: Date
    ) throws -> [OutboxMessage] {
        guard let locked = try LockedTicket.lock(ofAssignment: assignmentID, on: connection),
              let record = locked.assignment(assignmentID), record.state == .pending
        else { return [] }
        let signing = Signing(context: SigningContext(connection: connection, now: now, reference: reference))
        let effect = try signing.sign(record, in: locked, auto: true, commandID: nil, actor: "dispatcher")
        runtime.logger.info("assignment signed automatically", metadata: ["assignment_id": "\(assignmentID)"])
        return [effect.outcome.message()] + effect.messages
    }

    /// Reopens the assignment that resolved the ticket (the one named, or the latest resolved one). The
    /// re-handling limit runs from the survey's reopening (its `occurred_at`), in the row and in
    /// `assignment.replanned` alike.
    func reopen(
        _ ticketNo: String, by reopened: TicketReopened, reference: ReferenceData, on connection: PostgresConnection,
        now: Date
    ) throws -> [OutboxMessage] {
        guard let locked = try LockedTicket.lock(ticketNo, on: connection) else { return [] }
        let record = locked.assignment(reopened.assignmentID)
            ?? locked.assignments.filter { $0.state == .resolved }.max { ($0.endedAt ?? $0.createdAt) < ($1.endedAt ?? $1.createdAt) }
        guard let record, case .success(let next) = AssignmentLifecycle.apply(.reopen, to: record.position) else {
            runtime.logger.warning("ticket.reopened names no resolved assignment; nothing to reopen", metadata: [
                "ticket_no": "\(ticketNo)", "assignment_id": "\(reopened.assignmentID)",
            ])
            return []
        }
        let planner = DeadlinePlanner(profile: reference.profile, calendar: reference.calendar)
        let deadlines = try planner.afterReopen(
            record.deadlines, kind: locked.ticket.kind, reopenedAt: reopened.occurredAt,
            itemWorkingDays: locked.ticket.itemWorkingDays(in: reference))
        try AssignmentRecord.move(record.assignmentID, to: next, on: connection, now: now)
        try AssignmentRecord.saveDeadlines(record.assignmentID, deadlines, on: connection)
        // A re-handling has a resolve deadline again: a stage resolution's follow-up ends.
        connection.write(
            "UPDATE assignments SET reopen_count = reopen_count + 1, follow_up_by = NULL WHERE assignment_id = $1",
            [record.assignmentID])
        TicketProgress.set(ticketNo, to: .dispatched, from: [.resolved, .closed], on: connection, now: now)
        try TicketHistory.record(
            ticketNo, actor: "dispatcher", action: "reopened",
            detail: [
                "assignment_id": record.assignmentID, "reason": reopened.reason ?? "", "survey_id": reopened.surveyID ?? "",
            ], on: connection, now: now)
        guard reference.jurisdiction.unit(record.unit) != nil else {
            // The unit was retired since it resolved the ticket: its successor re-handles it, against the
            // re-handling deadline; the retired unit hears nothing (its queue may be gone).
            return try TicketHandover(reference: reference, connection: connection, now: now)
                .handOver(ticketNo, untold: [record.assignmentID]).messages
        }
        let message = AssignmentReopened(
            assignmentID: record.assignmentID, ticketNo: ticketNo, reason: reopened.reason ?? "rehandling",
            deadlines: deadlines, surveyID: reopened.surveyID)
        let replanned = AssignmentReplanned(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: ticketNo, assignmentID: record.assignmentID,
            unit: record.unit, reason: AssignmentReplanned.reopened, deadlines: deadlines, reopenedAt: reopened.occurredAt)
        runtime.logger.info("assignment reopened", metadata: ["assignment_id": "\(record.assignmentID)"])
        return [try OutboxMessage.toUnit(.reopened(message), unit: record.unit), try OutboxMessage.event(replanned)]
    }
}
