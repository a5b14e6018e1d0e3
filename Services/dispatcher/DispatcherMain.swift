import HotlineDomain
import HotlineMessaging
import HotlineRuntime

@main
enum DispatcherMain {
    static func main() async throws {
        try await ServiceRuntime.run(service: "dispatcher", defaultHTTPPort: 8082) { runtime in
            let reference = runtime.referenceData()
            let events = LifecycleEvents(runtime: runtime, reference: reference, dispatch: TicketDispatch(runtime: runtime))
            let commands = CommandProcessing(runtime: runtime, reference: reference)
            let (eventQueue, eventTopology) = HotlineTopology.serviceQueue(
                service: "dispatcher", purpose: "events", exchange: Exchange.events, routingKeys: LifecycleEvents.eventTypes)
            let (commandQueue, commandTopology) = HotlineTopology.serviceQueue(
                service: "dispatcher", purpose: "commands", exchange: Exchange.commands,
                routingKeys: DispatcherCommandRouting.bindings)
            return [
                runtime.consumer(queue: eventQueue, topology: eventTopology + HotlineTopology.core) { delivery in
                    await events.handle(delivery)
                },
                runtime.consumer(queue: commandQueue, topology: commandTopology) { delivery in
                    await commands.handle(delivery)
                },
            ]
        }
    }
}
