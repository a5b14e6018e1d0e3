import Foundation
@testable import HotlineMessaging
@testable import HotlineRuntime
import HotlineStorage
import Synchronization
import XCTest

/// The batched message core against the real servers: handlers of one batch commit together, a
/// failing effect is left out alone, duplicates do nothing, and the committed rows are published by
/// the process itself and marked published.
final class MessageBatchTests: XCTestCase {
    private struct Refused: Error {}

    /// A runtime of this test process, its relay running.
    private struct Harness {
        let runtime: ServiceRuntime
        let relaying: Task<Void, any Error>
        let database: Database

        init(stack: TestStack) throws {
            let amqp = try AMQPConfiguration(url: stack.adminAMQPURL)
            database = stack.database()
            let publisher = AMQPPublisher(configuration: amqp, logger: TestStack.logger)
            let relay = OutboxRelay(
                service: "batch-test", database: database, publisher: publisher, clock: SystemClock(), batchSize: 500, idleInterval: 0.05,
                logger: TestStack.logger)
            runtime = ServiceRuntime(
                configuration: ServiceConfiguration(service: "batch-test", defaultHTTPPort: 0, environment: [:]),
                amqp: amqp, clock: SystemClock(), logger: TestStack.logger, database: database, publisher: publisher,
                relay: relay)
            relaying = Task { try await relay.run() }
        }

        func stop() async {
            relaying.cancel()
            _ = await relaying.result
            await runtime.publisher.shutdown()
        }

        /// Messages recorded in `processed_messages` for `consumer`.
        func processedCount(_ consumer: String) async throws -> Int? {
            try await database.withConnection { connection in
                try connection.query("SELECT count(*) AS n FROM processed_messages WHERE consumer = $1", [consumer])
                    .first?.decode("n", as: Int.self)
            }
        }

        /// Runs each delivery's handler at once as one batch, as `ConsumerService` does.
        func handleAsOneBatch(
            _ deliveries: [Delivery], handler: @escaping @Sendable (Delivery) async -> Disposition
        ) async -> [Disposition] {
            let batch = MessageBatch(handlers: deliveries.count, runtime: runtime)
            return await withTaskGroup(of: (Int, Disposition).self) { group in
                for (index, delivery) in deliveries.enumerated() {
                    group.addTask { (index, await batch.run(position: index) { await handler(delivery) }) }
                }
                var dispositions = [Disposition](repeating: .retry, count: deliveries.count)
                for await (index, disposition) in group { dispositions[index] = disposition }
                return dispositions
            }
        }
    }

    private func delivery(_ messageID: String, type: String = "test.batch") -> Delivery {
        Delivery(
            exchange: Exchange.events, routingKey: type, properties: AMQPProperties(messageID: messageID, type: type),
            body: Array("{}".utf8), redelivered: false, deliveryTag: 1, generation: 1)
    }

    /// An observer of a new routing key (`<prefix>.<random>`) on `hotline.events`, and one outbox
    /// message per name under that key (message id `<routing key>-<name>`) to `exchange(name)`.
    private func observedMessages(
        _ names: [String], prefix: String, stack: TestStack, exchange: (String) -> String = { _ in Exchange.events }
    ) async -> (routingKey: String, observer: Observer, messages: [OutboxMessage]) {
        let routingKey = "\(prefix).\(UUID().uuidString.prefix(8))"
        let observer = Observer.bound(to: Exchange.events, routingKeys: [routingKey], stack: stack)
        await observer.waitUntilConnected()
        let messages = names.map { name in
            OutboxMessage(
                exchange: exchange(name), routingKey: routingKey, messageID: "\(routingKey)-\(name)", type: routingKey,
                mandatory: false, body: Data("{}".utf8))
        }
        return (routingKey, observer, messages)
    }

