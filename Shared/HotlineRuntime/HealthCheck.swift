import HotlineMessaging
import Synchronization

/// What `/health` reports: whether the database answers and every consumer of the service is
/// connected to the broker. Checked at most once per `maxAge` however often it is probed; probes
/// that arrive meanwhile share the result (or the check in flight), so that probing cannot load the
/// service or the servers.
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

/// The consumers a service runs, for its health: the broker is up for the service when every one
/// of them is connected (the publisher connects only when it has something to publish).
public final class ConsumerRegistry: Sendable {
    private let consumers = Mutex<[AMQPConsumer]>([])

    public init() {}

    func register(_ consumer: AMQPConsumer) {
        consumers.withLock { $0.append(consumer) }
    }

    /// Whether there are consumers and all of them are connected.
    public var allConnected: Bool {
        consumers.withLock { consumers in !consumers.isEmpty && consumers.allSatisfy(\.isConnected) }
    }
}
