import HotlineMessaging
import HotlineRuntime

@main
enum DispatcherMain {
    static func main() async throws {
        try await ServiceRuntime.run(service: "dispatcher", defaultHTTPPort: 8082) { runtime in
            let dispatch = TicketDispatch(runtime: runtime, reference: runtime.referenceData())
            let (queue, topology) = HotlineTopology.serviceQueue(
                service: "dispatcher", purpose: "events", exchange: Exchange.events, routingKeys: ["ticket.accepted"])
            return [
                runtime.consumer(queue: queue, topology: topology + HotlineTopology.core) { delivery in
                    await dispatch.handle(delivery)
                },
            ]
        }
    }
}
