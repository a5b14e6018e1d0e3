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
                hands them to its successor) and its queue no message and no consumer (stop the unit's system \
                first). Its queue and reply queue are then deleted over AMQP, and its broker user removed with rabbitmqctl: \
                deleted, or only stripped of this virtual host's permissions when it has others. Without \
                --apply, prints what it would do.
                """)

        @Flag(help: "Remove what is drained (default: print what would be removed).")
        var apply = false

        @Option(help: "How to run rabbitmqctl against the broker, split at spaces (e.g. \"sudo rabbitmqctl\").")
        var rabbitmqctl = "rabbitmqctl"

        @Option(help: "Virtual host; default the one HOTLINE_AMQP_URL names.")
        var vhost: String?

        func run() async throws {
            try await runReportingErrors {
                let retired = try await withDatabase { try await UnitDirectory.retiredUnits($0) }
                let admin = try CtlEnvironment().admin()
                let vhost = vhost ?? admin.configuration.virtualHost
                let broker = RabbitmqCtl(command: rabbitmqctl)
                if retired.isEmpty { print("no retired units") }
                var failed = 0
                for (code, live) in retired {
                    do {
                        try await prune(code, live: live, admin: admin, broker: broker, vhost: vhost)
                    } catch {
                        failed += 1
                        FileHandle.standardError.write(Data("\(code): \(error)\n".utf8))
                    }
                }
                if failed > 0 { throw ValidationError("\(failed) retired unit(s) could not be pruned") }
            }
        }

        /// One retired unit: kept while it holds live assignments, messages or a consumer; else removed
        /// (with `--apply`). The broker cannot delete a quorum queue only if empty, so it is read just before.
        private func prune(_ code: String, live: Int, admin: AMQPAdmin, broker: RabbitmqCtl, vhost: String) async throws {
            let queue = HotlineTopology.unitQueue(code)
            let status = try await admin.queueStatus(queue: queue)
            let (waiting, readers) = (status?.messages ?? 0, status?.consumers ?? 0)
            guard live == 0, waiting == 0, readers == 0 else {
                print("\(code): kept, not drained (\(live) live assignments, \(waiting) messages and \(readers) consumers on \(queue))")
                return
            }
            let user = "unit.\(code)"
            let replies = HotlineTopology.replyQueue(user)
            guard apply else {
                print("\(code): drained; --apply deletes \(queue), \(replies) and the broker user \(user)")
                return
            }
            for name in [queue, replies] where try await admin.queueStatus(queue: name) != nil {
                try await admin.deleteQueue(name)
            }
            print("\(code): deleted \(queue) and \(replies); \(try await broker.removeUser(user, vhost: vhost))")
        }
    }
}

extension UnitDirectory {
    /// The units no longer in the jurisdiction, with how many live assignments each still holds.
    static func retiredUnits(_ database: Database) async throws -> [(code: String, live: Int)] {
        try await database.withConnection { connection in
            try connection.query(
                """
                SELECT u.code, (SELECT count(*) FROM assignments a WHERE a.unit = u.code AND a.state = ANY($1::text[])) AS live
                FROM units u WHERE NOT u.active ORDER BY u.code
                """, [AssignmentLifecycle.liveStates.map(\.rawValue)]
            ).map { (try $0.decode("code"), try $0.decode("live", as: Int.self)) }
        }
    }
}
