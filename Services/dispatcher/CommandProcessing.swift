import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

/// What a command did: its outcome event and the messages it caused besides (unit messages,
/// `ticket.dispatched` of a re-dispatch, …).
struct CommandEffect {
    var outcome: EncodedEvent
    var messages: [OutboxMessage] = []
}

/// Consumes `hotline.dispatcher.commands`: every command the dispatcher owns gets exactly one
/// outcome — its event, or `command.rejected` — on `hotline.events` and on `reply_to`, both with
/// `correlation_id` = the command's `message_id`.
///
/// Like `ServiceRuntime.apply`, each command is handled in one transaction (claim, effect, outbox,
/// commit, then ack), but the claim is the command's row in `command_outcomes`, which keeps the
/// outcome (a refused command's partial writes are rolled back to a savepoint first): a repeated command (the same `message_id`, redelivered or sent again) is not applied
/// again; its stored outcome goes to its `reply_to` once more, under the same event id. The event bus
/// sees one outcome per command.
struct CommandProcessing: Sendable {
    static let consumer = "dispatcher.commands"
    let runtime: ServiceRuntime
    let reference: ReferenceDataCache

    func handle(_ delivery: Delivery) async -> Disposition {
        let type = delivery.routingKey.isEmpty ? (delivery.properties.type ?? "") : delivery.routingKey
        let routing = DispatcherCommandRouting(type: type)
        if case .otherService = routing {
            // Another service answers it; remember that it was seen, for operators and tests.
            return await runtime.apply(delivery, consumer: "dispatcher.foreign-commands") { _, _ in [] }
        }
        guard let reference = await runtime.current(self.reference) else { return .retry }
        let commandID = delivery.messageKey
        let replyTo = delivery.replyQueue
        let clock = runtime.clock
        let logger = runtime.logger
        do {
            let published = try await runtime.database.transaction { connection -> Int in
                let now = clock.now()
                // The claim: a concurrent copy of the same command waits here until this transaction ends.
                guard try StoredCommandOutcome.claim(
                    commandID, commandType: type, userID: delivery.properties.userID, on: connection, now: now)
                else {
                    // The same command again: the same outcome again, to whoever asks now.
                    guard let stored = try StoredCommandOutcome.find(commandID, on: connection), let replyTo else { return 0 }
                    let messages = [stored.message(correlationID: commandID).reply(to: replyTo)]
                    try Outbox.enqueue(messages, on: connection, now: now)
                    logger.info("repeated command answered with its stored outcome", metadata: [
                        "command_id": "\(commandID)", "outcome": "\(stored.type)",
                    ])
                    return messages.count
                }
                try connection.query("SAVEPOINT command")
                var effect: CommandEffect
                let context = CommandContext(
                    connection: connection, now: now, reference: reference, commandID: commandID,
                    commandType: type, delivery: delivery, logger: logger)
                do {
                    effect = try context.run(routing)
                } catch let error as CommandRefusal {
                    try connection.query("ROLLBACK TO SAVEPOINT command")
                    effect = try rejected(error, type: type, commandID: commandID, delivery: delivery, on: connection, now: now)
                } catch let error as InvalidCommandBody {
                    try connection.query("ROLLBACK TO SAVEPOINT command")
                    try context.keepInvalid(error.refusal)
                    effect = try rejected(error.refusal, type: type, commandID: commandID, delivery: delivery, on: connection, now: now)
                }
                try connection.query("RELEASE SAVEPOINT command")
                try StoredCommandOutcome(effect.outcome).save(commandID, on: connection)
                var messages = [effect.outcome.message(correlationID: commandID)]
                if let replyTo { messages.append(messages[0].reply(to: replyTo)) }
                messages += effect.messages
                try Outbox.enqueue(messages, on: connection, now: now)
                return messages.count
            }
            if published > 0 { runtime.relay.nudge() }
            return .ack
        } catch {
            runtime.logger.error("command handling failed; the message goes back to the queue", metadata: [
                "command_id": "\(commandID)", "type": "\(type.prefix(100))", "error": "\(error)",
            ])
            try? await Task.sleep(for: .milliseconds(200))
            return .retry
        }
    }
}

extension CommandProcessing {
    /// The `command.rejected` outcome of a refused command.
    func rejected(
        _ refusal: CommandRefusal, type: String, commandID: String, delivery: Delivery, on connection: PostgresConnection,
        now: Date
    ) throws -> CommandEffect {
        let assignmentID = (try? JSONValue.parse(Data(delivery.body)))?["assignment_id"]?.stringValue
        let ticketNo = try assignmentID.flatMap { try AssignmentRecord.ticketNo(of: $0, on: connection) }
        runtime.logger.info("command rejected", metadata: [
            "command_id": "\(commandID)", "type": "\(type.prefix(100))", "reason": "\(refusal.reason.rawValue)",
            "message": "\(refusal.message)",
        ])
        return CommandEffect(outcome: try CommandContext.rejection(
            refusal, commandID: commandID, commandType: type, body: delivery.body, now: now, ticketNo: ticketNo))
    }
}

/// A command's outcome as published, kept so that the same command gets it again.
struct StoredCommandOutcome {
    let type: String
    let eventID: String
    let body: Data
    let ticketNo: String?
    let assignmentID: String?

    init(_ event: EncodedEvent) {
        type = event.type
        eventID = event.eventID
        body = event.body
        ticketNo = event.ticketNo
        assignmentID = event.assignmentID
    }

    private init(type: String, body: Data) {
        self.type = type
        self.body = body
        eventID = (try? JSONValue.parse(body))?["event_id"]?.stringValue ?? UUID().uuidString
        ticketNo = nil
        assignmentID = nil
    }

    static func find(_ commandID: String, on connection: PostgresConnection) throws -> StoredCommandOutcome? {
        guard let row = try connection.query(
            "SELECT outcome_type, outcome FROM command_outcomes WHERE command_id = $1", [commandID]).first
        else { return nil }
        return StoredCommandOutcome(type: try row.decode("outcome_type"), body: try row.decode("outcome"))
    }

    /// Claims the command for this transaction: false when it was answered before (or by a copy
    /// that committed meanwhile: the insert waits for that transaction, then finds its row).
    static func claim(
        _ commandID: String, commandType: String, userID: String?, on connection: PostgresConnection, now: Date
    ) throws -> Bool {
        let rows = try connection.query(
            """
            INSERT INTO command_outcomes (command_id, command_type, user_id, outcome_type, outcome, received_at)
            VALUES ($1, $2, $3, '', ''::bytea, $4)
            ON CONFLICT (command_id) DO NOTHING RETURNING 1 AS claimed
            """,
            [commandID, String(commandType.prefix(200)), userID, now])
        return !rows.isEmpty
    }

    /// Stores the outcome of the claimed command (same transaction as the claim).
    func save(_ commandID: String, on connection: PostgresConnection) throws {
        try connection.query(
            """
            UPDATE command_outcomes SET outcome_type = $2, outcome = $3, ticket_no = $4, assignment_id = $5
            WHERE command_id = $1
            """, [commandID, type, body, ticketNo, assignmentID])
    }

    func message(correlationID: String) -> OutboxMessage {
        EncodedEvent(type: type, eventID: eventID, body: body, ticketNo: nil, assignmentID: nil)
            .message(correlationID: correlationID)
    }
}
