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
///   `assignment.reopened` with the profile's re-handling deadline. Nothing goes to `hotline.events`
///   for it, so the survey's event and the dispatcher's reaction never loop.
///
/// Each is applied once per `message_id` (`ServiceRuntime.apply`).
struct LifecycleEvents: Sendable {
    static let consumer = "dispatcher"
    static let eventTypes = ServiceQueue.dispatcherEvents.routingKeys
    let runtime: ServiceRuntime
    let reference: ReferenceDataCache
    let dispatch: TicketDispatch

    func handle(_ delivery: Delivery) async -> Disposition {
        let type = delivery.properties.type ?? delivery.routingKey
        guard Self.eventTypes.contains(type) || Self.eventTypes.contains(delivery.routingKey) else { return .ack }
        guard case .object(let fields)? = try? JSONValue.parse(Data(delivery.body)) else {
            runtime.logger.error("unreadable event, kept in the dead-letter queue", metadata: [
                "message_id": "\(delivery.messageKey)", "type": "\(type)",
            ])
            return .retry
        }
        guard let reference = await runtime.current(self.reference) else { return .retry }
        let eventType = Self.eventTypes.contains(delivery.routingKey) ? delivery.routingKey : type
        let ticketNo = fields["ticket_no"]?.stringValue
        switch eventType {
        case "ticket.accepted":
            guard let ticketNo else { return .ack }
            return await runtime.apply(delivery, consumer: Self.consumer) { connection, now in
                try dispatch.dispatch(ticketNo, reference: reference, on: connection, now: now)
            }
        case "ticket.split":
            let children = fields["children"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return await runtime.apply(delivery, consumer: Self.consumer) { connection, now in
                var messages: [OutboxMessage] = []
                for child in children {
                    messages += try dispatch.dispatch(child, reference: reference, on: connection, now: now)
                }
                return messages
            }
        case "sla.breached":
            guard fields["deadline"]?.stringValue == DeadlineKind.sign.rawValue,
                  let assignmentID = fields["assignment_id"]?.stringValue, reference.profile.sign.autoSign
            else { return .ack }
            return await runtime.apply(delivery, consumer: Self.consumer) { connection, now in
                try autoSign(assignmentID, reference: reference, on: connection, now: now)
            }
        case "ticket.reopened":
            guard let ticketNo else { return .ack }
            let assignmentID = fields["assignment_id"]?.stringValue
            let reason = fields["reason"]?.stringValue
            let surveyID = fields["survey_id"]?.stringValue
            return await runtime.apply(delivery, consumer: Self.consumer) { connection, now in
                try reopen(
                    ticketNo, assignmentID: assignmentID, reason: reason, surveyID: surveyID, reference: reference,
                    on: connection, now: now)
            }
        default:
            return .ack
        }
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

    /// Reopens the assignment that resolved the ticket (the one named, or the latest resolved one).
    func reopen(
        _ ticketNo: String, assignmentID: String?, reason: String?, surveyID: String?, reference: ReferenceData,
        on connection: PostgresConnection, now: Date
    ) throws -> [OutboxMessage] {
        guard let locked = try LockedTicket.lock(ticketNo, on: connection) else { return [] }
        let record = assignmentID.flatMap(locked.assignment)
            ?? locked.assignments.filter { $0.state == .resolved }.max { ($0.endedAt ?? $0.createdAt) < ($1.endedAt ?? $1.createdAt) }
        guard let record, case .success(let next) = AssignmentLifecycle.apply(.reopen, to: record.position) else {
            runtime.logger.warning("ticket.reopened names no resolved assignment; nothing to reopen", metadata: [
                "ticket_no": "\(ticketNo)", "assignment_id": "\(assignmentID ?? "")",
            ])
            return []
        }
        let planner = DeadlinePlanner(profile: reference.profile, calendar: reference.calendar)
        let item = locked.ticket.category.flatMap { reference.catalogue.item(code: $0) }
        let deadlines = try planner.afterReopen(
            record.deadlines, kind: locked.ticket.kind, reopenedAt: now, itemWorkingDays: item?.handleWorkingDays)
        try AssignmentRecord.move(record.assignmentID, to: next, on: connection, now: now)
        try AssignmentRecord.saveDeadlines(record.assignmentID, deadlines, on: connection)
        connection.write(
            "UPDATE assignments SET reopen_count = reopen_count + 1 WHERE assignment_id = $1", [record.assignmentID])
        connection.write(
            "UPDATE tickets SET status = 'dispatched', updated_at = $2 WHERE ticket_no = $1 AND status IN ('resolved', 'closed')",
            [ticketNo, now])
        try TicketHistory.record(
            ticketNo, actor: "dispatcher", action: "reopened",
            detail: ["assignment_id": record.assignmentID, "reason": reason ?? "", "survey_id": surveyID ?? ""],
            on: connection, now: now)
        let message = AssignmentReopened(
            assignmentID: record.assignmentID, ticketNo: ticketNo, reason: reason ?? "rehandling", deadlines: deadlines,
            surveyID: surveyID)
        runtime.logger.info("assignment reopened", metadata: ["assignment_id": "\(record.assignmentID)"])
        return [try OutboxMessage.toUnit(.reopened(message), unit: record.unit)]
    }
}
