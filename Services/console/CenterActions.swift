import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

/// Acting on a work item (docs/console.md "Deciding"): the person's claim on the item, the
/// contract's `center.*` command published with confirms as the broker user `center` with their
/// name as `operator_name`, and the command's outcome as the answering service stored it
/// (`command_outcomes`). The first claim on an item stands; a second person is told who took it.
/// A claim whose command was refused (`command.rejected`), or that got no outcome for ten minutes,
/// may be taken again.
struct CenterActions: Sendable {
    let database: Database
    let publisher: AMQPPublisher
    let audit: AuditLog
    let outcomeWait: Duration

    /// The center's broker user, whose `user_id` the console's commands carry.
    static let center = "center"
    static let abandonedAfter: TimeInterval = 600

    enum Outcome: Sendable {
        /// The answering service's outcome event.
        case answered(type: String, reason: String?, message: String?)
        /// No outcome yet within the wait; the command is on its way.
        case pending(commandID: String)
        /// Somebody else took the item.
        case taken(by: String, at: Date, outcomeType: String?)
    }

    func act<Body: CommandBody & Encodable>(
        on item: WorkItems.Item, command: Body, visitor: Visitor, remote: String?, now: Date
    ) async throws -> Outcome {
        let commandID = UUID().uuidString.lowercased()
        let key = item.queue.claimKey(item.id, round: item.round)
        let type = Body.commandType.rawValue
        let claimed = try await database.withConnection { connection in
            try connection.query(
                """
                INSERT INTO console_claims (item, user_name, display_name, command_id, command_type, claimed_at)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (item) DO UPDATE SET user_name = EXCLUDED.user_name, display_name = EXCLUDED.display_name,
                    command_id = EXCLUDED.command_id, command_type = EXCLUDED.command_type, claimed_at = EXCLUDED.claimed_at
                WHERE EXISTS (SELECT 1 FROM command_outcomes o WHERE o.user_id = 'center' AND o.command_id = console_claims.command_id
                              AND o.outcome_type = 'command.rejected')
                   OR (console_claims.claimed_at < $7
                       AND NOT EXISTS (SELECT 1 FROM command_outcomes o WHERE o.user_id = 'center' AND o.command_id = console_claims.command_id))
                RETURNING command_id
                """, [key, visitor.name, visitor.displayName, commandID, type, now, now.addingTimeInterval(-Self.abandonedAfter)]
            ).count == 1
        }
        guard claimed else {
            return try await claim(prefix: item.queue.claimPrefix(item.id)) ?? .taken(by: "?", at: now, outcomeType: nil)
        }
        do {
            let outcome = try await send(command, commandID: commandID, subject: item.id, detail: ["ticket_no": item.ticketNo, "item": key],
                                         visitor: visitor, remote: remote, now: now)
            if case .answered(let type, _, _) = outcome, type == EventType.commandRejected.rawValue { try await release(key, commandID: commandID) }
            return outcome
        } catch let unpublished as Unpublished {
            try await release(key, commandID: commandID)
            throw unpublished
        }
    }

    /// The broker did not take the command: nothing was sent.
    struct Unpublished: Error, CustomStringConvertible {
        let outcome: PublishOutcome?
        var description: String { "消息服务未确认该指令（\(outcome.map { "\($0)" } ?? "连接失败")），未发出，请稍后重试" }
    }

    /// Records the decision in the audit log under `subject`, publishes `command` with confirms as
    /// `center` and waits for its stored outcome. The entry is written first, so that no command goes
    /// out unrecorded; its outcome is the command's (`command_outcomes`, by `command_id`), and a
    /// command the broker did not take gets a `command_not_sent` entry after it.
    func send<Body: CommandBody & Encodable>(
        _ command: Body, commandID: String = UUID().uuidString.lowercased(), subject: String, detail: [String: String] = [:],
        visitor: Visitor, remote: String?, now: Date
    ) async throws -> Outcome {
        var detail = detail
        detail["command_id"] = commandID
        try await audit.record(Body.commandType.rawValue, by: visitor.name, subject: subject, detail: detail, remote: remote, at: now)
        let message = OutgoingMessage(
            exchange: Exchange.commands, routingKey: Body.commandType.routingKey,
            properties: AMQPProperties(messageID: commandID, type: Body.commandType.rawValue, userID: Self.center, timestamp: now),
            body: Array(try HotlineJSON.encode(command)), mandatory: true)
        let published = try? await publisher.publish([message]).first
        guard published == .confirmed else {
            try await audit.record("command_not_sent", by: visitor.name, subject: subject, detail: detail, remote: remote, at: now)
            throw Unpublished(outcome: published)
        }
        return try await awaitOutcome(commandID)
    }

    /// The latest claim of any round of an item, as `taken`.
    func claim(prefix: String) async throws -> Outcome? {
        try await database.withConnection { connection in
            try connection.query(
                """
                SELECT c.display_name, c.claimed_at, o.outcome_type FROM console_claims c
                LEFT JOIN command_outcomes o ON o.user_id = 'center' AND o.command_id = c.command_id
                WHERE left(c.item, length($1)) = $1 ORDER BY c.claimed_at DESC LIMIT 1
                """, [prefix]
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

/// A problem the person is told on the page: theirs to fix (400), or not theirs to do (403).
struct ConsoleFailure: Error, CustomStringConvertible {
    let description: String
    let forbidden: Bool

    init(_ description: String, forbidden: Bool = false) {
        self.description = description
        self.forbidden = forbidden
    }
}
