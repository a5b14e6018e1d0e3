import Foundation
import HotlineDomain
import HotlineMessaging
import Logging
import Metrics
import ServiceLifecycle

/// What to do with a delivery once its handler is done.
public enum Disposition: Sendable, Equatable {
    /// Its effect is committed (or it was a duplicate): ack.
    case ack
    /// It cannot succeed here: let the broker requeue it (quorum queues dead-letter it to
    /// `hotline.dead` once the delivery limit is reached).
    case retry
}

/// Consumes one queue in batches: it takes every delivery that is ready (up to `batchSize`, after a
/// short `linger` when fewer have arrived), runs their handlers at once, and their database work
/// commits in one transaction (`MessageBatch`); each delivery is then acked or requeued on its own
/// disposition. On graceful shutdown it stops taking deliveries, lets the batch in flight finish and
/// settle, then closes the connection (the broker requeues whatever was prefetched but not started).
public struct ConsumerService: Service {
    public let consumer: AMQPConsumer
    public let runtime: ServiceRuntime
    public let batchSize: Int
    public let linger: Duration
    public let handler: @Sendable (Delivery) async -> Disposition

    public init(
        consumer: AMQPConsumer, runtime: ServiceRuntime, batchSize: Int, linger: Duration,
        handler: @escaping @Sendable (Delivery) async -> Disposition
    ) {
        self.consumer = consumer
        self.runtime = runtime
        self.batchSize = batchSize
        self.linger = linger
        self.handler = handler
    }

    public func run() async throws {
        let consumer = self.consumer
        await withGracefulShutdownHandler {
            while let deliveries = await consumer.nextBatch(upTo: batchSize, linger: linger) {
                let batch = MessageBatch(handlers: deliveries.count, runtime: runtime)
                Recorder(label: "hotline_batch_size", dimensions: [("queue", consumer.queue)]).record(deliveries.count)
                await withTaskGroup(of: Void.self) { group in
                    for (position, delivery) in deliveries.enumerated() {
                        group.addTask { await handle(delivery, at: position, in: batch) }
                    }
                }
            }
        } onGracefulShutdown: {
            consumer.pause()
        }
        await consumer.stop()
    }

    /// The buckets of `hotline_batch_size` (deliveries per batch).
    static let batchSizeBuckets: [Double] = [1, 2, 5, 10, 20, 50, 100, 200, 500]

    private func handle(_ delivery: Delivery, at position: Int, in batch: MessageBatch) async {
        let queue = consumer.queue
        let logger = runtime.logger
        let started = ContinuousClock.now
        let rawType = delivery.properties.type ?? delivery.routingKey
        let type = MetricLabel.messageType(rawType)
        let disposition = await batch.run(position: position) { await handler(delivery) }
        if disposition == .retry {
            logger.warning("delivery requeued", metadata: delivery.logMetadata(queue: queue))
        } else {
            logger.debug("delivery handled", metadata: delivery.logMetadata(queue: queue))
        }
        switch disposition {
        case .ack: consumer.ack(delivery)
        case .retry: consumer.reject(delivery, requeue: true)
        }
        Counter(label: "hotline_messages_consumed_total", dimensions: [
            ("queue", queue), ("type", type), ("outcome", disposition == .ack ? "ack" : "retry"),
        ]).increment()
        // The broker dead-letters a delivery requeued once its count reached the limit.
        if disposition == .retry, (delivery.deliveryCount ?? 0) >= HotlineTopology.deliveryLimit {
            Counter(label: "hotline_messages_dead_lettered_total", dimensions: [
                ("queue", queue), ("type", type),
            ]).increment()
            logger.error("delivery limit reached; the broker dead-letters the message to hotline.dead", metadata: [
                "message_id": "\(delivery.messageKey)", "type": "\(rawType.prefix(100))", "queue": "\(queue)",
                "delivery_count": "\(delivery.deliveryCount ?? 0)",
            ])
        }
        Timer(label: "hotline_message_handling_seconds", dimensions: [("queue", queue), ("type", type)])
            .recordInterval(since: started)
    }
}

extension Timer {
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}

extension Delivery {
    /// What a log line about this delivery carries: its message id, type, queue, delivery count and
    /// the ticket number when the body names one (never the body itself: it may hold personal data).
    public func logMetadata(queue: String) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "message_id": "\(messageKey.prefix(200))", "type": "\((properties.type ?? routingKey).prefix(100))",
            "queue": "\(queue)",
        ]
        if redelivered { metadata["redelivered"] = "true" }
        if let count = deliveryCount { metadata["delivery_count"] = "\(count)" }
        if let ticketNo = ticketNumber { metadata["ticket_no"] = "\(ticketNo)" }
        return metadata
    }

    /// The body's `ticket_no`, when it is a JSON object that has one.
    public var ticketNumber: String? {
        guard body.count <= 262_144, let value = try? JSONValue.parse(Data(body)),
              let ticketNo = value["ticket_no"]?.stringValue, ticketNo.count <= 64 else { return nil }
        return ticketNo
    }
}
