import Synchronization

/// What `/health` reports: each part's state and any warnings.
public struct HealthReport: Sendable {
    /// Each part's state (`true`: up): the database answering, the consumers connected, the
    /// reference data readable. A part down makes the service unhealthy.
    public var parts: [String: Bool]
    /// What operators should act on before it becomes an outage (e.g. the working calendar running
    /// out); the service stays healthy.
    public var warnings: [String]

    public init(parts: [String: Bool], warnings: [String] = []) {
        self.parts = parts
        self.warnings = warnings
    }

    public var isHealthy: Bool { parts.values.allSatisfy { $0 } }
}

/// `/health`'s check, run at most once per `maxAge` however often it is probed: probes that arrive
/// meanwhile share the result (or the check in flight), so that probing cannot load the service or
/// the servers.
public final class HealthCheck: Sendable {
    private let maxAge: Duration
    private let check: @Sendable () async -> HealthReport
    private let latest = Mutex<(at: ContinuousClock.Instant, results: Task<HealthReport, Never>)?>(nil)

    public init(maxAge: Duration = .seconds(1), check: @escaping @Sendable () async -> HealthReport) {
        self.maxAge = maxAge
        self.check = check
    }

    /// The latest report, at most `maxAge` old.
    public func results() async -> HealthReport {
        let check = self.check
        let results = latest.withLock { latest in
            let now = ContinuousClock.now
            if let latest, now - latest.at < maxAge { return latest.results }
            let results = Task { await check() }
            latest = (now, results)
            return results
        }
        return await results.value
    }
}
