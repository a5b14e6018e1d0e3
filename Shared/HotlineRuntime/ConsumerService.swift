import Foundation
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

/// Consumes one queue with up to `workers` deliveries handled at once; on graceful shutdown stops
/// taking deliveries, lets the handlers in flight finish and settle, then closes the connection
/// (the broker requeues whatever was prefetched but not started).
public struct ConsumerService: Service {
    public let consumer: AMQPConsumer
    public let workers: Int
    public let logger: Logger
    public let handler: @Sendable (Delivery) async -> Disposition

    public init(
        consumer: AMQPConsumer, workers: Int, logger: Logger, handler: @escaping @Sendable (Delivery) async -> Disposition
    ) {
        self.consumer = consumer
        self.workers = workers
        self.logger = logger
        self.handler = handler
    }

    public func run() async throws {
        let consumer = self.consumer
        let handler = self.handler
        let queue = consumer.queue
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                var running = 0
                for await delivery in consumer.deliveries {
                    if running >= workers {
                        await group.next()
                        running -= 1
                    }
                    running += 1
                    group.addTask {
                        let started = ContinuousClock.now
                        let type = delivery.properties.type ?? delivery.routingKey
                        let disposition = await handler(delivery)
                        switch disposition {
                        case .ack: consumer.ack(delivery)
                        case .retry: consumer.reject(delivery, requeue: true)
                        }
                        Counter(label: "hotline_messages_consumed_total", dimensions: [
                            ("queue", queue), ("type", type), ("outcome", disposition == .ack ? "ack" : "retry"),
                        ]).increment()
                        Timer(label: "hotline_handling_seconds", dimensions: [("queue", queue)])
                            .recordInterval(since: started)
                    }
                }
                await group.waitForAll()
            }
        } onGracefulShutdown: {
            consumer.pause()
        }
        await consumer.stop()
    }
}

extension Timer {
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