    func testAFailingEffectIsLeftOutAloneAndTheRestOfTheBatchCommitsAndIsPublished() async throws {
        let stack = try TestStack.fromEnvironment()
        let harness = try Harness(stack: stack)
        let routingKey = "test.batch.\(UUID().uuidString.prefix(8))"
        let observer = Observer.bound(to: Exchange.events, routingKeys: [routingKey], stack: stack)
        await observer.waitUntilConnected()
        let consumer = "batch-test-\(UUID().uuidString.prefix(8))"
        let ids = (0..<5).map { "\(consumer)-\($0)" }
        let handled = Mutex<[String]>([])

        // Message 2 writes, then fails: nothing of it may stay; the four others commit and publish.
        let dispositions = await harness.handleAsOneBatch(ids.map { delivery($0) }) { delivery in
            await harness.runtime.apply(delivery, consumer: consumer) { connection, _ in
                let id = delivery.messageKey
                handled.withLock { $0.append(id) }
                connection.write(
                    "INSERT INTO processed_messages (consumer, message_id, processed_at) VALUES ($1, $2, now())",
                    [consumer + "-partial", id])
                if id == ids[2] { throw Refused() }
                return [OutboxMessage(
                    exchange: Exchange.events, routingKey: routingKey, messageID: "event-" + id, type: routingKey,
                    mandatory: false, body: Data("{}".utf8))]
            }
        }
        XCTAssertEqual(dispositions, [.ack, .ack, .retry, .ack, .ack])

        let recorded = try await harness.database.withConnection { connection in
            try connection.query(
                "SELECT consumer, message_id FROM processed_messages WHERE consumer LIKE $1 ORDER BY message_id",
                [consumer + "%"]).map { "\(try $0.decode("consumer", as: String.self))/\(try $0.decode("message_id", as: String.self))" }
        }
        let kept = [0, 1, 3, 4].map { ids[$0] }
        XCTAssertEqual(
            Set(recorded), Set(kept.map { "\(consumer)/\($0)" } + kept.map { "\(consumer)-partial/\($0)" }),
            "the failing message's claim and partial write are rolled back, the others' committed")
        XCTAssertGreaterThanOrEqual(handled.withLock { $0.count }, 5)

        let published = await observer.wait(for: 4, timeout: 20) { $0.routingKey == routingKey }
        XCTAssertEqual(Set(published.compactMap(\.properties.messageID)), Set(kept.map { "event-" + $0 }))

        // The relay marks the rows published without a pass over due rows (they are leased).
        var unpublished = -1
        let deadline = Date().addingTimeInterval(10)
        repeat {
            try await Task.sleep(for: .milliseconds(100))
            unpublished = try await harness.database.withConnection { connection in
                try connection.query(
                    "SELECT count(*) AS n FROM outbox WHERE routing_key = $1 AND published_at IS NULL", [routingKey]
                ).first?.decode("n", as: Int.self) ?? -1
            }
        } while unpublished != 0 && Date() < deadline
        XCTAssertEqual(unpublished, 0, "published rows are marked")
        await observer.close(deleting: true, stack: stack)
        await harness.stop()
    }

    func testAWriteThatFailsAfterItsEffectReturnedIsStillItsMessagesFailure() async throws {
        let stack = try TestStack.fromEnvironment()
        let harness = try Harness(stack: stack)
        let consumer = "batch-test-\(UUID().uuidString.prefix(8))"
        let ids = (0..<3).map { "\(consumer)-\($0)" }
        // Each effect reads, then queues a write and returns; message 1's write breaks a constraint,
        // which the server reports only with the next effect's read.
        let dispositions = await harness.handleAsOneBatch(ids.map { delivery($0) }) { delivery in
            await harness.runtime.apply(delivery, consumer: consumer) { connection, _ in
                let id = delivery.messageKey
                _ = try connection.query("SELECT 1 AS n")
                connection.write(
                    "INSERT INTO processed_messages (consumer, message_id, processed_at) VALUES ($1, $2, now())",
                    [consumer + "-partial", id == ids[1] ? nil : id])
                return []
            }
        }
        XCTAssertEqual(dispositions, [.ack, .retry, .ack])
        let recorded = try await harness.database.withConnection { connection in
            try connection.query(
                "SELECT message_id FROM processed_messages WHERE consumer LIKE $1 ORDER BY message_id", [consumer + "%"]
            ).map { try $0.decode("message_id", as: String.self) }
        }
        XCTAssertEqual(recorded, [ids[0], ids[0], ids[2], ids[2]], "the others' claims and writes are committed")
        await harness.stop()
    }

