import Foundation
import HotlineDomain
import HotlineStorage
import Logging
import Metrics
import ServiceLifecycle

/// Deletes the operational records this service purges (`RetentionPolicy.records(purgedBy:)`) once
/// older than their retention, a batch at a time, every `interval`; counts what it deleted
/// (`hotline_records_purged_total{table}`). Every copy may run it: a batch deletes what is there.
public struct RecordRetention: Service {
    private let database: Database
    private let clock: any ServiceClock
    private let policy: RetentionPolicy
    private let records: [RetentionPolicy.Record]
    private let interval: Duration
    private let batchSize: Int
    private let loop: PollingLoop

    public init(
        database: Database, clock: any ServiceClock, policy: RetentionPolicy, service: String, interval: Duration,
        batchSize: Int = 1000, logger: Logger
    ) {
        self.database = database
        self.clock = clock
        self.policy = policy
        records = RetentionPolicy.records(purgedBy: service)
        self.interval = interval
        self.batchSize = batchSize
        loop = PollingLoop("retention purge", logger: logger)
    }

    public func run() async throws {
        await loop.run {
            for record in records { try await purge(record) }
            return .after(interval)
        }
    }

    /// Deletes `record`'s rows older than its retention; returns how many.
    @discardableResult
    func purge(_ record: RetentionPolicy.Record) async throws -> Int {
        let cutoff = policy.cutoff(record, now: clock.now())
        let statement = Self.statement(record)
        var total = 0
        while true {
            let deleted = try await database.withConnection { [batchSize] connection in
                try connection.query(statement, [cutoff, batchSize]).count
            }
            total += deleted
            if deleted < batchSize { break }
        }
        if total > 0 { Counter(label: "hotline_records_purged_total", dimensions: [("table", record.rawValue)]).increment(by: total) }
        return total
    }

    /// One batch's DELETE: the rows dated before `$1` by the column that dates the record, at most `$2`.
    static func statement(_ record: RetentionPolicy.Record) -> String {
        switch record {
        case .publishedOutbox:
            "DELETE FROM outbox WHERE ctid IN (SELECT ctid FROM outbox WHERE published_at < $1 LIMIT $2) RETURNING 1 AS n"
        case .processedMessages:
            "DELETE FROM processed_messages WHERE ctid IN (SELECT ctid FROM processed_messages WHERE processed_at < $1 LIMIT $2) RETURNING 1 AS n"
        case .commandOutcomes:
            "DELETE FROM command_outcomes WHERE ctid IN (SELECT ctid FROM command_outcomes WHERE received_at < $1 LIMIT $2) RETURNING 1 AS n"
        case .invalidMessages:
            "DELETE FROM invalid_messages WHERE ctid IN (SELECT ctid FROM invalid_messages WHERE received_at < $1 LIMIT $2) RETURNING 1 AS n"
        case .submissions:
            "DELETE FROM submissions WHERE ctid IN (SELECT ctid FROM submissions WHERE received_at < $1 LIMIT $2) RETURNING 1 AS n"
        case .sentNotifications:
            "DELETE FROM notifications WHERE ctid IN (SELECT ctid FROM notifications WHERE sent_at < $1 LIMIT $2) RETURNING 1 AS n"
        case .consoleSessions:
            "DELETE FROM console_sessions WHERE ctid IN (SELECT ctid FROM console_sessions WHERE expires_at < $1 LIMIT $2) RETURNING 1 AS n"
        case .consoleClaims:
            "DELETE FROM console_claims WHERE ctid IN (SELECT ctid FROM console_claims WHERE claimed_at < $1 LIMIT $2) RETURNING 1 AS n"
        }
    }
}
