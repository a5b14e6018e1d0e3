/// One-off broker operations for operators and tests: declare a topology, inspect a queue,
/// publish with a confirm. Each call opens its own short connection on a thread of its own.
public struct AMQPAdmin: Sendable {
    public let configuration: AMQPConfiguration

    public init(configuration: AMQPConfiguration) {
        self.configuration = configuration
    }

    public func declare(_ topology: AMQPTopology) async throws {
        try await withConnection { try topology.declare(on: $0) }
    }

    /// The number of ready messages in a queue, or nil when it does not exist.
    public func messageCount(queue: String) async throws -> Int? {
        try await queueStatus(queue: queue)?.messages
    }

    /// A queue's ready messages and consumers, or nil when it does not exist.
    public func queueStatus(queue: String) async throws -> (messages: Int, consumers: Int)? {
        try await withConnection { try $0.queueStatus(queue) }
    }

    func withConnection<T: Sendable>(_ body: @escaping @Sendable (AMQPConnection) throws -> T) async throws -> T {
        let configuration = self.configuration
        return try await BlockingThread.run(name: "amqp-admin") {
            let connection = try AMQPConnection(configuration)
            defer { connection.close() }
            return try body(connection)
        }
    }
}

extension AMQPAdmin {
    /// Declares a plain durable queue bound to `exchange` with `routingKeys` (for observers and tests).
    public func declareObserver(queue: String, exchange: String, routingKeys: [String]) async throws {
        try await withConnection { connection in
            try connection.declareQueue(queue, arguments: [:])
            for key in routingKeys { try connection.bind(queue: queue, exchange: exchange, routingKey: key) }
        }
    }

    public func deleteQueue(_ queue: String) async throws {
        try await withConnection { try $0.deleteQueue(queue) }
    }

    public func purgeQueue(_ queue: String) async throws {
        try await withConnection { try $0.purgeQueue(queue) }
    }
}
