import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineStorage
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Publishes outbox rows with confirms and marks them sent. Any number of relays, in any number of
/// processes, share the table: a pass claims rows with `FOR UPDATE SKIP LOCKED` by pushing their
/// `available_at` forward, so a relay that dies mid-pass leaves its rows to be published again by
/// another once the claim runs out (consumers deduplicate by `message_id`).
public final class OutboxRelay: Service, Sendable {
    private let database: Database
    private let publisher: AMQPPublisher
    private let clock: any ServiceClock
    private let logger: Logger
    private let batchSize: Int
    private let idleInterval: Double
    private let claimSeconds: Double = 30
    /// How often the backlog gauges are refreshed (seconds).
    private let gaugeInterval: Double = 5
    private let wake = WakeSignal()
    private let stopping = Mutex(false)

    public init(
        database: Database, publisher: AMQPPublisher, clock: any ServiceClock, batchSize: Int,
        idleInterval: Double, logger: Logger
    ) {
        self.database = database
        self.publisher = publisher
        self.clock = clock
        self.batchSize = batchSize
        self.idleInterval = idleInterval
        self.logger = logger
    }

    /// Tells the relay that rows were just committed, so it does not wait for its next poll.
    public func nudge() { wake.signal() }

    public func run() async throws {
        var lastPurge = Date.distantPast
        var lastGauges = Date.distantPast
        var failures = 0
        await withGracefulShutdownHandler {
            while !stopping.withLock({ $0 }), !Task.isCancelled {
                do {
                    let published = try await relayOnce()
                    failures = 0
                    if Date().timeIntervalSince(lastGauges) >= gaugeInterval {
                        lastGauges = Date()
                        try await recordBacklog()
                    }
                    if clock.now().timeIntervalSince(lastPurge) > 60 {
                        lastPurge = clock.now()
                        try await purge()
                    }
                    if published < batchSize {
                        // Idle: wait for a nudge from this process or the poll interval for other processes' rows.
                        await wake.wait(timeout: .seconds(idleInterval))
                    }
                } catch {
                    failures += 1
                    logger.warning("outbox relay pass failed", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(min(5, 0.2 * Double(failures))))
                }
            }
            // Flush what this process committed before it stopped consuming.
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline, (try? await relayOnce()) ?? 0 > 0 {}
        } onGracefulShutdown: {
            self.stopping.withLock { $0 = true }
            self.nudge()
        }
    }

