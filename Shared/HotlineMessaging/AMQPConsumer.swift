import Foundation
import Logging
import Synchronization

/// Consumes one queue on a connection and thread of its own, with a prefetch window and manual
/// acknowledgement, and hands out deliveries in batches: every delivery that has arrived by the time
/// the caller asks (`nextBatch`). On any connection failure it reconnects with backoff, declares its
/// topology again and resumes; deliveries not yet acked come back from the broker as redeliveries,
/// and settling a delivery of an earlier connection is a no-op.
///
/// The thread sleeps in `poll` on the socket and on a wake-up pipe: it does not spin while deliveries
/// are in flight, and settlements from other threads wake it at once. Acks of the oldest outstanding
/// deliveries go out as one `multiple` ack.
public final class AMQPConsumer: Sendable {
    private enum Settlement {
        case ack(UInt64)
        case reject(UInt64, requeue: Bool)
    }

    private struct State: ~Copyable {
        var ready: [Delivery] = []
        var waiter: (continuation: CheckedContinuation<[Delivery]?, Never>, limit: Int)?
        var settlements: [(Settlement, Int)] = []
        var wakePending = false
        var paused = false
        var stopped = false
        var connected = false

        /// Takes the oldest `limit` ready deliveries.
        mutating func take(upTo limit: Int) -> [Delivery] {
            let taken = Array(ready.prefix(limit))
            ready.removeFirst(taken.count)
            return taken
        }
    }

    public let queue: String
    private let configuration: AMQPConfiguration
    private let topology: AMQPTopology
    private let prefetch: Int
    private let logger: Logger
    private let state = Mutex(State())
    private let wake: WakePipe
    private let finished = DispatchSemaphore(value: 0)

    public init(
        configuration: AMQPConfiguration, queue: String, topology: AMQPTopology, prefetch: Int = 200, logger: Logger
    ) {
        self.configuration = configuration
        self.queue = queue
        self.topology = topology
        self.prefetch = prefetch
        self.logger = logger
        self.wake = WakePipe()
        let thread = Thread { [self] in run() }
        thread.name = "amqp-consumer-\(queue)"
        thread.start()
    }

    public var isConnected: Bool { state.withLock { $0.connected } }

    /// The deliveries that have arrived, at least one and at most `limit`, in the order the broker sent
    /// them; waits for the first. With a `linger`, a batch smaller than `limit` waits that long once for
    /// more. Nil once the consumer is paused or stopped.
    public func nextBatch(upTo limit: Int, linger: Duration = .zero) async -> [Delivery]? {
        guard var batch = await next(upTo: limit) else { return nil }
        if linger > .zero, batch.count < limit {
            try? await Task.sleep(for: linger)
            let wanted = limit - batch.count
            batch += state.withLock { $0.take(upTo: wanted) }
        }
        return batch
    }

