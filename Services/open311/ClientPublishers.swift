import HotlineMessaging
import HotlineRuntime
import Logging
import Synchronization

/// One broker connection per Open311 client, as its own broker user `open311.<name>`, made on the
/// client's first request: the broker checks each submission's `user_id` against it.
final class ClientPublishers: Sendable {
    private let amqp: AMQPConfiguration
    private let logger: Logger
    private let publishers = Mutex<[String: AMQPPublisher]>([:])

    init(amqp: AMQPConfiguration, logger: Logger) {
        self.amqp = amqp
        self.logger = logger
    }

    func publisher(for client: Open311Clients.Client) -> AMQPPublisher {
        publishers.withLock { publishers in
            if let publisher = publishers[client.name] { return publisher }
            var configuration = amqp
            configuration.user = client.brokerUser
            configuration.password = client.brokerPassword
            let publisher = AMQPPublisher(configuration: configuration, confirmTimeout: 10, logger: logger)
            publishers[client.name] = publisher
            return publisher
        }
    }

    func shutdown() async {
        for publisher in publishers.withLock({ Array($0.values) }) { await publisher.shutdown() }
    }
}
