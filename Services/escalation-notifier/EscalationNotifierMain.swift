import HotlineRuntime

/// The escalation notifier: overdue tiers, early warnings and notifications. This release connects,
/// declares its queue and records the events it will act on; the rules come with its own issue.
@main
enum EscalationNotifierMain {
    static func main() async throws {
        try await ServiceRuntime.run(service: "escalation-notifier", defaultHTTPPort: 8084) { runtime in
            [runtime.recordingConsumer(of: .escalationEvents)]
        }
    }
}
