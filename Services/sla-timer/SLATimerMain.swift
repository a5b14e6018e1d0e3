import HotlineDomain
import HotlineMessaging
import HotlineRuntime

/// The SLA timer: owns every deadline of docs/rules.md "SLA timer". It follows the events that move an
/// assignment's deadlines and keeps one durable timer per deadline and purpose in PostgreSQL, which
/// its poller fires (`sla.warning`, `sla.breached`, the daily overdue ticks), and answers the
/// extension commands.
///
/// Settings besides the common ones: `HOTLINE_TIMER_POLL_SECONDS` (longest sleep between polls,
/// default 1), `HOTLINE_TIMER_BATCH` (timers per firing transaction, default 500),
/// `HOTLINE_TIMER_KEEP_FIRED_DAYS` (fired timers kept, default 60).
@main
enum SLATimerMain {
    static func main() async throws {
        try await ServiceRuntime.run(service: "sla-timer", defaultHTTPPort: 8083) { runtime in
            let settings = TimerSettings()
            let reference = runtime.reference
            let poller = TimerPoller(runtime: runtime, settings: settings)
            let events = DeadlineEvents(runtime: runtime, reference: reference, poller: poller, settings: settings)
            let commands = ExtensionCommands(runtime: runtime, reference: reference, poller: poller)
            runtime.logger.info("timer settings", metadata: [
                "poll_seconds": "\(settings.pollInterval)", "batch": "\(settings.batchSize)",
            ])
            return [
                poller,
                runtime.consumer(of: .slaTimerEvents) { delivery in await events.handle(delivery) },
                runtime.consumer(of: .slaTimerCommands) { delivery in await commands.handle(delivery) },
            ]
        }
    }
}
