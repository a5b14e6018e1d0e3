import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineStorage
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Publishes outbox rows with confirms and marks them published.
///
/// - **Rows this process committed** in a consumer batch are handed over at once
///   (`publishCommitted`) and published right after the commit. Their `available_at` was set a lease
///   ahead, so no relay takes them meanwhile. The ids confirmed by the broker are marked published
///   in bulk by the process's next batch transaction, or by the relay itself within a fraction of a
///   second when no batch comes.
/// - **The safety net**: every `interval` (and when nudged by a writer in this process) a pass claims
///   due rows: rows written outside a consumer batch, which are not published right after their
///   commit (fired timers, released notifications, quarter cards, expired surveys), and rows a
///   process left behind when it died before publishing them, once their lease ran out. A pass claims with `FOR UPDATE SKIP LOCKED` by pushing `available_at` a lease
///   forward, so any number of relays in any number of processes share the table.
///
/// A relay publishes only the rows of its own service (`publisher`), which its service's broker user
/// may publish (docs/security.md "Least privilege"); rows written before that column are anybody's.
///
/// A row is published again only when its mark was lost (a crash between the confirm and the
/// mark); consumers deduplicate by `message_id`.
public final class OutboxRelay: Service, Sendable {
    private struct Pending: ~Copyable {
        /// Rows committed by this process, waiting to be published.
        var committed: [(Int64, OutboxMessage)] = []
        /// Confirmed ids not yet marked published, and since when the oldest waits.
        var confirmed: [Int64] = []
        var confirmedSince: ContinuousClock.Instant?
        var passRequested = false
    }

    /// A row to publish: its id, message, publish attempts so far and creation time.
    private typealias ClaimedRow = (id: Int64, message: OutboxMessage, attempts: Int, createdAt: Date)

    /// The service whose rows this relay publishes.
    public let service: String
    private let database: Database
    private let publisher: AMQPPublisher
    private let clock: any ServiceClock
    private let logger: Logger
    private let batchSize: Int
    private let interval: Double
    /// How long a claimed or directly published row is left to its publisher before a relay takes it.
    let lease: TimeInterval = 30
    /// How long confirmed ids wait for a batch transaction to mark them before the relay does.
    private let markDelay: Duration = .milliseconds(200)
    /// How often the backlog gauges are refreshed (seconds).
    private let gaugeInterval: Double = 5
    private let loop: PollingLoop
    private let pending = Mutex(Pending())

    public init(
        service: String, database: Database, publisher: AMQPPublisher, clock: any ServiceClock, batchSize: Int,
        idleInterval: Double, logger: Logger
    ) {
        self.service = service
        self.database = database
        self.publisher = publisher
        self.clock = clock
        self.batchSize = batchSize
        self.interval = idleInterval
        self.logger = logger
        loop = PollingLoop("outbox relay pass", logger: logger)
    }

    /// Tells the relay that rows due now were just committed, so it runs a pass without waiting.
    public func nudge() {
        pending.withLock { $0.passRequested = true }
        loop.nudge()
    }

    /// Publishes rows this process has just committed (with `available_at` a lease ahead).
    func publishCommitted(_ rows: [(Int64, OutboxMessage)]) {
        guard !rows.isEmpty else { return }
        pending.withLock { $0.committed += rows }
        loop.nudge()
    }

    /// Confirmed ids for the caller's transaction to mark published (`markPublished`); hand them
    /// back with `returnPublished` if it does not commit.
    func takePublished() -> [Int64] {
        pending.withLock { pending in
            defer {
                pending.confirmed = []
                pending.confirmedSince = nil
            }
            return pending.confirmed
        }
    }

    func returnPublished(_ ids: [Int64]) {
        guard !ids.isEmpty else { return }
        pending.withLock { pending in
            pending.confirmed += ids
            if pending.confirmedSince == nil { pending.confirmedSince = .now }
        }
    }

    static func markPublished(_ ids: [Int64], on connection: PostgresConnection, now: Date) throws {
        try connection.query("UPDATE outbox SET published_at = $2 WHERE id = ANY($1::bigint[])", [ids, now])
    }

