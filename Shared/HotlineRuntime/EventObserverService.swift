import HotlineMessaging

extension ServiceRuntime {
    /// A consumer of one of the services' own queues that records each message once (deduplicated
    /// by `message_id`) and has no other effect yet: for services whose rules are still to come.
    public func recordingConsumer(of queue: ServiceQueue) -> ConsumerService {
        let service = configuration.service
        return consumer(of: queue) { delivery in
            await self.apply(delivery, consumer: service) { _, _ in [] }
        }
    }
}
