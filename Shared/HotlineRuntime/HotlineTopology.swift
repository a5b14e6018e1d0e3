import HotlineDomain
import HotlineMessaging

/// The broker topology of docs/contract.md "Exchanges and queues": exchanges, the contract's queues, unit queues, reply queues
/// and the services' private queues. Every queue is a durable quorum queue that dead-letters to
/// `hotline.dlx` after a bounded number of deliveries.
public enum HotlineTopology {
    public static let submissionsQueue = "hotline.intake.submissions"
    /// The consumer name under which intake keeps the submissions it cannot read (`invalid_messages`).
    public static let submissionsConsumer = "intake"
    public static let manualDispatchQueue = "hotline.dispatch.manual"
    public static let deadQueue = "hotline.dead"
    public static let notificationQueues = ["sms": "hotline.notify.sms", "oa": "hotline.notify.oa", "phone": "hotline.notify.phone"]
    /// Deliveries before a message is dead-lettered (`x-delivery-limit`).
    public static let deliveryLimit = 10

    public static func unitQueue(_ unit: String) -> String { "hotline.unit.\(unit)" }
    public static func replyQueue(_ user: String) -> String { "hotline.reply.\(user)" }
    /// A service's own queue on `hotline.events` or `hotline.commands`.
    public static func serviceQueue(_ service: String, _ purpose: String) -> String { "hotline.\(service).\(purpose)" }

    public static var queueArguments: [String: QueueArgument] {
        [
            "x-queue-type": .string("quorum"),
            "x-dead-letter-exchange": .string(Exchange.deadLetters),
            "x-delivery-limit": .int(deliveryLimit),
        ]
    }

    public static let exchanges: [AMQPTopology.Exchange] = [
        .init(Exchange.intake, type: "direct"),
        .init(Exchange.commands, type: "topic"),
        .init(Exchange.events, type: "topic"),
        .init(Exchange.assignments, type: "direct"),
        .init(Exchange.notifications, type: "topic"),
        .init(Exchange.direct, type: "direct"),
        .init(Exchange.deadLetters, type: "topic"),
    ]

    /// The client users that get a reply queue besides the units.
    public static let clientUsers = ["gateway", "center", "survey"]

    /// The submissions queue intake consumes, bound to `hotline.intake`.
    public static var submissions: AMQPTopology {
        AMQPTopology(
            exchanges: [], queues: [.init(submissionsQueue, arguments: queueArguments)],
            bindings: [.init(queue: submissionsQueue, exchange: Exchange.intake, routingKey: "ticket.submit")])
    }

    /// A queue the platform addresses by name through `hotline.direct` (routing key = the queue's name).
    static func direct(_ queue: String) -> AMQPTopology.Binding {
        .init(queue: queue, exchange: Exchange.direct, routingKey: queue)
    }

    /// Exchanges and the contract's fixed queues.
    public static var core: AMQPTopology {
        var queues: [AMQPTopology.Queue] = submissions.queues + [
            .init(manualDispatchQueue, arguments: queueArguments),
            .init(deadQueue, arguments: ["x-queue-type": .string("quorum")]),
        ]
        var bindings: [AMQPTopology.Binding] = submissions.bindings + [
            direct(manualDispatchQueue),
            .init(queue: deadQueue, exchange: Exchange.deadLetters, routingKey: "#"),
        ]
        for (channel, queue) in notificationQueues.sorted(by: { $0.key < $1.key }) {
            queues.append(.init(queue, arguments: queueArguments))
            bindings.append(.init(queue: queue, exchange: Exchange.notifications, routingKey: "\(channel).#"))
        }
        for user in clientUsers {
            queues.append(.init(replyQueue(user), arguments: queueArguments))
            bindings.append(direct(replyQueue(user)))
        }
        for queue in ServiceQueue.all {
            let own = queue.topology
            queues += own.queues
            bindings += own.bindings
        }
        return AMQPTopology(exchanges: exchanges, queues: queues, bindings: bindings)
    }

    /// A unit's assignment queue and reply queue.
    public static func unit(_ code: String) -> AMQPTopology {
        AMQPTopology(
            exchanges: exchanges,
            queues: [.init(unitQueue(code), arguments: queueArguments), .init(replyQueue("unit.\(code)"), arguments: queueArguments)],
            bindings: [
                .init(queue: unitQueue(code), exchange: Exchange.assignments, routingKey: code),
                direct(replyQueue("unit.\(code)")),
            ])
    }

    /// The names of a service's announcement queues (`announcements(service:process:)`) begin so.
    public static func announcementQueuePrefix(_ service: String) -> String { "hotline.\(service).announcements." }

    /// How long an announcement queue stays once nobody consumes it (`x-expires`, ms): a process
    /// reconnecting within it keeps what was announced meanwhile; a process gone leaves nothing behind.
    public static let announcementQueueExpiry = 120_000

    /// One running process's own queue for announcements to every copy of every service
    /// (`reference.changed`): a quorum queue like every other (dead-letter exchange, delivery limit),
    /// removed by the broker once unused.
    public static func announcements(service: String, process: String) -> (queue: String, topology: AMQPTopology) {
        let queue = announcementQueuePrefix(service) + process
        var arguments = queueArguments
        arguments["x-expires"] = .int(announcementQueueExpiry)
        return (queue, AMQPTopology(
            exchanges: [], queues: [.init(queue, arguments: arguments)],
            bindings: [.init(queue: queue, exchange: Exchange.events, routingKey: EventType.referenceChanged.routingKey)]))
    }

    /// A service's private queue bound to `exchange` with the given routing keys.
    public static func serviceQueue(
        service: String, purpose: String, exchange: String, routingKeys: [String]
    ) -> (queue: String, topology: AMQPTopology) {
        let queue = serviceQueue(service, purpose)
        return (queue, AMQPTopology(
            exchanges: [], queues: [.init(queue, arguments: queueArguments)],
            bindings: routingKeys.map { .init(queue: queue, exchange: exchange, routingKey: $0) }))
    }
}
