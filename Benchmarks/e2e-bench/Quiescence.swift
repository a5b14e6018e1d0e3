import Foundation
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

/// Waits until the platform has finished the work it was given, so that a phase's cost is read
/// after it: the services' own queues (`hotline.intake.submissions`, `hotline.<service>.events` and
/// `hotline.<service>.commands`) hold no ready message, no outbox row is unpublished, and no service
/// finished handling a message (the sum of their `hotline_messages_consumed_total` stays put), over
/// `quiet` seconds in a row; at most `timeout` seconds.
struct Quiescence: Sendable {
    struct Result: Sendable {
        var reached: Bool
        /// From the call until quiet (or the timeout).
        var seconds: Double
        /// What was still pending when it gave up.
        var pending: String
        /// Transactions of its own outbox check, to take off the phase's commits.
        var transactions: Int

        /// "quiet 2.1 s after EVENT", or what was still pending when the timeout came.
        func text(after event: String) -> String {
            reached ? String(format: "quiet %.1f s after %@", seconds, event)
                : String(format: "still busy %.0f s after %@ (%@; read then)", seconds, event, pending)
        }
    }

    let admin: AMQPAdmin
    let database: Database
    let fleet: ServiceFleet
    /// The services' queues (as `HotlineTopology` and `ServiceQueue` name them) that exist in this sandbox.
    let queues: [String]

    init(admin: AMQPAdmin, database: Database, fleet: ServiceFleet) async {
        var queues: [String] = []
        for queue in [HotlineTopology.submissionsQueue] + ServiceQueue.all.map(\.name) where (try? await admin.messageCount(queue: queue)) != nil { queues.append(queue) }
        self.admin = admin
        self.database = database
        self.fleet = fleet
        self.queues = queues
    }

    func wait(quiet: TimeInterval = 1, timeout: TimeInterval = 120) async -> Result {
        let started = Date()
        var quietSince: Date?
        var lastConsumed: Double?
        var transactions = 0
        while true {
            var pending: [String] = []
            for queue in queues {
                switch try? await admin.messageCount(queue: queue) {
                case 0?: break
                case let n?: pending.append("\(queue) \(n) ready")
                case nil: pending.append("\(queue) unreadable")
                }
            }
            transactions += 1
            let unpublished = try? await database.int("SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL")
            if unpublished != 0 { pending.append("outbox \(unpublished.map(String.init) ?? "?") unpublished") }
            var consumed = 0.0
            for member in fleet.members {
                let text = await HTTP.text(port: member.port, path: "/metrics") ?? ""
                consumed += PrometheusText.sum(text, metric: "hotline_messages_consumed_total")[""] ?? 0
            }
            if let lastConsumed, consumed != lastConsumed { pending.append("\(Int(consumed - lastConsumed)) handled meanwhile") }
            lastConsumed = consumed

            let now = Date()
            if pending.isEmpty {
                if let since = quietSince, now.timeIntervalSince(since) >= quiet {
                    return Result(reached: true, seconds: now.timeIntervalSince(started), pending: "", transactions: transactions)
                }
                quietSince = quietSince ?? now
            } else {
                quietSince = nil
            }
            if now.timeIntervalSince(started) >= timeout {
                return Result(
                    reached: false, seconds: now.timeIntervalSince(started), pending: pending.joined(separator: ", "),
                    transactions: transactions)
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }
}