    public func run() async throws {
        var lastPass = ContinuousClock.now - .seconds(interval)
        var lastGauges = Date.distantPast
        await loop.run {
            try await publishCommitted()
            try await markConfirmed(olderThan: markDelay)
            let passDue = pending.withLock { pending in
                defer { pending.passRequested = false }
                return pending.passRequested
            } || ContinuousClock.now - lastPass >= .seconds(interval)
            var full = false
            if passDue {
                lastPass = .now
                full = try await relayOnce() == batchSize
            }
            if Date().timeIntervalSince(lastGauges) >= gaugeInterval {
                lastGauges = Date()
                try await recordBacklog()
            }
            if full { return .now }
            let idle = pending.withLock { $0.committed.isEmpty && $0.confirmed.isEmpty }
            return .after(idle ? .seconds(interval) : markDelay)
        }
        // Publish what this process committed before it stopped consuming, mark it, and flush.
        let deadline = Date().addingTimeInterval(10)
        try? await publishCommitted()
        while Date() < deadline, (try? await relayOnce()) ?? 0 > 0 {}
        try? await markConfirmed(olderThan: .zero)
    }

    /// Publishes the rows handed over by `publishCommitted`.
    private func publishCommitted() async throws {
        let rows = pending.withLock { pending in
            defer { pending.committed = [] }
            return pending.committed
        }
        guard !rows.isEmpty else { return }
        let now = clock.now()
        try await publish(rows.map { ($0.0, $0.1, 1, now) })
    }

    /// Marks confirmed ids published when no batch transaction took them within `age`.
    private func markConfirmed(olderThan age: Duration) async throws {
        let due = pending.withLock { pending in pending.confirmedSince.map { ContinuousClock.now - $0 >= age } ?? false }
        let ids = due ? takePublished() : []
        guard !ids.isEmpty else { return }
        let now = clock.now()
        do {
            try await database.withConnection { try Self.markPublished(ids, on: $0, now: now) }
        } catch {
            returnPublished(ids)
            throw error
        }
    }

    /// Claims, publishes and marks one batch of due rows; returns how many rows it claimed.
    @discardableResult
    public func relayOnce() async throws -> Int {
        let now = clock.now()
        let claimUntil = now.addingTimeInterval(lease)
        let batchSize = self.batchSize
        let service = self.service
        // Each statement of a pass stands alone (autocommit): a claim or a mark lost in a crash only
        // means rows published again once the claim runs out, which consumers deduplicate.
        let rows = try await database.withConnection { connection in
            try connection.query(
                """
                UPDATE outbox SET available_at = $2, attempts = attempts + 1
                WHERE id IN (SELECT id FROM outbox
                             WHERE published_at IS NULL AND available_at <= $1 AND (publisher = $4 OR publisher IS NULL)
                             ORDER BY available_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
                RETURNING id, exchange, routing_key, message_id, type, correlation_id, mandatory, body,
                          created_at, attempts
                """, [now, claimUntil, batchSize, service])
        }
        guard !rows.isEmpty else { return 0 }
        var claimed: [ClaimedRow] = []
        var oldest = now
        for row in rows {
            let created: Date = try row.decode("created_at")
            oldest = min(oldest, created)
            claimed.append((
                try row.decode("id"),
                OutboxMessage(
                    exchange: try row.decode("exchange"), routingKey: try row.decode("routing_key"),
                    messageID: try row.decode("message_id"), type: try row.decode("type"),
                    correlationID: try row.decodeIfPresent("correlation_id"), mandatory: try row.decode("mandatory"),
                    body: try row.decode("body")),
                try row.decode("attempts"), created))
        }
        Gauge(label: "hotline_outbox_oldest_age_seconds").record(now.timeIntervalSince(oldest))
        try await publish(claimed.sorted { $0.0 < $1.0 })
        return rows.count
    }

