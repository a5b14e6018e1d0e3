import HotlineMessaging

extension ServiceRuntime {
    /// A consumer of the service's own queue on `hotline.events`, bound to `eventTypes`, that
    /// applies `effect` once per event (deduplicated by `message_id`).
    public func eventConsumer(
        eventTypes: [String], effect: @escaping @Sendable (Delivery) -> [OutboxMessage] = { _ in [] }
    ) -> ConsumerService {
        let (queue, topology) = HotlineTopology.serviceQueue(
            service: configuration.service, purpose: "events", exchange: Exchange.events, routingKeys: eventTypes)
        let service = configuration.service
        return consumer(queue: queue, topology: topology) { delivery in
            await self.apply(delivery, consumer: service) { _, _ in effect(delivery) }
        }
    }
}