    /// Every delivery one at a time, for clients that handle them singly; finishes once the consumer
    /// is paused or stopped. Take it once.
    public var deliveries: AsyncStream<Delivery> {
        let (stream, continuation) = AsyncStream.makeStream(of: Delivery.self)
        let task = Task { [self] in
            while let batch = await nextBatch(upTo: prefetch) {
                for delivery in batch { continuation.yield(delivery) }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func next(upTo limit: Int) async -> [Delivery]? {
        await withCheckedContinuation { (continuation: CheckedContinuation<[Delivery]?, Never>) in
            let answer = state.withLock { state -> [Delivery]?? in
                if !state.ready.isEmpty { return .some(state.take(upTo: limit)) }
                if state.paused || state.stopped { return .some(nil) }
                state.waiter = (continuation, limit)
                return .none
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    public func ack(_ delivery: Delivery) {
        settle(.ack(delivery.deliveryTag), generation: delivery.generation)
    }

    public func reject(_ delivery: Delivery, requeue: Bool) {
        settle(.reject(delivery.deliveryTag, requeue: requeue), generation: delivery.generation)
    }

    private func settle(_ settlement: Settlement, generation: Int) {
        let signal = state.withLock { state -> Bool in
            state.settlements.append((settlement, generation))
            defer { state.wakePending = true }
            return !state.wakePending
        }
        if signal { wake.signal() }
    }

    /// Stops handing out deliveries: `nextBatch` returns nil once what has arrived is taken;
    /// settlements still go through until `stop()`. Deliveries that arrive meanwhile stay unacked and
    /// are requeued when it closes.
    public func pause() {
        let waiter = state.withLock { state -> CheckedContinuation<[Delivery]?, Never>? in
            state.paused = true
            defer { state.waiter = nil }
            return state.waiter?.continuation
        }
        waiter?.resume(returning: nil)
    }

    /// Settles what was acked so far, closes the connection (the broker requeues anything unacked)
    /// and ends the batches.
    public func stop() async {
        state.withLock { $0.stopped = true }
        wake.signal()
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
        /// Delivery tags of the current connection not yet settled, oldest first.
        var outstanding: [UInt64] = []
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
                    outstanding.removeAll()
                    state.withLock {
                        $0.connected = true
                        $0.settlements.removeAll()
                        // Deliveries of the lost connection come back as redeliveries.
                        $0.ready.removeAll()
                    }
                    if failures > 0 { logger.info("consumer reconnected", metadata: ["queue": "\(queue)", "node": "\(open.node)"]) }
                    failures = 0
                }
                guard let open = connection else { continue }
                try settle(on: open, generation: generation, outstanding: &outstanding)
                // Sleep until the broker sends something or a settlement arrives; the library sends
                // and checks heartbeats inside its reads, so wake at least every second.
                if !open.hasBufferedData { open.waitReadable(orWake: wake, timeout: 1) }
                wake.drain()
                var arrived: [Delivery] = []
                while arrived.count < prefetch, let delivery = try open.nextDelivery(timeout: 0, generation: generation) {
                    arrived.append(delivery)
                }
                if !arrived.isEmpty {
                    outstanding += arrived.map(\.deliveryTag)
                    hand(arrived)
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
            try? settle(on: open, generation: generation, outstanding: &outstanding)
            open.close()
        }
        let waiter = state.withLock { state -> CheckedContinuation<[Delivery]?, Never>? in
            state.connected = false
            defer { state.waiter = nil }
            return state.waiter?.continuation
        }
        waiter?.resume(returning: nil)
        finished.signal()
    }

    /// Makes deliveries ready; a caller waiting in `nextBatch` takes them at once.
    private func hand(_ deliveries: [Delivery]) {
        let handed = state.withLock { state -> (CheckedContinuation<[Delivery]?, Never>, [Delivery])? in
            state.ready += deliveries
            guard let waiter = state.waiter else { return nil }
            state.waiter = nil
            return (waiter.continuation, state.take(upTo: waiter.limit))
        }
        if let (continuation, batch) = handed { continuation.resume(returning: batch) }
    }

    /// Sends the settlements made since the last call: rejections one by one, then the acks of the
    /// oldest outstanding deliveries as one `multiple` ack, and any other ack on its own.
    private func settle(on connection: AMQPConnection, generation: Int, outstanding: inout [UInt64]) throws {
        let settlements = state.withLock { state -> [(Settlement, Int)] in
            state.wakePending = false
            let taken = state.settlements
            state.settlements.removeAll(keepingCapacity: true)
            return taken
        }
        var acked = Set<UInt64>()
        for (settlement, from) in settlements where from == generation {
            switch settlement {
            case .ack(let tag):
                acked.insert(tag)
            case .reject(let tag, let requeue):
                try connection.reject(tag, requeue: requeue)
                outstanding.removeAll { $0 == tag }
            }
        }
        guard !acked.isEmpty else { return }
        var contiguous = 0
        while contiguous < outstanding.count, acked.contains(outstanding[contiguous]) { contiguous += 1 }
        if contiguous > 0 {
            try connection.ack(outstanding[contiguous - 1], multiple: contiguous > 1)
            for tag in outstanding[..<contiguous] { acked.remove(tag) }
            outstanding.removeFirst(contiguous)
        }
        for tag in acked.sorted() {
            try connection.ack(tag, multiple: false)
        }
        if !acked.isEmpty { outstanding.removeAll { acked.contains($0) } }
    }

    private func sleepUnlessStopped(_ seconds: TimeInterval) {
        let until = Date().addingTimeInterval(seconds)
        while Date() < until, !state.withLock({ $0.stopped }) {
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
}
