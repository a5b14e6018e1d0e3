/// Exchanges, queues and bindings to declare, idempotently, whenever a connection opens.
public struct AMQPTopology: Sendable, Equatable {
    public struct Exchange: Sendable, Equatable {
        public var name: String
        public var type: String
        public init(_ name: String, type: String) {
            self.name = name
            self.type = type
        }
    }

    public struct Queue: Sendable, Equatable {
        public var name: String
        public var arguments: [String: QueueArgument]
        public init(_ name: String, arguments: [String: QueueArgument]) {
            self.name = name
            self.arguments = arguments
        }
    }

    public struct Binding: Sendable, Equatable {
        public var queue: String
        public var exchange: String
        public var routingKey: String
        public init(queue: String, exchange: String, routingKey: String) {
            self.queue = queue
            self.exchange = exchange
            self.routingKey = routingKey
        }
    }

    public var exchanges: [Exchange]
    public var queues: [Queue]
    public var bindings: [Binding]

    public init(exchanges: [Exchange] = [], queues: [Queue] = [], bindings: [Binding] = []) {
        self.exchanges = exchanges
        self.queues = queues
        self.bindings = bindings
    }

    public static func + (lhs: AMQPTopology, rhs: AMQPTopology) -> AMQPTopology {
        AMQPTopology(
            exchanges: lhs.exchanges + rhs.exchanges, queues: lhs.queues + rhs.queues,
            bindings: lhs.bindings + rhs.bindings)
    }

    func declare(on connection: AMQPConnection) throws {
        for exchange in exchanges { try connection.declareExchange(exchange.name, type: exchange.type) }
        for queue in queues { try connection.declareQueue(queue.name, arguments: queue.arguments) }
        for binding in bindings {
            try connection.bind(queue: binding.queue, exchange: binding.exchange, routingKey: binding.routingKey)
        }
    }
}