    /// A relay publishes its own service's rows and rows older than the `publisher` column, never
    /// another service's (whose broker user may publish what this one's may not).
    func testTheRelayPublishesOnlyItsOwnServicesRows() async throws {
        let stack = try TestStack.fromEnvironment()
        let (routingKey, observer, messages) = await observedMessages(["own", "foreign", "legacy"], prefix: "test.relay", stack: stack)
        let database = stack.database()
        let (foreign, legacy) = try await database.transaction { connection -> (Int64, Int64) in
            let now = Date()
            try Outbox.enqueue([messages[0]], by: "batch-test", on: connection, now: now)
            let foreign = try Outbox.enqueue([messages[1]], by: "another-service", on: connection, now: now)[0]
            let legacy = try Outbox.enqueue([messages[2]], by: "batch-test", on: connection, now: now)[0]
            try connection.query("UPDATE outbox SET publisher = NULL WHERE id = $1", [legacy])
            return (foreign, legacy)
        }
        let harness = try Harness(stack: stack)
        let published = await observer.wait(for: 2, timeout: 20) { $0.routingKey == routingKey }
        XCTAssertEqual(Set(published.compactMap(\.properties.messageID)), ["\(routingKey)-own", "\(routingKey)-legacy"])
        // Many passes later (every 50 ms), the other service's row is still untouched.
        try await Task.sleep(for: .seconds(1))
        let rows = try await database.withConnection { connection in
            try connection.query(
                "SELECT id, attempts FROM outbox WHERE routing_key = $1 ORDER BY id",
                [routingKey]).map { (try $0.decode("id", as: Int64.self), try $0.decode("attempts", as: Int.self)) }
        }
        XCTAssertEqual(rows.first { $0.0 == foreign }?.1, 0, "another service's row is never claimed")
        XCTAssertFalse(observer.messages.contains { $0.properties.messageID == "\(routingKey)-foreign" })
        XCTAssertNotNil(rows.first { $0.0 == legacy })
        _ = try await database.withConnection { try $0.query("DELETE FROM outbox WHERE routing_key = $1", [routingKey]) }
        await observer.close(deleting: true, stack: stack)
        await harness.stop()
    }

