import Foundation
import HotlineStorage

/// What the platform costs with no traffic: once it is quiet and the benchmark's own clients are
/// gone, the CPU of the services (together and each), of PostgreSQL and of RabbitMQ over
/// `seconds`, as % of one core, and the commits and statements per second it makes meanwhile.
struct IdleCost: Sendable {
    /// A PostgreSQL backend that goes idle reports its last second's counters up to 10 s later
    /// (`pg_stat_database`): wait that long after quiet, so that the last phase's commits stay out.
    static let statisticsDelay = 11.0

    var cost: PhaseCost
    var quiet: Quiescence.Result
    /// The services of the fleet (their first copies are shown each).
    var services: [String]

    static func measure(
        seconds: Double, fleet: ServiceFleet, database: Database, databaseName: String, quiescence: Quiescence
    ) async throws -> IdleCost {
        let quiet = await quiescence.wait()
        try await Task.sleep(for: .seconds(statisticsDelay))
        let before = try await CostSample.before(fleet, database, databaseName: databaseName)
        try await Task.sleep(for: .seconds(seconds))
        let after = try await CostSample.after(fleet, database, databaseName: databaseName)
        return IdleCost(cost: PhaseCost(before: before, after: after, fleet: fleet), quiet: quiet, services: fleet.services)
    }

    /// The figures, indented.
    func lines() -> [String] {
        let cpu = cost.cpu
        let seconds = max(cpu.seconds, 0.001)
        func percent(_ value: Double) -> String { String(format: "%.1f %%", value / seconds * 100) }
        let each = services.map { "\($0) \(percent(cpu.services[$0] ?? 0))" }.joined(separator: ", ")
        var statements = "n/a"
        if let total = cost.statements { statements = String(format: "%.1f/s", total / seconds) }
        return [
            "  services \(percent(cpu.servicesTotal)) of one core together: \(each)",
            "  PostgreSQL \(percent(cpu.postgres)) (this database's backends \(percent(cpu.ownBackends))); RabbitMQ \(percent(cpu.broker))"
                + " (both servers are shared by every sandbox on the machine)",
            String(format: "  commits %.1f/s in this database; statements %@; machine %.0f %% of all cores busy",
                   Double(cost.commits) / seconds, statements, cpu.machineBusy * 100),
        ]
    }
}
