import Foundation
import Logging
import Synchronization

/// Consumes one queue on a connection and thread of its own, with a prefetch window and manual
/// acknowledgement. On any connection failure it reconnects with backoff, declares its topology
/// again and resumes; deliveries not yet acked come back from the broker as redeliveries, and
/// settling a delivery of an earlier connection is a no-op.
public final class AMQPConsumer: Sendable {
    private enum Settlement {
        case ack(UInt64)
        case reject(UInt64, requeue: Bool)
    }

    private struct State: ~Copyable {
        var settlements: [(Settlement, Int)] = []
        var inFlight = 0
        var stopped = false
        var connected = false
    }

    public let queue: String
    /// Deliveries, in the order the broker sends them; finishes after `stop()`.
    public let deliveries: AsyncStream<Delivery>
    private let continuation: AsyncStream<Delivery>.Continuation
    private let configuration: AMQPConfiguration
    private let topology: AMQPTopology
    private let prefetch: Int
    private let logger: Logger
    private let state = Mutex(State())
    private let finished = DispatchSemaphore(value: 0)

    public init(
        configuration: AMQPConfiguration, queue: String, topology: AMQPTopology, prefetch: Int = 200, logger: Logger
    ) {
        self.configuration = configuration
        self.queue = queue
        self.topology = topology
        self.prefetch = prefetch
        self.logger = logger
        (deliveries, continuation) = AsyncStream.makeStream(of: Delivery.self)
        let thread = Thread { [self] in run() }
        thread.name = "amqp-consumer-\(queue)"
        thread.start()
    }

    public var isConnected: Bool { state.withLock { $0.connected } }

    public func ack(_ delivery: Delivery) {
        state.withLock { $0.settlements.append((.ack(delivery.deliveryTag), delivery.generation)) }
    }

    public func reject(_ delivery: Delivery, requeue: Bool) {
        state.withLock { $0.settlements.append((.reject(delivery.deliveryTag, requeue: requeue), delivery.generation)) }
    }

    /// Stops handing out deliveries: `deliveries` finishes, settlements still go through until
    /// `stop()`. Deliveries that arrive meanwhile stay unacked and are requeued when it closes.
    public func pause() {
        continuation.finish()
    }

    /// Settles what was acked so far, closes the connection (the broker requeues anything unacked)
    /// and finishes `deliveries`.
    public func stop() async {
        state.withLock { $0.stopped = true }
        let finished = self.finished
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                finished.wait()
                continuation.resume()
            }
        }
    }

    private func run() {
        var generation = 0
        var failures = 0
        var connection: AMQPConnection?
        while !state.withLock({ $0.stopped }) {
            do {
                if connection == nil {
                    if failures > 0 {
                        let delay = min(10.0, 0.2 * pow(2.0, Double(min(failures, 6)))) * Double.random(in: 0.5...1)
                        sleepUnlessStopped(delay)
                        if state.withLock({ $0.stopped }) { break }
                    }
                    let open = try AMQPConnection(configuration)
                    try topology.declare(on: open)
                    try open.qos(prefetch: prefetch)
                    try open.consume(queue: queue)
                    generation += 1
                    connection = open
                    state.withLock {
                        $0.connected = true
                        $0.inFlight = 0
                        $0.settlements.removeAll()
                    }
                    if failures > 0 { logger.info("consumer reconnected", metadata: ["queue": "\(queue)"]) }
                    failures = 0
                }
                guard let open = connection else { continue }
                let (settlements, inFlight) = state.withLock { state -> ([(Settlement, Int)], Int) in
                    let taken = state.settlements
                    state.settlements.removeAll(keepingCapacity: true)
                    state.inFlight -= taken.count
                    return (taken, state.inFlight)
                }
                for (settlement, from) in settlements where from == generation {
                    switch settlement {
                    case .ack(let tag): try open.ack(tag, multiple: false)
                    case .reject(let tag, let requeue): try open.reject(tag, requeue: requeue)
                    }
                }
                if let delivery = try open.nextDelivery(timeout: inFlight > 0 ? 0.002 : 0.05, generation: generation) {
                    state.withLock { $0.inFlight += 1 }
                    continuation.yield(delivery)
                }
            } catch {
                failures += 1
                logger.warning("consumer connection lost", metadata: ["queue": "\(queue)", "error": "\(error)"])
                connection?.close()
                connection = nil
                state.withLock { $0.connected = false }
            }
        }
        // Last settlements of the current connection, then close.
        if let open = connection {
            let settlements = state.withLock { state -> [(Settlement, Int)] in
                let taken = state.settlements
                state.settlements.removeAll()
                return taken
            }
            for (settlement, from) in settlements where from == generation {
                switch settlement {
                case .ack(let tag): try? open.ack(tag, multiple: false)
                case .reject(let tag, let requeue): try? open.reject(tag, requeue: requeue)
                }
            }
            open.close()
        }
        state.withLock { $0.connected = false }
        continuation.finish()
        finished.signal()
    }

    private func sleepUnlessStopped(_ seconds: TimeInterval) {
        let until = Date().addingTimeInterval(seconds)
        while Date() < until, !state.withLock({ $0.stopped }) {
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
}
