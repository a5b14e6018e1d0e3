import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

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
        let deadlines = try planner.afterSigning(
            record.deadlines, ticket: AssignmentFactory.facts(locked.ticket, in: context.reference.jurisdiction), dispatchedAt: record.createdAt,
            signedAt: now, itemWorkingDays: locked.ticket.itemWorkingDays(in: context.reference), returnAllowed: record.returnAllowed)
        try AssignmentRecord.move(record.assignmentID, to: next, on: connection, now: now)
        try AssignmentRecord.saveDeadlines(record.assignmentID, deadlines, on: connection)
        connection.write(
            "UPDATE assignments SET signed_at = $2, auto_signed = $3 WHERE assignment_id = $1",
            [record.assignmentID, now, auto])
        var messages: [OutboxMessage] = []
        if record.role == .parallel {
            messages = try AssignmentRecord.end(
                locked.live.filter { $0.assignmentID != record.assignmentID && $0.role == .parallel }, by: .cancel,
                ticketNo: locked.ticketNo, reason: "claimed_by_other", note: "\(record.unit) claimed the ticket",
                on: connection, now: now)
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
