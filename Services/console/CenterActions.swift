import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

/// Acting as the center (docs/console.md "Deciding"): the person's claim on a work item, the
/// contract's `center.*` command published with confirms as the broker user `center` with their
/// name as `operator_name`, and the command's outcome as the answering service stored it
/// (`command_outcomes`). The first claim on an item stands; a second person is told who took it.
/// A claim whose command was refused (`command.rejected`) may be taken again, and so may one whose
/// command the broker never confirmed and that got no outcome for ten minutes (the console stopped
/// before it went out); a confirmed command waits in its queue to be answered.
struct CenterActions: Sendable {
    let database: Database
    let publisher: AMQPPublisher
    let outcomeWait: Duration

    /// The center's broker user, whose `user_id` the console's commands carry.
    static let center = "center"
    static let abandonedAfter: TimeInterval = 600
    /// How often a command is published again (with its `message_id`) when the broker's connection fails.
    static let publishAttempts = 3

    enum Outcome: Sendable {
        /// The answering service's outcome event.
        case answered(type: String, reason: String?, message: String?)
        /// No outcome yet within the wait; the command is on its way.
        case pending(commandID: String)
        /// Somebody else took the item.
        case taken(by: String, at: Date, outcomeType: String?)
    }

    /// The broker refused the command (nack, or no queue took it): nothing was sent.
    struct Unpublished: Error, CustomStringConvertible {
        let outcome: PublishOutcome
        var description: String { "消息服务拒收该指令（\(outcome)），指令未发出，请稍后重试" }
    }

    /// Claims `item` and, when the claim is the person's, sends `command` for it. The claim and the
    /// audit entry of the decision are one transaction, before the command goes out.
    func act<Body: CommandBody & Encodable>(
        on item: WorkItems.Item, command: Body, visitor: Visitor, remote: String?, now: Date
    ) async throws -> Outcome {
        let commandID = UUID().uuidString.lowercased()
        let key = item.queue.claimKey(item.id, round: item.round)
        let subject = item.queue.claimPrefix(item.id)
        let entry = AuditEntry(
            action: Body.commandType.rawValue, subject: item.id,
            detail: ["command_id": commandID, "ticket_no": item.ticketNo, "item": key], user: visitor.name, remote: remote, at: now)
        let claimed = try await database.transaction { connection in
            let claimed = try connection.query(
                """
                INSERT INTO console_claims (item, subject, user_name, display_name, command_id, command_type, claimed_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (item) DO UPDATE SET user_name = EXCLUDED.user_name, display_name = EXCLUDED.display_name,
                    command_id = EXCLUDED.command_id, command_type = EXCLUDED.command_type, claimed_at = EXCLUDED.claimed_at
                WHERE EXISTS (SELECT 1 FROM command_outcomes o WHERE o.user_id = 'center' AND o.command_id = console_claims.command_id
                              AND o.outcome_type = 'command.rejected')
                   OR (console_claims.claimed_at < $8 AND console_claims.confirmed_at IS NULL
                       AND NOT EXISTS (SELECT 1 FROM command_outcomes o WHERE o.user_id = 'center' AND o.command_id = console_claims.command_id))
                RETURNING command_id
                """,
                [key, subject, visitor.name, visitor.displayName, commandID, entry.action, now, now.addingTimeInterval(-Self.abandonedAfter)]
            ).count == 1
            if claimed { entry.write(on: connection) }
            return claimed
        }
        guard claimed else { return try await claim(of: subject) ?? .taken(by: "?", at: now, outcomeType: nil) }
        let sent: Bool
        do {
            sent = try await publish(command, commandID: commandID, entry: entry)
        } catch let unpublished as Unpublished {
            try await release(key, commandID: commandID)
            throw unpublished
        }
        guard sent else { return .pending(commandID: commandID) }
        try await database.withConnection { connection in
            _ = try connection.query(
                "UPDATE console_claims SET confirmed_at = $3 WHERE item = $1 AND command_id = $2", [key, commandID, now])
        }
        let outcome = try await awaitOutcome(commandID)
        if case .answered(let type, _, _) = outcome, type == EventType.commandRejected.rawValue { try await release(key, commandID: commandID) }
        return outcome
    }

