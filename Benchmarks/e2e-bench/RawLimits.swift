import Foundation
import HotlineMessaging
import HotlineStorage
import Synchronization

/// The raw limits of the same machine, measured with the platform's own clients
/// (`HotlineMessaging`'s `AMQPPublisher`/`AMQPConsumer` on rabbitmq-c, `HotlineStorage`'s `Database` on libpq).
enum RawLimits {
    struct BrokerResult {
        var messages: Int
        var bodyBytes: Int
        var publishRate: Double
        var consumeRate: Double
        var seconds: Double
    }

    /// Publishes `count` persistent messages of `bodyBytes` bytes with publisher confirms (pipelined,
    /// `inFlight` calls of `batch` messages outstanding) to a plain durable quorum queue, while one
    /// consumer (prefetch 200, manual ack of each) drains it.
    static func broker(amqpURL: String, count: Int, bodyBytes: Int, batch: Int = 100, inFlight: Int = 8) async throws -> BrokerResult {
        let configuration = try AMQPConfiguration(url: amqpURL)
        let queue = "hotline.bench.raw"
        let admin = AMQPAdmin(configuration: configuration)
        try? await admin.deleteQueue(queue)
        try await admin.declare(AMQPTopology(queues: [.init(queue, arguments: ["x-queue-type": .string("quorum")])]))
        let consumer = AMQPConsumer(
            configuration: configuration, queue: queue, topology: AMQPTopology(), prefetch: 200, logger: BenchEnvironment.logger)
        let received = SharedCounter()
        let lastReceived = Mutex<Date>(Date())
        let consuming = Task {
            for await delivery in consumer.deliveries {
                consumer.ack(delivery)
                if received.add() + 1 == count { lastReceived.withLock { $0 = Date() } }
            }
        }
        let deadline = Date().addingTimeInterval(30)
        while !consumer.isConnected, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }

        let publisher = AMQPPublisher(configuration: configuration, logger: BenchEnvironment.logger)
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: bodyBytes)
        let started = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running = 0
            var sent = 0
            while sent < count {
                let size = min(batch, count - sent)
                let messages = (0..<size).map { _ in
                    OutgoingMessage(
                        exchange: "", routingKey: queue,
                        properties: AMQPProperties(messageID: UUID().uuidString, type: "bench.raw", timestamp: Date()),
                        body: body, mandatory: false)
                }
                sent += size
                if running >= inFlight {
                    try await group.next()
                    running -= 1
                }
                running += 1
                group.addTask { _ = try await publisher.publish(messages) }
            }
            try await group.waitForAll()
        }
        let published = Date()
        let drainDeadline = Date().addingTimeInterval(120)
        while received.current < count, Date() < drainDeadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        let got = received.current
        let consumed = got >= count ? lastReceived.withLock { $0 } : Date()
        await publisher.shutdown()
        consumer.pause()
        await consumer.stop()
        consuming.cancel()
        try? await admin.deleteQueue(queue)
        let publishSeconds = published.timeIntervalSince(started)
        let consumeSeconds = consumed.timeIntervalSince(started)
        return BrokerResult(
            messages: count, bodyBytes: bodyBytes, publishRate: Double(count) / publishSeconds,
            consumeRate: Double(got) / consumeSeconds, seconds: consumeSeconds)
    }

    struct DatabaseResult {
        var rows: Int
        var connections: Int
        var rate: Double
    }

    /// Single-row INSERTs, each its own transaction (autocommit, synchronous commit as configured),
    /// from `connections` connections at once.
    static func database(url: String, count: Int, connections: Int, bodyBytes: Int) async throws -> DatabaseResult {
        let database = Database(url: url, applicationName: "hotline-bench-raw", size: connections, logger: BenchEnvironment.logger)
        _ = try await database.withConnection { connection in
            try connection.query("DROP TABLE IF EXISTS bench_raw_insert")
            try connection.query(
                "CREATE TABLE bench_raw_insert (id bigserial PRIMARY KEY, message_id text NOT NULL, body bytea NOT NULL, created_at timestamptz NOT NULL)")
        }
        // Open every connection first.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<connections { group.addTask { _ = try await database.withConnection { try $0.query("SELECT 1") } } }
            try await group.waitForAll()
        }
        let body = Data(repeating: UInt8(ascii: "x"), count: bodyBytes)
        let next = SharedCounter()
        let started = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<connections {
                group.addTask {
                    while next.add() < count {
                        _ = try await database.withConnection { connection in
                            try connection.query(
                                "INSERT INTO bench_raw_insert (message_id, body, created_at) VALUES ($1, $2, $3)",
                                [UUID().uuidString, body, Date()])
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let seconds = Date().timeIntervalSince(started)
        _ = try? await database.withConnection { try $0.query("DROP TABLE IF EXISTS bench_raw_insert") }
        await database.shutdown()
        return DatabaseResult(rows: count, connections: connections, rate: Double(count) / seconds)
    }
}
