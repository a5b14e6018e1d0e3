import HotlineRuntime

/// The SLA timer: owns every deadline. This release connects, declares its queue and records the
/// assignment events it will time; deadline firing comes with the SLA timer's own issue.
@main
enum SLATimerMain {
    static func main() async throws {
        try await ServiceRuntime.run(service: "sla-timer", defaultHTTPPort: 8083) { runtime in
            [runtime.eventConsumer(eventTypes: ["ticket.dispatched", "assignment.#", "ticket.resolved", "ticket.reopened"])]
        }
    }
}
