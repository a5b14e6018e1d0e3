import Synchronization

/// What `/health` reports (the database answering, the consumers connected, the reference data
/// readable), checked at most once per `maxAge` however often it is probed: probes that arrive
/// meanwhile share the result (or the check in flight), so that probing cannot load the service or
/// the servers.
public final class HealthCheck: Sendable {
    private let maxAge: Duration
    private let check: @Sendable () async -> [String: Bool]
    private let latest = Mutex<(at: ContinuousClock.Instant, results: Task<[String: Bool], Never>)?>(nil)

    public init(maxAge: Duration = .seconds(1), check: @escaping @Sendable () async -> [String: Bool]) {
        self.maxAge = maxAge
        self.check = check
    }

    /// Each part's state (`true`: up).
    public func results() async -> [String: Bool] {
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