    /// Publishes rows with confirms: confirmed ids wait to be marked published; a returned, nacked or
    /// refused row is retried with backoff, and when the broker cannot be reached the rows are left to
    /// the next pass soon.
    private func publish(_ rows: [ClaimedRow]) async throws {
        let outcomes: [PublishOutcome]
        do {
            outcomes = try await publisher.publish(rows.map { $0.message.outgoing(createdAt: $0.createdAt) })
        } catch let error as AMQPError where error.kind == .server {
            // The broker refused a message (a permission, a missing exchange) and closed the channel:
            // one at a time, so that only the refused row waits and the others go out.
            if rows.count > 1 {
                for row in rows { try await publish([row]) }
                return
            }
            try await hold(rows.map { ($0, "refused by the broker: \(error.message)") })
            return
        } catch {
            let retryAt = clock.now().addingTimeInterval(1)
            let ids = rows.map(\.id)
            _ = try? await database.withConnection { connection in
                try connection.query("UPDATE outbox SET available_at = $2 WHERE id = ANY($1::bigint[])", [ids, retryAt])
            }
            throw error
        }
        var confirmed: [Int64] = []
        var failed: [(ClaimedRow, String)] = []
        for (row, outcome) in zip(rows, outcomes) {
            switch outcome {
            case .confirmed:
                confirmed.append(row.id)
                Self.count(row.message)
            case .returned, .nacked:
                failed.append((row, outcome == .nacked ? "nacked by the broker" : "returned by the broker: \(outcome)"))
            }
        }
        returnPublished(confirmed)
        try await hold(failed)
    }

    /// Leaves undelivered rows for a later pass, with their reason and a backoff by attempts.
    private func hold(_ failed: [(ClaimedRow, String)]) async throws {
        guard !failed.isEmpty else { return }
        let now = clock.now()
        for (row, reason) in failed {
            logger.error("message not delivered, will retry", metadata: [
                "message_id": "\(row.message.messageID)", "exchange": "\(row.message.exchange)",
                "routing_key": "\(row.message.routingKey)", "reason": "\(reason)",
            ])
        }
        try await database.withConnection { connection in
            for (row, reason) in failed {
                let backoff = min(300, pow(2, Double(min(row.attempts, 8))))
                try connection.query(
                    "UPDATE outbox SET last_error = $2, available_at = $3 WHERE id = $1",
                    [row.id, reason, now.addingTimeInterval(backoff)])
            }
        }
    }

    private static func count(_ message: OutboxMessage) {
        Counter(label: "hotline_messages_published_total", dimensions: [("type", message.type)]).increment()
        if message.exchange == Exchange.events, message.type == "command.rejected" {
            let fields = try? JSONValue.parse(message.body)
            Counter(label: "hotline_commands_rejected_total", dimensions: [
                ("command_type", MetricLabel.messageType(fields?["command_type"]?.stringValue ?? "")),
                ("reason", fields?["reason"]?.stringValue ?? ""),
            ]).increment()
        }
    }

    /// This service's unpublished rows and the age of the oldest (from the partial index
    /// `outbox_pending`).
    private func recordBacklog() async throws {
        let now = clock.now()
        let service = self.service
        let row = try await database.withConnection { connection in
            try connection.query(
                """
                SELECT count(*) AS n, min(created_at) AS oldest FROM outbox
                WHERE published_at IS NULL AND (publisher = $1 OR publisher IS NULL)
                """, [service]).first
        }
        Gauge(label: "hotline_outbox_backlog").record(try row?.decode("n", as: Int.self) ?? 0)
        let oldest: Date? = try row?.decodeIfPresent("oldest")
        Gauge(label: "hotline_outbox_oldest_age_seconds").record(oldest.map { max(0, now.timeIntervalSince($0)) } ?? 0)
    }
}

extension OutboxMessage {
    /// The message as published: persistent, with its message id, type, correlation id and time.
    public func outgoing(createdAt: Date) -> OutgoingMessage {
        OutgoingMessage(
            exchange: exchange, routingKey: routingKey,
            properties: AMQPProperties(
                messageID: messageID, type: type, correlationID: correlationID, appID: "hotline", timestamp: createdAt),
            body: Array(body), mandatory: mandatory)
    }
}
