import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineStorage

/// What a command did: its outcome event (the command's event, or `command.rejected`) and the other
/// messages it caused (unit messages, notifications, further events).
public struct CommandAnswer: Sendable {
    public var outcome: OutboxMessage
    public var messages: [OutboxMessage]

    public init(outcome: OutboxMessage, messages: [OutboxMessage] = []) {
        self.outcome = outcome
        self.messages = messages
    }
}

extension Delivery {
    /// The command's type: its routing key on `hotline.commands`, which decided the queues it reached
    /// (the AMQP `type` only when the routing key is empty).
    public var commandType: String {
        routingKey.isEmpty ? (properties.type ?? "") : routingKey
    }
}

extension ServiceRuntime {
    /// Answers a command exactly once: in one transaction it claims the command's `message_id` in
    /// `command_outcomes` (a concurrent copy of the same command waits for this transaction), runs
    /// `decide`, stores the outcome, and writes it to the outbox for `hotline.events` and for the
    /// command's `reply_to`, both with `correlation_id` = the command's `message_id`; then acks. A
    /// repeated command gets its stored outcome again on `reply_to`, and nothing else.
    public func answer(
        command delivery: Delivery, consumer: String,
        decide: @escaping @Sendable (PostgresConnection, Date) throws -> CommandAnswer
    ) async -> Disposition {
        let commandID = delivery.messageKey
        let type = delivery.commandType
        let userID = delivery.properties.userID
        let replyTo = delivery.replyQueue
        let clock = self.clock
        do {
            let published = try await database.transaction { connection -> Int in
                let now = clock.now()
                var messages: [OutboxMessage]
                if try CommandOutcomeStore.claim(commandID, commandType: type, userID: userID, on: connection, now: now) {
                    let answer = try decide(connection, now)
                    var outcome = answer.outcome
                    outcome.correlationID = commandID
                    try CommandOutcomeStore.save(outcome, commandID: commandID, on: connection)
                    messages = [outcome] + answer.messages
                    if let replyTo { messages.append(outcome.reply(to: replyTo)) }
                } else if let stored = try CommandOutcomeStore.find(commandID, on: connection), let replyTo {
                    messages = [stored.reply(to: replyTo)]
                } else {
                    messages = []
                }
                try Outbox.enqueue(messages, on: connection, now: now)
                return messages.count
            }
            if published > 0 { relay.nudge() }
            return .ack
        } catch {
            logger.error("command handling failed; the message goes back to the queue", metadata: [
                "message_id": "\(commandID)", "type": "\(type.prefix(100))", "consumer": "\(consumer)",
                "error": "\(error)",
            ])
            try? await Task.sleep(for: .milliseconds(200))
            return .retry
        }
    }
}

/// Every command's outcome, kept in `command_outcomes` (one table for every service) so that the
/// same command sent again gets the same outcome again.
public enum CommandOutcomeStore {
    /// Claims the command for this transaction: false when it was answered before (or by a copy that
    /// committed meanwhile: the insert waits for that transaction, then finds its row).
    public static func claim(
        _ commandID: String, commandType: String, userID: String?, on connection: PostgresConnection, now: Date
    ) throws -> Bool {
        let rows = try connection.query(
            """
            INSERT INTO command_outcomes (command_id, command_type, user_id, outcome_type, outcome, received_at)
            VALUES ($1, $2, $3, '', ''::bytea, $4)
            ON CONFLICT (command_id) DO NOTHING RETURNING 1 AS claimed
            """, [commandID, String(commandType.prefix(200)), userID, now])
        return !rows.isEmpty
    }

    /// Stores the outcome of a claimed command (in the claim's transaction).
    public static func save(
        _ outcome: OutboxMessage, commandID: String, ticketNo: String? = nil, assignmentID: String? = nil,
        on connection: PostgresConnection
    ) throws {
        let body = (try? JSONValue.parse(outcome.body))
        try connection.query(
            """
            UPDATE command_outcomes SET outcome_type = $2, outcome = $3, ticket_no = $4, assignment_id = $5
            WHERE command_id = $1
            """,
            [commandID, outcome.type, outcome.body, ticketNo ?? body?["ticket_no"]?.stringValue,
             assignmentID ?? body?["assignment_id"]?.stringValue])
    }

    /// The stored outcome of an answered command, as the event it was published as.
    public static func find(_ commandID: String, on connection: PostgresConnection) throws -> OutboxMessage? {
        guard let row = try connection.query(
            "SELECT outcome_type, outcome FROM command_outcomes WHERE command_id = $1 AND outcome_type <> ''",
            [commandID]).first
        else { return nil }
        let type: String = try row.decode("outcome_type")
        let body: Data = try row.decode("outcome")
        let eventID = (try? JSONValue.parse(body))?["event_id"]?.stringValue ?? commandID
        return OutboxMessage(
            exchange: Exchange.events, routingKey: type, messageID: eventID, type: type,
            correlationID: commandID, mandatory: false, body: body)
    }
}
