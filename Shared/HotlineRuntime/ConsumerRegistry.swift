import HotlineMessaging
import Synchronization

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
