import Foundation
import HotlineRuntime
import HotlineStorage
import Logging
import Metrics
import ServiceLifecycle

/// Fires due timers. Every copy of the sla-timer runs one; they share the table through
/// `FOR UPDATE SKIP LOCKED`. After a pass the poller sleeps until the earliest pending due time or
/// the poll interval, whichever comes first, so a timer armed before the previous pass fires on time
/// and any other one at most one poll interval late.
final class TimerPoller: Service, Sendable {
    private let runtime: ServiceRuntime
    private let settings: TimerSettings
    private let loop: PollingLoop
    private let firedBy: String

    init(runtime: ServiceRuntime, settings: TimerSettings) {
        self.runtime = runtime
        self.settings = settings
        firedBy = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
        loop = PollingLoop("timer poll", logger: runtime.logger)
    }

    /// A handler of this process armed a timer due at `due`: look again now.
    func nudge() { loop.nudge() }

    func run() async throws {
        var lastPurge = Date.distantPast
        var worst = 0.0
        var lastGauges = Date.distantPast
        await loop.run {
            if Date().timeIntervalSince(lastGauges) >= 5 {
                lastGauges = Date()
                try await recordPending()
            }
            let started = ContinuousClock.now
            let result = try await pollOnce()
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            Metrics.Timer(label: "hotline_sla_timer_poll_seconds").recordNanoseconds(Int64(seconds * 1e9))
            worst = max(worst, seconds)
            Gauge(label: "hotline_sla_timer_poll_max_seconds").record(worst)
            if result.published > 0 { runtime.relay.nudge() }
            if runtime.clock.now().timeIntervalSince(lastPurge) > 3600 {
                lastPurge = runtime.clock.now()
                let cutoff = lastPurge.addingTimeInterval(-settings.keepFiredSeconds)
                try await runtime.database.withConnection { try TimerStore.purgeFired(olderThan: cutoff, on: $0) }
            }
            if result.claimed >= settings.batchSize { return .now }
            let next = try await runtime.database.withConnection { try TimerStore.nextDue(after: result.at, on: $0) }
            return .until(next, now: runtime.clock.now(), atMost: settings.pollInterval)
        }
    }

    /// One transaction: claim, fire, write the events to the outbox.
    func pollOnce() async throws -> TimerStore.FireResult {
        let clock = runtime.clock
        let batch = settings.batchSize
        let firedBy = self.firedBy
        let publisher = runtime.relay.service
        let result = try await runtime.database.transaction { connection in
            try TimerStore.fireDue(limit: batch, firedBy: firedBy, publisher: publisher, on: connection, now: clock.now())
        }
        for (type, count) in result.fired {
            Counter(label: "hotline_sla_timers_fired_total", dimensions: [("type", type)]).increment(by: count)
            Counter(label: "hotline_timers_fired_total", dimensions: [("type", type)]).increment(by: count)
        }
        let latenessHistogram = Metrics.Timer(label: "hotline_timer_lateness_seconds")
        for lateness in result.lateness {
            latenessHistogram.recordNanoseconds(Int64(max(0, lateness) * 1e9))
        }
        if result.dropped > 0 {
            Counter(label: "hotline_sla_timers_dropped_total").increment(by: result.dropped)
        }
        if let worst = result.lateness.max() {
            Gauge(label: "hotline_sla_timer_last_lateness_seconds").record(worst)
        }
        if result.published > 0 {
            runtime.logger.debug("timers fired", metadata: [
                "count": "\(result.published)", "dropped": "\(result.dropped)",
                "max_lateness": "\(String(format: "%.3f", result.lateness.max() ?? 0))",
            ])
        }
        return result
    }
}

extension TimerPoller {
    /// `hotline_timers_pending` and `hotline_timers_due` (by the service clock) without counting the
    /// whole table: each is counted exactly up to 10,000 on the partial index `sla_timers_due`;
    /// beyond that, pending is the planner's estimate of that index (kept by autovacuum and analyze).
    func recordPending() async throws {
        let now = runtime.clock.now()
        let row = try await runtime.database.withConnection { connection in
            try connection.query(
                """
                SELECT (SELECT count(*) FROM (SELECT 1 FROM sla_timers WHERE state = 'pending' LIMIT 10000) AS p) AS pending,
                       (SELECT count(*) FROM (SELECT 1 FROM sla_timers WHERE state = 'pending' AND due_at <= $1
                                              LIMIT 10000) AS d) AS due,
                       (SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE relname = 'sla_timers_due') AS estimate
                """, [now]).first
        }
        let counted = try row?.decode("pending", as: Int.self) ?? 0
        let estimate = try row?.decodeIfPresent("estimate", as: Int.self) ?? 0
        Gauge(label: "hotline_timers_pending").record(counted < 10_000 ? counted : max(counted, estimate))
        Gauge(label: "hotline_timers_due").record(try row?.decode("due", as: Int.self) ?? 0)
    }
}

/// The sla-timer's own settings.
struct TimerSettings: Sendable {
    /// `HOTLINE_TIMER_POLL_SECONDS`: the longest a poller sleeps between passes (default 1).
    var pollInterval: Double
    /// `HOTLINE_TIMER_BATCH`: timers one pass claims (default 500).
    var batchSize: Int
    /// `HOTLINE_TIMER_KEEP_FIRED_DAYS`: fired timers kept for audits (default 60 days).
    var keepFiredSeconds: Double

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        pollInterval = max(0.01, environment["HOTLINE_TIMER_POLL_SECONDS"].flatMap(Double.init) ?? 1)
        batchSize = max(1, environment["HOTLINE_TIMER_BATCH"].flatMap(Int.init) ?? 500)
        keepFiredSeconds = max(1, environment["HOTLINE_TIMER_KEEP_FIRED_DAYS"].flatMap(Double.init) ?? 60) * 86_400
    }
}