    /// Claims, publishes and marks one batch; returns how many rows were confirmed.
    @discardableResult
    public func relayOnce() async throws -> Int {
        let now = clock.now()
        let claimUntil = now.addingTimeInterval(claimSeconds)
        let batchSize = self.batchSize
        // Each statement of a pass stands alone (autocommit): a claim or a mark lost in a crash only
        // means rows published again once the claim runs out, which consumers deduplicate.
        let rows = try await database.withConnection { connection in
            try connection.query(
                """
                UPDATE outbox SET available_at = $2, attempts = attempts + 1
                WHERE id IN (SELECT id FROM outbox WHERE published_at IS NULL AND available_at <= $1
                             ORDER BY available_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
                RETURNING id, exchange, routing_key, message_id, type, correlation_id, mandatory, body,
                          created_at, attempts
                """, [now, claimUntil, batchSize])
        }
        guard !rows.isEmpty else { return 0 }
        var ids: [Int64] = []
        var messages: [OutgoingMessage] = []
        var attempts: [Int] = []
        var oldest = now
        for row in rows.sorted(by: { (Int64($0["id"] ?? "") ?? 0) < (Int64($1["id"] ?? "") ?? 0) }) {
            ids.append(try row.decode("id"))
            attempts.append(try row.decode("attempts"))
            let created: Date = try row.decode("created_at")
            oldest = min(oldest, created)
            messages.append(OutgoingMessage(
                exchange: try row.decode("exchange"), routingKey: try row.decode("routing_key"),
                properties: AMQPProperties(
                    messageID: try row.decode("message_id"), type: try row.decode("type"),
                    correlationID: try row.decodeIfPresent("correlation_id"), appID: "hotline",
                    timestamp: created),
                body: Array(try row.decode("body", as: Data.self)), mandatory: try row.decode("mandatory")))
        }
        Gauge(label: "hotline_outbox_oldest_age_seconds").record(now.timeIntervalSince(oldest))
        let outcomes: [PublishOutcome]
        do {
            outcomes = try await publisher.publish(messages)
        } catch {
            // Release the claim soon rather than after the full claim time.
            let retryAt = clock.now().addingTimeInterval(1)
            let ids = ids
            _ = try? await database.withConnection { connection in
                try connection.query("UPDATE outbox SET available_at = $2 WHERE id = ANY($1::bigint[])", [ids, retryAt])
            }
            throw error
        }
        var confirmed: [Int64] = []
        var failed: [(Int64, String, Date)] = []
        for (index, outcome) in outcomes.enumerated() {
            switch outcome {
            case .confirmed:
                confirmed.append(ids[index])
                Counter(label: "hotline_messages_published_total", dimensions: [("type", messages[index].properties.type ?? "")]).increment()
                if messages[index].exchange == Exchange.events,
                   messages[index].properties.type == "command.rejected" {
                    let fields = try? JSONValue.parse(Data(messages[index].body))
                    Counter(label: "hotline_commands_rejected_total", dimensions: [
                        ("command_type", MetricLabel.messageType(fields?["command_type"]?.stringValue ?? "")),
                        ("reason", fields?["reason"]?.stringValue ?? ""),
                    ]).increment()
                }
            case .returned, .nacked:
                let reason = outcome == .nacked ? "nacked by the broker" : "returned by the broker: \(outcome)"
                let backoff = min(300, pow(2, Double(min(attempts[index], 8))))
                failed.append((ids[index], reason, clock.now().addingTimeInterval(backoff)))
                logger.error("message not delivered, will retry", metadata: [
                    "message_id": "\(messages[index].properties.messageID ?? "")",
                    "exchange": "\(messages[index].exchange)", "routing_key": "\(messages[index].routingKey)",
                    "reason": "\(reason)",
                ])
            }
        }
        let publishedAt = clock.now()
        try await database.withConnection { [confirmed, failed] connection in
            if !confirmed.isEmpty {
                try connection.query(
                    "UPDATE outbox SET published_at = $2 WHERE id = ANY($1::bigint[])", [confirmed, publishedAt])
            }
            for (id, reason, retryAt) in failed {
                try connection.query(
                    "UPDATE outbox SET last_error = $2, available_at = $3 WHERE id = $1", [id, reason, retryAt])
            }
        }
        return confirmed.count
    }

    /// Unpublished rows and the age of the oldest (from the partial index `outbox_pending`).
    private func recordBacklog() async throws {
        let now = clock.now()
        let row = try await database.withConnection { connection in
            try connection.query(
                "SELECT count(*) AS n, min(created_at) AS oldest FROM outbox WHERE published_at IS NULL").first
        }
        Gauge(label: "hotline_outbox_backlog").record(try row?.decode("n", as: Int.self) ?? 0)
        let oldest: Date? = try row?.decodeIfPresent("oldest")
        Gauge(label: "hotline_outbox_oldest_age_seconds").record(oldest.map { max(0, now.timeIntervalSince($0)) } ?? 0)
    }

    /// Deletes rows published more than a day ago and deduplication records older than two weeks.
    private func purge() async throws {
        let now = clock.now()
        try await database.withConnection { connection in
            try connection.query("DELETE FROM outbox WHERE published_at < $1", [now.addingTimeInterval(-86_400)])
            try connection.query(
                "DELETE FROM processed_messages WHERE processed_at < $1", [now.addingTimeInterval(-14 * 86_400)])
            let backlog = try connection.query("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL")
            Gauge(label: "hotline_outbox_backlog").record(try backlog.first?.decode("n", as: Int.self) ?? 0)
        }
    }
}
