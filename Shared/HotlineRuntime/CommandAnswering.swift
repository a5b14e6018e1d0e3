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
    /// Answers a command exactly once: in one transaction (its consumer's batch) it claims the
    /// command's `message_id` in `command_outcomes` (a concurrent copy of the same command waits for
    /// this transaction), runs `decide`, stores the outcome, and writes it to the outbox for
    /// `hotline.events` and for the command's `reply_to`, both with `correlation_id` = the command's
    /// `message_id`; then acks. A repeated command gets its stored outcome again on `reply_to`, and
    /// nothing else.
    ///
    /// This is the one way a service answers a command: `decide` returns the command's answer, or
    /// throws `CommandRefused`; then what it wrote is rolled back (to a savepoint taken before it ran)
    /// and the answer is `command.rejected` (the body kept in `invalid_messages` when it could not be
    /// read).
    public func answer(
        command delivery: Delivery, consumer: String,
        decide: @escaping @Sendable (PostgresConnection, Date) throws -> CommandAnswer
    ) async -> Disposition {
        let commandID = delivery.messageKey
        let type = delivery.commandType
        let replyTo = delivery.replyQueue
        let logger = self.logger
        let work = MessageBatch.Work(
            claim: .command(commandID: commandID, commandType: type, userID: delivery.properties.userID),
            effect: { connection, now in
                connection.write("SAVEPOINT command")
                let answer: CommandAnswer
                do {
                    answer = try decide(connection, now)
                } catch let refused as CommandRefused {
                    connection.write("ROLLBACK TO SAVEPOINT command")
                    if refused.unreadable {
                        _ = try InvalidMessages.keep(
                            delivery, consumer: consumer,
                            problems: refused.errors ?? [FieldProblem(field: "(body)", problem: refused.refusal.message)],
                            on: connection, now: now)
                    }
                    logger.info("command rejected", metadata: [
                        "command_id": "\(commandID)", "type": "\(type.prefix(100))",
                        "assignment_id": "\(refused.assignmentID ?? "")",
                        "reason": "\(refused.refusal.reason.rawValue)", "message": "\(refused.refusal.message)",
                    ])
                    answer = CommandAnswer(outcome: try refused.outcome(
                        commandID: commandID, commandType: type, body: delivery.body, now: now))
                }
                connection.write("RELEASE SAVEPOINT command")
                var outcome = answer.outcome
                outcome.correlationID = commandID
                try CommandOutcomeStore.save(outcome, commandID: commandID, on: connection)
                var messages = [outcome] + answer.messages
                if let replyTo { messages.append(outcome.reply(to: replyTo)) }
                return messages
            },
            repeated: { connection in
                guard let replyTo, let stored = try CommandOutcomeStore.find(commandID, on: connection) else { return [] }
                return [stored.reply(to: replyTo)]
            })
        if case .failed(let error) = await commit(work) {
            logger.error("command handling failed; the message goes back to the queue", metadata: [
                "message_id": "\(commandID)", "type": "\(type.prefix(100))", "consumer": "\(consumer)",
                "error": "\(error)",
            ])
            try? await Task.sleep(for: .milliseconds(200))
            return .retry
        }
        return .ack
    }
}

/// Every command's outcome, kept in `command_outcomes` (one table for every service) so that the
/// same command sent again gets the same outcome again.
public enum CommandOutcomeStore {
    /// Claims the commands for this transaction in one statement; returns the ids that were new. A
    /// command answered before (or by a copy that committed meanwhile: the insert waits for that
    /// transaction, then finds its row) is left out.
    public static func claim(
        _ commands: [(id: String, type: String, userID: String?)], on connection: PostgresConnection, now: Date
    ) throws -> Set<String> {
        guard !commands.isEmpty else { return [] }
        let rows = try connection.query(
            """
            INSERT INTO command_outcomes (command_id, command_type, user_id, outcome_type, outcome, received_at)
            SELECT id, type, user_id, '', ''::bytea, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS c(id, type, user_id)
            ON CONFLICT (command_id) DO NOTHING RETURNING command_id
            """,
            [commands.map(\.id), commands.map { String($0.type.prefix(200)) }, NullableArray(commands.map(\.userID)), now])
        return Set(try rows.map { try $0.decode("command_id") })
    }

    /// Stores the outcome of a claimed command (in the claim's transaction).
    public static func save(
        _ outcome: OutboxMessage, commandID: String, ticketNo: String? = nil, assignmentID: String? = nil,
        on connection: PostgresConnection
    ) throws {
        let body = (try? JSONValue.parse(outcome.body))
        connection.write(
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
