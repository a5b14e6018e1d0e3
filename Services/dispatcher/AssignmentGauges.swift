import Foundation
import HotlineDomain
import HotlineRuntime
import Metrics
import ServiceLifecycle

/// `hotline_assignments{state}`: assignments by state, refreshed every few seconds by one grouped
/// count (`HOTLINE_ASSIGNMENT_GAUGE_SECONDS`, default 15). Every copy of the dispatcher reports the
/// same numbers; take the max, not the sum, across copies.
struct AssignmentGauges: Service {
    let runtime: ServiceRuntime
    static let states = AssignmentState.allCases.map(\.rawValue)

    func run() async throws {
        let interval = max(1, ProcessInfo.processInfo.environment["HOTLINE_ASSIGNMENT_GAUGE_SECONDS"].flatMap(Double.init) ?? 15)
        var seen = Set(Self.states)
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                let rows = try await runtime.database.withConnection { connection in
                    try connection.query("SELECT state, count(*) AS n FROM assignments GROUP BY state")
                }
                var counts: [String: Int] = [:]
                for row in rows { counts[try row.decode("state")] = try row.decode("n", as: Int.self) }
                seen.formUnion(counts.keys)
                for state in seen {
                    Gauge(label: "hotline_assignments", dimensions: [("state", state)]).record(counts[state] ?? 0)
                }
            } catch {
                runtime.logger.warning("assignment gauges failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(interval)) }
        }
    }
}
