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
    /// `hotline.events` and for the sender's reply queue (`ReplyAddress`), both with `correlation_id` =
    /// the command's `message_id`; then acks. Commands are told apart by sender and `message_id`: the
    /// same command again gets its stored outcome again on the reply queue, and nothing else.
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
        let key = CommandKey(sender: delivery.properties.userID ?? "", commandID: commandID)
        let replyAddress = delivery.replyAddress
        let logger = self.logger
        let work = MessageBatch.Work(
            claim: .command(key, commandType: type),
            effect: { connection, now in
                connection.write("SAVEPOINT command")
                let answer: CommandAnswer
                do {
                    guard let id = delivery.properties.messageID, !id.isEmpty else {
                        throw CommandRefused(
                            .invalid, "message_id is required: commands are told apart by it",
                            errors: [FieldProblem(field: "message_id", problem: "required")], unreadable: true)
                    }
                    do {
                        answer = try decide(connection, now)
                    } catch CalendarError.yearNotCovered(let year) {
                        // A deadline in a year no calendar covers: refused until that year is loaded.
                        throw CommandRefused(
                            .notAllowed,
                            "a deadline cannot be computed: \(CalendarError.yearNotCovered(year)); load it (hotlinectl calendar load)")
                    }
                } catch let refused as CommandRefused {
                    connection.write("ROLLBACK TO SAVEPOINT command")
                    if refused.unreadable {
                        _ = try InvalidMessages.keep(
                            delivery, consumer: consumer,
                            problems: refused.problems,
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
                try CommandOutcomeStore.save(outcome, of: key, on: connection)
                guard let replyAddress else { return [outcome] + answer.messages }
                let published = replyAddress.outcome(outcome)
                return [published[0]] + answer.messages + published.dropFirst()
            },
            repeated: { connection in
                guard let replyAddress, let stored = try CommandOutcomeStore.find(key, on: connection) else { return [] }
                return [replyAddress.annotate(stored).reply(to: replyAddress.queue)]
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

/// A command as the platform tells commands apart: its sender (`user_id`, empty when it has none)
/// and its `message_id`. Another sender's command with the same `message_id` is another command.
public struct CommandKey: Sendable, Hashable {
    public var sender: String
    public var commandID: String

    public init(sender: String, commandID: String) {
        self.sender = sender
        self.commandID = commandID
    }
}

/// Every command's outcome, kept in `command_outcomes` (one table for every service) so that the
/// same command sent again gets the same outcome again, and only its sender gets it.
public enum CommandOutcomeStore {
    /// Claims the commands for this transaction in one statement; returns those that were new. A
    /// command answered before (or by a copy that committed meanwhile: the insert waits for that
    /// transaction, then finds its row) is left out.
    public static func claim(
        _ commands: [(key: CommandKey, type: String)], on connection: PostgresConnection, now: Date
    ) throws -> Set<CommandKey> {
        guard !commands.isEmpty else { return [] }
        let rows = try connection.query(
            """
            INSERT INTO command_outcomes (user_id, command_id, command_type, outcome_type, outcome, received_at)
            SELECT user_id, id, type, '', ''::bytea, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS c(user_id, id, type)
            ON CONFLICT (user_id, command_id) DO NOTHING RETURNING user_id, command_id
            """,
            [commands.map(\.key.sender), commands.map(\.key.commandID), commands.map { String($0.type.prefix(200)) }, now])
        return Set(try rows.map { CommandKey(sender: try $0.decode("user_id"), commandID: try $0.decode("command_id")) })
    }

    /// Stores the outcome of a claimed command (in the claim's transaction).
    public static func save(
        _ outcome: OutboxMessage, of command: CommandKey, on connection: PostgresConnection
    ) throws {
        let body = (try? JSONValue.parse(outcome.body))
        connection.write(
            """
            UPDATE command_outcomes SET outcome_type = $3, outcome = $4, ticket_no = $5, assignment_id = $6
            WHERE user_id = $1 AND command_id = $2
            """,
            [command.sender, command.commandID, outcome.type, outcome.body, body?["ticket_no"]?.stringValue,
             body?["assignment_id"]?.stringValue])
    }

    /// The stored outcome of an answered command, as the event it was published as.
    public static func find(_ command: CommandKey, on connection: PostgresConnection) throws -> OutboxMessage? {
        guard let row = try connection.query(
            "SELECT outcome_type, outcome FROM command_outcomes WHERE user_id = $1 AND command_id = $2 AND outcome_type <> ''",
            [command.sender, command.commandID]).first
        else { return nil }
        let type: String = try row.decode("outcome_type")
        let body: Data = try row.decode("outcome")
        let eventID = (try? JSONValue.parse(body))?["event_id"]?.stringValue ?? command.commandID
        return OutboxMessage(
            exchange: Exchange.events, routingKey: type, messageID: eventID, type: type,
            correlationID: command.commandID, mandatory: false, body: body)
    }
}
