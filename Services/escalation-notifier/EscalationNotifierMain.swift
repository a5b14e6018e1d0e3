import Foundation
import HotlineDomain
import HotlineRuntime

/// The escalation notifier (docs/rules.md "Escalation and warnings", docs/contract.md "Notifications"): urging on
/// `sla.warning`, the overdue tiers of PS §19 on the daily `sla.breached` ticks, the early warnings of
/// PS §17 on accepted and merged demands, notifications that are never sent twice and that wait for
/// working hours when they are not urgent, and the quarterly red and yellow cards of PS §20(二) (at
/// each quarter's end, and on the center's `center.compute-cards`), the assessment's appeals and awards, and supervision (督办).
///
/// Settings besides the common ones: `HOTLINE_NOTIFY_POLL_SECONDS` (longest sleep of the release
/// poller, default 1).
@main
enum EscalationNotifierMain {
    static func main() async throws {
        try await ServiceRuntime.run(service: "escalation-notifier", defaultHTTPPort: 8084) { runtime in
            let reference = runtime.reference
            let events = NotifierEvents(runtime: runtime, reference: reference)
            let cards = CardCommands(runtime: runtime, reference: reference)
            let assessment = AssessmentCommands(runtime: runtime, reference: reference)
            let supervision = SupervisionCommands(runtime: runtime, reference: reference)
            let releaser = NotificationReleaser(runtime: runtime, reference: reference, settings: NotifierSettings())
            return [
                releaser,
                runtime.consumer(of: .escalationEvents) { delivery in await events.handle(delivery) },
                runtime.consumer(of: .escalationCommands) { delivery in
                    switch CommandType(rawValue: delivery.commandType) {
                    case .centerComputeCards: await cards.handle(delivery)
                    case .centerOpenSupervision, .unitAnswerSupervision, .centerEscalateSupervision, .centerCloseSupervision:
                        await supervision.handle(delivery)
                    default: await assessment.handle(delivery)
                    }
                },
            ]
        }
    }
}

/// The notifier's own settings.
struct NotifierSettings: Sendable {
    /// `HOTLINE_NOTIFY_POLL_SECONDS`: the longest the release poller sleeps (default 1).
    var pollInterval: Double
    /// Notifications one release pass publishes.
    var batchSize: Int

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        pollInterval = max(0.05, environment["HOTLINE_NOTIFY_POLL_SECONDS"].flatMap(Double.init) ?? 1)
        batchSize = 200
    }
}