    /// A row the broker refuses (here: to an exchange that does not exist; in production, one the
    /// service's user may not write) waits alone with its reason; the rows claimed with it go out.
    func testARowTheBrokerRefusesDoesNotHoldBackTheOthers() async throws {
        let stack = try TestStack.fromEnvironment()
        let (routingKey, observer, messages) = await observedMessages(
            ["first", "refused", "last"], prefix: "test.refused", stack: stack,
            exchange: { $0 == "refused" ? "hotline.no-such-exchange" : Exchange.events })
        let database = stack.database()
        _ = try await database.transaction { try Outbox.enqueue(messages, by: "batch-test", on: $0, now: Date()) }
        let harness = try Harness(stack: stack)
        // A row published before the refusal closed the channel may come twice (consumers deduplicate).
        let published = await observer.wait(forDistinct: 2, timeout: 20, key: \.properties.messageID) { $0.routingKey == routingKey }
        XCTAssertEqual(Set(published.compactMap(\.properties.messageID)), ["\(routingKey)-first", "\(routingKey)-last"])
        let refused = try await database.withConnection { connection in
            try connection.query(
                "SELECT last_error, published_at IS NULL AS pending FROM outbox WHERE message_id = $1",
                ["\(routingKey)-refused"]).first
        }
        XCTAssertEqual(try refused?.decode("pending", as: Bool.self), true)
        let reason: String? = try refused?.decodeIfPresent("last_error")
        XCTAssertTrue(reason?.contains("NOT_FOUND") == true, "the reason is kept: \(reason ?? "none")")

        // The operator sees it waiting, with the broker's reason (`hotlinectl outbox list`).
        let listed = try await Ctl.run(stack, ["outbox", "list", "--json", "--limit", "100000"])
        XCTAssertEqual(listed.status, 0, listed.error)
        let groups = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]])
        let waiting = try XCTUnwrap(groups.first { $0["routing_key"] as? String == routingKey && $0["exchange"] as? String == "hotline.no-such-exchange" })
        XCTAssertEqual(waiting["count"] as? Int, 1)
        XCTAssertEqual(waiting["publisher"] as? String, "batch-test")
        XCTAssertTrue((waiting["last_error"] as? String)?.contains("NOT_FOUND") == true, "\(waiting)")
        XCTAssertGreaterThanOrEqual(waiting["attempts"] as? Int ?? 0, 1)
        let text = try await Ctl.run(stack, ["outbox", "list", "--limit", "100000"])
        XCTAssertTrue(text.output.contains("hotline.no-such-exchange / \(routingKey) / "), text.output)
        XCTAssertTrue(text.output.contains("last error: refused by the broker"), text.output)
        _ = try await database.withConnection { try $0.query("DELETE FROM outbox WHERE routing_key = $1", [routingKey]) }
        await observer.close(deleting: true, stack: stack)
        await harness.stop()
    }

    func testTheSameMessageTwiceInABatchAndAgainLaterIsAppliedOnce() async throws {
        let stack = try TestStack.fromEnvironment()
        let harness = try Harness(stack: stack)
        let consumer = "batch-test-\(UUID().uuidString.prefix(8))"
        let applied = Mutex(0)
        let handler: @Sendable (Delivery) async -> Disposition = { delivery in
            await harness.runtime.apply(delivery, consumer: consumer) { _, _ in
                applied.withLock { $0 += 1 }
                return []
            }
        }
        let first = await harness.handleAsOneBatch([delivery("same"), delivery("same"), delivery("other")], handler: handler)
        XCTAssertEqual(first, [.ack, .ack, .ack])
        XCTAssertEqual(applied.withLock { $0 }, 2, "the second copy in the batch is a duplicate")
        let again = await harness.handleAsOneBatch([delivery("same")], handler: handler)
        XCTAssertEqual(again, [.ack])
        XCTAssertEqual(applied.withLock { $0 }, 2, "a later copy is a duplicate")

        // Outside a consumer (no batch), the same path in a transaction of its own.
        _ = await handler(delivery("alone"))
        _ = await handler(delivery("alone"))
        XCTAssertEqual(applied.withLock { $0 }, 3)
        await harness.stop()
    }

    /// Handlers decide concurrently and submit in any order; their effects run in delivery order (two
    /// events of one ticket in a batch are applied as they were published).
    func testEffectsRunInDeliveryOrderWhateverOrderTheHandlersSubmitIn() async throws {
        let stack = try TestStack.fromEnvironment()
        let harness = try Harness(stack: stack)
        let consumer = "batch-test-\(UUID().uuidString.prefix(8))"
        let names = (0..<5).map { "\(consumer)-\($0)" }
        let applied = Mutex<[String]>([])
        let dispositions = await harness.handleAsOneBatch(names.map { delivery($0) }) { delivery in
            // The last delivery submits first.
            let index = Int(delivery.messageKey.split(separator: "-").last ?? "") ?? 0
            try? await Task.sleep(for: .milliseconds(30 * (5 - index)))
            return await harness.runtime.apply(delivery, consumer: consumer) { _, _ in
                applied.withLock { $0.append(delivery.messageKey) }
                return []
            }
        }
        XCTAssertEqual(dispositions, [.ack, .ack, .ack, .ack, .ack])
        XCTAssertEqual(applied.withLock { $0 }, names)
        await harness.stop()
    }

    func testHandlersWithoutWorkDoNotHoldTheBatch() async throws {
        let stack = try TestStack.fromEnvironment()
        let harness = try Harness(stack: stack)
        let consumer = "batch-test-\(UUID().uuidString.prefix(8))"
        let dispositions = await harness.handleAsOneBatch(
            [delivery("\(consumer)-a"), delivery("\(consumer)-skip"), delivery("\(consumer)-b")]
        ) { delivery in
            if delivery.messageKey.hasSuffix("skip") { return .ack }
            return await harness.runtime.apply(delivery, consumer: consumer) { _, _ in [] }
        }
        XCTAssertEqual(dispositions, [.ack, .ack, .ack])
        let count = try await harness.processedCount(consumer)
        XCTAssertEqual(count, 2)
        await harness.stop()
    }

    func testAMessageThatBreaksABatchStatementFailsAloneAndTheOthersCommit() async throws {
        let stack = try TestStack.fromEnvironment()
        let harness = try Harness(stack: stack)
        let consumer = "batch-test-\(UUID().uuidString.prefix(8))"
        // A key too large for the inbox's index (random, so that it does not compress) breaks the
        // batch's claim statement.
        let huge = (0..<250).map { _ in UUID().uuidString }.joined()
        let ids = ["\(consumer)-a", "\(consumer)-\(huge)", "\(consumer)-b"]
        let dispositions = await harness.handleAsOneBatch(ids.map { delivery($0) }) { delivery in
            await harness.runtime.apply(delivery, consumer: consumer) { _, _ in [] }
        }
        XCTAssertEqual(dispositions, [.ack, .retry, .ack])
        let count = try await harness.processedCount(consumer)
        XCTAssertEqual(count, 2)
        await harness.stop()
    }
}