    /// Sends a command that decides no work item (a knowledge-base flag): its audit entry first, then
    /// the command.
    func send<Body: CommandBody & Encodable>(_ command: Body, subject: String, visitor: Visitor, remote: String?, now: Date) async throws -> Outcome {
        let commandID = UUID().uuidString.lowercased()
        let entry = AuditEntry(
            action: Body.commandType.rawValue, subject: subject, detail: ["command_id": commandID], user: visitor.name, remote: remote, at: now)
        try await database.withConnection { connection in
            entry.write(on: connection)
            try connection.flush()
        }
        return try await publish(command, commandID: commandID, entry: entry) ? awaitOutcome(commandID) : .pending(commandID: commandID)
    }

    /// An audit entry of a decision, written before its command goes out; its outcome is read from
    /// `command_outcomes` by `command_id` (`AuditLog.recent`).
    private struct AuditEntry: Sendable {
        let action: String
        let subject: String
        let detail: [String: String]
        let user: String
        let remote: String?
        let at: Date

        func write(on connection: PostgresConnection, action: String? = nil) {
            AuditLog.write(action ?? self.action, by: user, subject: subject, detail: detail, remote: remote, at: at, on: connection)
        }
    }

    /// Publishes with confirms as `center`: true when the broker confirmed it, false when that is not
    /// known. A failed connection publishes again with the same `message_id` (its answering service
    /// deduplicates it); after the last attempt the command may or may not have gone out, and the page
    /// says it is on its way. A command the broker refused at every attempt gets a `command_not_sent`
    /// entry after its own and throws `Unpublished`; refused after an attempt that failed, it may have
    /// gone out with that one, and is not known.
    private func publish<Body: CommandBody & Encodable>(_ command: Body, commandID: String, entry: AuditEntry) async throws -> Bool {
        let message = OutgoingMessage(
            exchange: Exchange.commands, routingKey: Body.commandType.routingKey,
            properties: AMQPProperties(messageID: commandID, type: Body.commandType.rawValue, userID: Self.center, timestamp: entry.at),
            body: Array(try HotlineJSON.encode(command)), mandatory: true)
        var published: PublishOutcome?
        var failedAttempts = 0
        for attempt in 1...Self.publishAttempts where published == nil {
            published = try? await publisher.publish([message]).first
            if published == nil {
                failedAttempts += 1
                if attempt < Self.publishAttempts { try await Task.sleep(for: .milliseconds(300 * attempt)) }
            }
        }
        switch published {
        case .confirmed?:
            return true
        case .some where failedAttempts > 0, nil:
            return false
        case let refused?:
            try await database.withConnection { connection in
                entry.write(on: connection, action: "command_not_sent")
                try connection.flush()
            }
            throw Unpublished(outcome: refused)
        }
    }

    /// The latest claim of any round of an item, as `taken`.
    func claim(of subject: String) async throws -> Outcome? {
        try await database.withConnection { connection in
            try connection.query(
                """
                SELECT c.display_name, c.claimed_at, o.outcome_type FROM console_claims c
                LEFT JOIN command_outcomes o ON o.user_id = 'center' AND o.command_id = c.command_id
                WHERE c.subject = $1 ORDER BY c.claimed_at DESC LIMIT 1
                """, [subject]
            ).first.map { row in
                .taken(by: try row.decode("display_name"), at: try row.decode("claimed_at"), outcomeType: try row.decodeIfPresent("outcome_type"))
            }
        }
    }

    private func release(_ key: String, commandID: String) async throws {
        try await database.withConnection { connection in
            _ = try connection.query("DELETE FROM console_claims WHERE item = $1 AND command_id = $2", [key, commandID])
        }
    }

    /// The stored outcome of the command, read every 50 ms for up to `outcomeWait`.
    private func awaitOutcome(_ commandID: String) async throws -> Outcome {
        let deadline = ContinuousClock.now + outcomeWait
        while true {
            let row = try await database.withConnection { connection in
                try connection.query(
                    "SELECT outcome_type, outcome FROM command_outcomes WHERE user_id = 'center' AND command_id = $1", [commandID]
                ).first
            }
            if let row {
                let fields = (try? JSONValue.parse(try row.decode("outcome", as: Data.self))) ?? .null
                return .answered(
                    type: try row.decode("outcome_type"), reason: fields["reason"]?.stringValue, message: fields["message"]?.stringValue)
            }
            guard ContinuousClock.now < deadline else { return .pending(commandID: commandID) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
