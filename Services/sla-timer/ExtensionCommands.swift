import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage
import Synchronization

/// `unit.request-extension` and `center.decide-extension` (RULES "SLA timer", PS §14, PL §13, DY (9)).
///
/// A request is checked against the profile and refused with the reason (`command.rejected`), or kept
/// pending and answered with `assignment.extension-requested` (`request_id`, `working_days`). The
/// center's approval moves `resolve_by` (`assignment.extended`), sends the unit `assignment.updated`
/// with the new deadlines and tells the citizen the reason and the new deadline on
/// `hotline.notifications`; a denial gives `assignment.extension-denied`. Every command gets exactly
/// one outcome, also to `reply_to`; the same command again gets the same outcome again.
struct ExtensionCommands: Sendable {
    static let consumer = "sla-timer.commands"

    let runtime: ServiceRuntime
    let reference: ReferenceDataCache
    let poller: TimerPoller

    func handle(_ delivery: Delivery) async -> Disposition {
        guard let reference = await runtime.current(self.reference) else { return .retry }
        let commandID = delivery.messageKey
        let type = delivery.properties.type ?? delivery.routingKey
        let replyTo = delivery.replyQueue
        let userID = delivery.properties.userID
        let body = Data(delivery.body)
        let clock = runtime.clock
        let logger = runtime.logger
        do {
            let published = try await runtime.database.transaction { connection -> Int in
                let now = clock.now()
                var messages: [OutboxMessage]
                if try Inbox.claim(commandID, consumer: Self.consumer, on: connection, now: now) {
                    var decision = ExtensionDecider(
                        reference: reference, connection: connection, now: now, commandID: commandID, logger: logger)
                    let outcome = try decision.decide(type: type, userID: userID, body: body)
                    try StoredCommandOutcome.save(
                        outcome, commandID: commandID, commandType: type, userID: userID, on: connection, now: now)
                    messages = [outcome] + decision.sideMessages
                    if let replyTo { messages.append(outcome.reply(to: replyTo)) }
                } else if let stored = try StoredCommandOutcome.find(commandID, on: connection) {
                    // The same command again: the same outcome again (consumers deduplicate by event id).
                    messages = [stored]
                    if let replyTo { messages.append(stored.reply(to: replyTo)) }
                } else {
                    messages = []
                }
                try Outbox.enqueue(messages, on: connection, now: now)
                return messages.count
            }
            if published > 0 { runtime.relay.nudge() }
            poller.nudge()
            return .ack
        } catch {
            logger.error("command handling failed; the message goes back to the queue", metadata: [
                "message_id": "\(commandID)", "type": "\(type)", "error": "\(error)",
            ])
            try? await Task.sleep(for: .milliseconds(200))
            return .retry
        }
    }
}

/// The outcome event of each command, kept in `command_outcomes` (shared with the dispatcher) so
/// that a repeated command gets it again.
enum StoredCommandOutcome {
    static func save(
        _ outcome: OutboxMessage, commandID: String, commandType: String, userID: String?,
        on connection: PostgresConnection, now: Date
    ) throws {
        try connection.query(
            """
            INSERT INTO command_outcomes (command_id, command_type, user_id, outcome_type, outcome, received_at)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (command_id) DO NOTHING
            """, [commandID, String(commandType.prefix(200)), userID, outcome.type, outcome.body, now])
    }

    static func find(_ commandID: String, on connection: PostgresConnection) throws -> OutboxMessage? {
        guard let row = try connection.query(
            "SELECT outcome_type, outcome FROM command_outcomes WHERE command_id = $1", [commandID]).first
        else { return nil }
        let type: String = try row.decode("outcome_type")
        let body: Data = try row.decode("outcome")
        let eventID = (try? JSONValue.parse(body))?["event_id"]?.stringValue ?? commandID
        return OutboxMessage(
            exchange: Exchange.events, routingKey: type, messageID: eventID, type: type,
            correlationID: commandID, mandatory: false, body: body)
    }
}
