import Foundation
import HotlineMessaging
import Synchronization
import XCTest

/// Collects every message of a queue (a private test queue bound to an exchange, or a contract
/// queue such as a unit's) so that tests can wait for what they expect.
final class Observer: Sendable {
    struct Message: Sendable {
        let routingKey: String
        let properties: AMQPProperties
        let body: [UInt8]
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        }
        func string(_ key: String) -> String? { json[key] as? String }
    }

    let queue: String
    private let consumer: AMQPConsumer
    private let received = Mutex<[Message]>([])

    /// Observes a new private queue bound to `exchange` with `routingKeys` (deleted by `close`).
    static func bound(
        to exchange: String, routingKeys: [String] = ["#"], stack: TestStack
    ) -> Observer {
        let queue = "hotline.test.\(UUID().uuidString.prefix(8))"
        let topology = AMQPTopology(
            queues: [.init(queue, arguments: [:])],
            bindings: routingKeys.map { .init(queue: queue, exchange: exchange, routingKey: $0) })
        return Observer(queue: queue, url: stack.adminAMQPURL, topology: topology)
    }

    /// Observes an existing queue as `user` (a unit reading its assignments, a client its replies).
    static func existing(queue: String, user: String, stack: TestStack) -> Observer {
        Observer(queue: queue, url: stack.amqpURL(user: user), topology: AMQPTopology())
    }

    private init(queue: String, url: String, topology: AMQPTopology) {
        self.queue = queue
        consumer = AMQPConsumer(
            configuration: try! AMQPConfiguration(url: url), queue: queue, topology: topology, prefetch: 500,
            logger: TestStack.logger)
        Task { [self] in
            for await delivery in consumer.deliveries {
                received.withLock {
                    $0.append(Message(routingKey: delivery.routingKey, properties: delivery.properties, body: delivery.body))
                }
                consumer.ack(delivery)
            }
        }
    }

    var messages: [Message] { received.withLock { $0 } }

    /// Waits until `count` messages match and returns the matches; a timeout fails the test (and
    /// returns what matched by then).
    @discardableResult
    func wait(
        for count: Int = 1, timeout: TimeInterval = 30, file: StaticString = #filePath, line: UInt = #line,
        where match: @Sendable (Message) -> Bool
    ) async -> [Message] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let matches = messages.filter(match)
            if matches.count >= count { return matches }
            if Date() >= deadline {
                XCTFail("timed out after \(Int(timeout)) s waiting for \(count) messages on \(queue) (\(matches.count) came)",
                        file: file, line: line)
                return matches
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Waits until matches carry `count` distinct `key`s and returns every match; a timeout fails the
    /// test. At-least-once delivery may repeat a message (same event id) after a crash, so counting
    /// matches would end the wait early.
    @discardableResult
    func wait(
        forDistinct count: Int, timeout: TimeInterval = 30, file: StaticString = #filePath, line: UInt = #line,
        key: @Sendable (Message) -> String?, where match: @Sendable (Message) -> Bool
    ) async -> [Message] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let matches = messages.filter(match)
            let distinct = Set(matches.compactMap(key)).count
            if distinct >= count { return matches }
            if Date() >= deadline {
                XCTFail("timed out after \(Int(timeout)) s waiting for \(count) distinct messages on \(queue) (\(distinct) came)",
                        file: file, line: line)
                return matches
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    func waitUntilConnected(timeout: TimeInterval = 20, file: StaticString = #filePath, line: UInt = #line) async {
        let deadline = Date().addingTimeInterval(timeout)
        while !consumer.isConnected {
            if Date() >= deadline { return XCTFail("\(queue): not connected after \(Int(timeout)) s", file: file, line: line) }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    func close(deleting: Bool, stack: TestStack) async {
        consumer.pause()
        await consumer.stop()
        if deleting { try? await stack.admin().deleteQueue(queue) }
    }
}

/// Publishes as one of the platform's users, with `user_id` set as the contract requires.
struct TestPublisher: Sendable {
    let user: String
    let publisher: AMQPPublisher

    init(user: String, stack: TestStack) {
        self.init(user: user, url: stack.amqpURL(user: user))
    }

    /// Publishes as `user` through `url` (e.g. an `amqps://` one).
    init(user: String, url: String) {
        self.user = user
        publisher = AMQPPublisher(configuration: try! AMQPConfiguration(url: url), logger: TestStack.logger)
    }

    @discardableResult
    func publish(
        exchange: String, routingKey: String, type: String, body: [UInt8], messageID: String = UUID().uuidString,
        replyTo: String? = nil
    ) async throws -> String {
        let message = OutgoingMessage(
            exchange: exchange, routingKey: routingKey,
            properties: AMQPProperties(
                messageID: messageID, type: type, replyTo: replyTo, userID: user, timestamp: Date()),
            body: body, mandatory: false)
        let outcomes = try await publisher.publish([message])
        guard outcomes == [.confirmed] else { throw AMQPError(.unconfirmed, "publish \(type): \(outcomes)") }
        return messageID
    }

    /// Publishes many messages, pipelined, retrying whatever a broker restart left unconfirmed.
    func publishAll(_ messages: [OutgoingMessage]) async {
        var pending = messages
        while !pending.isEmpty {
            let chunk = Array(pending.prefix(100))
            if let outcomes = try? await publisher.publish(chunk), outcomes.allSatisfy({ $0 == .confirmed }) {
                pending.removeFirst(chunk.count)
            } else {
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    func close() async { await publisher.shutdown() }
}
