import Foundation
import HotlineMessaging
import HotlineRuntime
import Synchronization

/// A client of the platform acting as one broker user (a unit `unit.<code>`, `center`, `survey`):
/// publishes its commands on `hotline.commands` with `user_id` set and a fresh `message_id`, with
/// `reply_to` its own reply queue `hotline.reply.<user>` (the only queue besides its assignments that
/// such a user may read), which it consumes as that user, matching each outcome by `correlation_id`.
final class CommandClient: Sendable {
    /// A command's outcome: the event (or `command.rejected`) and its top-level string and number fields.
    struct Outcome: Sendable {
        var type: String
        var fields: [String: String]
        var milliseconds: Double

        func string(_ key: String) -> String? { fields[key] }
    }

    let user: String
    private let publisher: RetryingPublisher
    private let consumer: AMQPConsumer
    private let waiting = Mutex<[String: (started: ContinuousClock.Instant, continuation: CheckedContinuation<Outcome?, Never>)]>([:])
    private let consuming = Mutex<Task<Void, Never>?>(nil)
    /// Replies that matched no command awaited (late, after a timeout, or repeated).
    let unmatched = Atomic<Int>(0)

    var replyQueue: String { HotlineTopology.replyQueue(user) }

    /// Empties the user's reply queue (leftovers of an earlier run) and starts consuming it.
    init(user: String, environment: BenchEnvironment, admin: AMQPAdmin) async throws {
        self.user = user
        let configuration = try AMQPConfiguration(url: try environment.amqpURL(user: user))
        let queue = HotlineTopology.replyQueue(user)
        guard try await admin.messageCount(queue: queue) != nil else { throw AMQPError(.server, "no queue \(queue)") }
        try await admin.purgeQueue(queue)
        publisher = try RetryingPublisher(url: try environment.amqpURL(user: user))
        consumer = AMQPConsumer(
            configuration: configuration, queue: queue, topology: AMQPTopology(), prefetch: 500, logger: BenchEnvironment.logger)
        let task = Task { [self] in
            for await delivery in consumer.deliveries {
                let received = ContinuousClock.now
                consumer.ack(delivery)
                let id = delivery.properties.correlationID ?? ""
                guard let waiter = waiting.withLock({ $0.removeValue(forKey: id) }) else {
                    unmatched.add(1, ordering: .relaxed)
                    continue
                }
                let elapsed = received - waiter.started
                waiter.continuation.resume(returning: Outcome(
                    type: delivery.properties.type ?? "", fields: Self.fields(delivery.body),
                    milliseconds: Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15))
            }
        }
        consuming.withLock { $0 = task }
    }

    /// Publishes a command and returns its outcome, or nil when none came within `timeout` seconds.
    func send(_ type: String, _ body: [String: Any], timeout: TimeInterval) async -> Outcome? {
        let id = UUID().uuidString
        let message = OutgoingMessage(
            exchange: Exchange.commands, routingKey: type,
            properties: AMQPProperties(messageID: id, type: type, replyTo: replyQueue, userID: user, timestamp: Date()),
            body: Array((try? JSONSerialization.data(withJSONObject: body)) ?? Data()), mandatory: true)
        return await withCheckedContinuation { continuation in
            waiting.withLock { $0[id] = (ContinuousClock.now, continuation) }
            Task { [self] in
                do {
                    try await publisher.publish([message])
                    try await Task.sleep(for: .seconds(timeout))
                } catch {}
                waiting.withLock { $0.removeValue(forKey: id) }?.continuation.resume(returning: nil)
            }
        }
    }

    func stop() async {
        await publisher.publisher.shutdown()
        consumer.pause()
        await consumer.stop()
        consuming.withLock { $0 }?.cancel()
        for waiter in waiting.withLock({ state in defer { state = [:] }; return Array(state.values) }) {
            waiter.continuation.resume(returning: nil)
        }
    }

    /// The top-level fields of a JSON object that are strings, numbers or booleans, as text.
    static func fields(_ body: [UInt8]) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return [:] }
        var result: [String: String] = [:]
        for (key, value) in object {
            switch value {
            case let text as String: result[key] = text
            case let number as NSNumber: result[key] = number.description
            default: break
            }
        }
        return result
    }
}
