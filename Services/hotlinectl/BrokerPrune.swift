import ArgumentParser
import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

extension Broker {
    /// `hotlinectl broker prune`: what retired units leave on the broker, removed once drained.
    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the queues and broker users of retired units once they are drained.",
            discussion: """
                A unit no longer in the jurisdiction is drained when it holds no live assignment (the dispatcher \
                hands them to its successor), no message for it waits in the outbox, and its queue holds no \
                message and has no consumer (stop the unit's system once it has read its cancellations). Its \
                queue and reply queue are then deleted over AMQP, and its broker user removed with rabbitmqctl: \
                deleted, or only stripped of this virtual host's permissions when it has others. Without \
                --apply, prints what it would do.
                """)

        @Flag(help: "Remove what is drained (default: print what would be removed).")
        var apply = false

        @Option(help: "How to run rabbitmqctl against the broker, split at spaces (e.g. \"sudo rabbitmqctl\").")
        var rabbitmqctl = "rabbitmqctl"

        func run() async throws {
            try await runReportingErrors {
                let retired = try await withDatabase { try await UnitDirectory.retiredUnits($0) }
                let admin = try CtlEnvironment().admin()
                let vhost = admin.configuration.virtualHost
                let broker = RabbitmqCtl(command: rabbitmqctl)
                if retired.isEmpty { print("no retired units") }
                var failed = 0
                for (code, pending) in retired {
                    do {
                        try await prune(code, pending: pending, admin: admin, broker: broker, vhost: vhost)
                    } catch {
                        failed += 1
                        FileHandle.standardError.write(Data("\(code): \(error)\n".utf8))
                    }
                }
                if failed > 0 { throw ValidationError("\(failed) retired unit(s) could not be pruned") }
            }
        }

        /// One retired unit: kept while it holds live assignments, messages on their way (in the outbox or
        /// its queue) or a consumer; else removed (with `--apply`). The broker cannot delete a quorum queue
        /// only if empty, so it is read just before.
        private func prune(
            _ code: String, pending: (live: Int, unpublished: Int), admin: AMQPAdmin, broker: RabbitmqCtl, vhost: String
        ) async throws {
            let queue = HotlineTopology.unitQueue(code)
            let status = try await admin.queueStatus(queue: queue)
            let (waiting, readers) = (status?.messages ?? 0, status?.consumers ?? 0)
            guard pending.live == 0, pending.unpublished == 0, waiting == 0, readers == 0 else {
                print("\(code): kept, not drained (\(pending.live) live assignments, \(pending.unpublished) messages in the "
                    + "outbox, \(waiting) messages and \(readers) consumers on \(queue))")
                return
            }
            let user = "unit.\(code)"
            var left: [String] = []
            for name in [queue, HotlineTopology.replyQueue(user)] where try await admin.queueStatus(queue: name) != nil {
                left.append(name)
            }
            guard apply else {
                print("\(code): drained; --apply deletes \(left.map { $0 + " and " }.joined())the broker user \(user)")
                return
            }
            for name in left { try await admin.deleteQueue(name) }
            let deleted = left.isEmpty ? "no queue left" : "deleted " + left.joined(separator: " and ")
            print("\(code): \(deleted); \(try await broker.removeUser(user, vhost: vhost))")
        }
    }
}

extension UnitDirectory {
    /// The units no longer in the jurisdiction, with the live assignments each still holds and the
    /// messages for it not yet published.
    static func retiredUnits(_ database: Database) async throws -> [(code: String, pending: (live: Int, unpublished: Int))] {
        try await database.withConnection { connection in
            try connection.query(
                """
                SELECT u.code,
                       (SELECT count(*) FROM assignments a WHERE a.unit = u.code AND a.state = ANY($1::text[])) AS live,
                       (SELECT count(*) FROM outbox o
                        WHERE o.published_at IS NULL AND o.exchange = $2 AND o.routing_key = u.code) AS unpublished
                FROM units u WHERE NOT u.active ORDER BY u.code
                """, [AssignmentLifecycle.liveStates.map(\.rawValue), Exchange.assignments]
            ).map { (try $0.decode("code"), (try $0.decode("live", as: Int.self), try $0.decode("unpublished", as: Int.self))) }
        }
    }
}
