import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// The dispatcher's commands: each loads the ticket under its `TicketLock`, checks the sender and the
/// lifecycle with the domain rules, stores the change and returns its outcome event and the unit
/// messages it causes. Every refusal is thrown as a `CommandRefusal`.
struct AssignmentCommands {
    let context: CommandContext
    let issuer: CommandIssuer
    /// The person at the center a `center.*` command names, for the history.
    let operatorName: String?

    var connection: PostgresConnection { context.connection }
    var now: Date { context.now }
    var commandID: String { context.commandID }

    // MARK: - Loading and checks

    /// The assignment named by a command, with its ticket locked; `not_found` when there is none;
    /// `forbidden` when the sender may not act on it.
    func load(_ assignmentID: String, type: CommandType) throws -> (LockedTicket, AssignmentRecord) {
        guard let locked = try LockedTicket.lock(ofAssignment: assignmentID, on: connection),
              let record = locked.assignment(assignmentID)
        else { throw CommandRefusal(.notFound, "no assignment \(String(assignmentID.prefix(200)))") }
        if let refusal = CommandAuthorization.check(issuer, actsOnAssignmentOf: record.unit, type: type) { throw refusal }
        return (locked, record)
    }

    func transition(_ action: AssignmentLifecycle.Action, _ record: AssignmentRecord) throws -> AssignmentLifecycle.Position {
        try AssignmentLifecycle.apply(action, to: record.position).get()
    }

    /// Refuses a time the unit reports outside the assignment's life (`ReportedTime`).
    func checkReported(_ time: Date, field: String, of record: AssignmentRecord) throws {
        let skew = context.reference.profile.intake.submissionLimits.futureSkew
        if let problem = ReportedTime.problem(time, field: field, dispatchedAt: record.createdAt, now: now, skew: skew) {
            throw ReportedTime.refusal(problem)
        }
    }

    func history(_ ticketNo: String, _ action: String, _ detail: [String: String]) throws {
        try TicketHistory.record(
            ticketNo, actor: issuer.userID, operatorName: operatorName, action: action, detail: detail, on: connection, now: now)
    }

    var itemOf: (DispatchTicket) -> CatalogueItem? {
        let catalogue = context.reference.catalogue
        return { ticket in ticket.item(in: catalogue) }
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
        try checkReported(command.at, field: "at", of: record)
        connection.write(
            """
            INSERT INTO citizen_notices (assignment_id, stage, method, at, command_id, recorded_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            """, [record.assignmentID, command.stage.rawValue, command.method, command.at, commandID, now])
        // The first notice of each stage meets its deadline (a denied return no longer moves it). On
        // time or not is judged by arrival: the notice counts from now, whatever `at` says.
        let column = command.stage == .acceptance ? "notified_at" : "feedback_at"
        connection.write(
            "UPDATE assignments SET \(column) = coalesce(\(column), $2), updated_at = $2 WHERE assignment_id = $1",
            [record.assignmentID, now])
        try history(locked.ticketNo, "citizen_notified", [
            "assignment_id": record.assignmentID, "stage": command.stage.rawValue, "method": command.method,
        ])
        let event = AssignmentCitizenNotified(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: locked.ticketNo, assignmentID: record.assignmentID,
            unit: record.unit, stage: command.stage, method: command.method, at: command.at, commandID: commandID)
        return CommandEffect(outcome: try EncodedEvent(event, assignmentID: record.assignmentID))
    }
}
