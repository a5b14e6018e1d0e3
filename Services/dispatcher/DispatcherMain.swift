import HotlineDomain
import HotlineMessaging
import HotlineRuntime

@main
enum DispatcherMain {
    static func main() async throws {
        try await ServiceRuntime.run(service: "dispatcher", defaultHTTPPort: 8082) { runtime in
            let reference = runtime.reference
            let events = LifecycleEvents(runtime: runtime, reference: reference, dispatch: TicketDispatch(runtime: runtime))
            let commands = CommandProcessing(runtime: runtime, reference: reference)
            return [
                runtime.consumer(of: .dispatcherEvents) { delivery in await events.handle(delivery) },
                runtime.consumer(of: .dispatcherCommands) { delivery in await commands.handle(delivery) },
                AssignmentGauges(runtime: runtime),
                RetiredUnitHandover(runtime: runtime),
            ]
        }
    }
}
