import Foundation
import HotlineStorage
import Synchronization

/// CPU seconds used so far by the processes whose cost the benchmark counts: the services, every
/// RabbitMQ (`beam.smp`) and every PostgreSQL process, by pid. Both servers are shared by every sandbox
/// on the machine, so the PostgreSQL backends connected to this sandbox's database are noted too.
struct CPUSnapshot: Sendable {
    var services: [String: Double]
    var broker: [Int32: Double]
    var postgres: [Int32: Double]
    var ownBackends: Set<Int32>
    var bench: Double
    var machineBusy: Double
    var machineTotal: Double
    var at: Date

    static func take(_ fleet: ServiceFleet, database: String) -> CPUSnapshot {
        func byPid(_ name: String) -> [Int32: Double] {
            var result: [Int32: Double] = [:]
            for pid in ProcessStats.pids(named: name) { result[pid] = ProcessStats.cpuSeconds(pid) }
            return result
        }
        var services: [String: Double] = [:]
        for member in fleet.members { services[member.name] = ProcessStats.cpuSeconds(member.pid) ?? 0 }
        let postgres = byPid("postgres")
        // A backend's title: `postgres: USER DATABASE HOST(PORT) STATE`.
        let own = postgres.keys.filter { pid in
            let words = ProcessStats.commandLine(pid)?.split(separator: " ") ?? []
            return words.count > 2 && words[0] == "postgres:" && words[2] == database
        }
        let machine = ProcessStats.machine()
        return CPUSnapshot(
            services: services, broker: byPid("beam.smp"), postgres: postgres, ownBackends: Set(own),
            bench: ProcessStats.cpuSeconds(getpid()) ?? 0, machineBusy: machine.busy, machineTotal: machine.total, at: Date())
    }
}

/// CPU seconds used between two snapshots, by part. A process started in between counts from zero; one
/// that ended in between is missing.
struct CPUUse: Sendable {
    var services: [String: Double]
    var broker: Double
    var postgres: Double
    /// Of `postgres`: the backends connected to this sandbox's database.
    var ownBackends: Double
    var bench: Double
    var seconds: Double
    /// Share of all cores busy (whole machine).
    var machineBusy: Double

    var servicesTotal: Double { services.values.reduce(0, +) }
    var total: Double { servicesTotal + broker + postgres }

    init(from before: CPUSnapshot, to after: CPUSnapshot) {
        func delta(_ pids: some Sequence<Int32>, _ now: [Int32: Double], _ then: [Int32: Double]) -> Double {
            pids.reduce(0) { $0 + (now[$1] ?? 0) - (then[$1] ?? 0) }
        }
        services = after.services.reduce(into: [:]) { $0[$1.key] = $1.value - (before.services[$1.key] ?? 0) }
        broker = delta(after.broker.keys, after.broker, before.broker)
        postgres = delta(after.postgres.keys, after.postgres, before.postgres)
        ownBackends = delta(after.ownBackends, after.postgres, before.postgres)
        bench = after.bench - before.bench
        seconds = after.at.timeIntervalSince(before.at)
        machineBusy = (after.machineBusy - before.machineBusy) / max(after.machineTotal - before.machineTotal, 1)
    }
}

/// One reading of everything a stretch of work's cost is computed from.
struct CostSample: Sendable {
    var cpu: CPUSnapshot
    var metrics: [String: String]
    var commits: Int
    var walSyncs: Int

    /// Before the work: CPU last, so that the scrape and the queries are not counted.
    static func before(_ fleet: ServiceFleet, _ database: Database, databaseName: String) async throws -> CostSample {
        let metrics = await scrape(fleet)
        let counters = try await commitCounters(database)
        return CostSample(
            cpu: .take(fleet, database: databaseName), metrics: metrics, commits: counters.commits, walSyncs: counters.walSyncs)
    }

    /// After the work: CPU first.
    static func after(_ fleet: ServiceFleet, _ database: Database, databaseName: String) async throws -> CostSample {
        let cpu = CPUSnapshot.take(fleet, database: databaseName)
        let metrics = await scrape(fleet)
        let counters = try await commitCounters(database)
        return CostSample(cpu: cpu, metrics: metrics, commits: counters.commits, walSyncs: counters.walSyncs)
    }

    /// Transactions committed in this database and WAL syncs of the whole server, so far.
    static func commitCounters(_ database: Database) async throws -> (commits: Int, walSyncs: Int) {
        try await database.withConnection { connection in
            let commits = try connection.query(
                "SELECT xact_commit::bigint AS n FROM pg_stat_database WHERE datname = current_database()"
            ).first?.decode("n", as: Int.self) ?? 0
            let syncs = (try? connection.query("SELECT wal_sync::bigint AS n FROM pg_stat_wal").first?.decode("n", as: Int.self)) ?? 0
            return (commits, syncs)
        }
    }

    static func scrape(_ fleet: ServiceFleet) async -> [String: String] {
        var result: [String: String] = [:]
        for member in fleet.members { result[member.name] = await HTTP.text(port: member.port, path: "/metrics") ?? "" }
        return result
    }
}

/// What a stretch of work cost, between two samples: CPU by part and by process, the services'
/// database statements (`hotline_database_statements_total`), commits and WAL syncs, messages
/// consumed and published, mean handling times.
struct PhaseCost: Sendable {
    struct Usage: Sendable {
        var name: String
        var cpu: Double
        var rss: Double
        var peak: Double
        var consumed: Double
        var handling: String
    }

    static let statementsMetric = "hotline_database_statements_total"
    static let roundTripsMetric = "hotline_database_round_trips_total"

    var cpu: CPUUse
    /// Commits in this database, without the benchmark's own queries while it waited for quiet.
    var commits: Int
    var walSyncs: Int
    /// Σ over the services that export the statements counter; nil when none does.
    var statements: Double?
    var statementExporters: Int
    /// The services the fleet runs (each counted once, whatever its copies).
    var services: Int
    /// Σ of the services' waits for the database's answer (several statements may share one); nil
    /// when no service exports it (builds before the counter).
    var roundTrips: Double?
    /// Statements and round trips of each service that exports them (fleet order).
    var byService: [(name: String, statements: Double, roundTrips: Double)]
    var usage: [Usage]
    var relay: String

    /// `peaks`: the highest resident memory of each service (fleet order) seen while sampling.
    init(before: CostSample, after: CostSample, fleet: ServiceFleet, peaks: [Double] = [], benchTransactions: Int = 0) {
        cpu = CPUUse(from: before.cpu, to: after.cpu)
        services = fleet.services.count
        commits = after.commits - before.commits - benchTransactions
        walSyncs = after.walSyncs - before.walSyncs
        var statements = 0.0, exporters = 0, roundTrips = 0.0, roundTripExporters = 0
        var byService: [(name: String, statements: Double, roundTrips: Double)] = []
        var usage: [Usage] = []
        var relay: [String] = []
        for (index, member) in fleet.members.enumerated() {
            let then = before.metrics[member.name] ?? "", now = after.metrics[member.name] ?? ""
            func delta(_ metric: String) -> Double {
                (PrometheusText.sum(now, metric: metric)[""] ?? 0) - (PrometheusText.sum(then, metric: metric)[""] ?? 0)
            }
            if PrometheusText.sum(now, metric: Self.statementsMetric)[""] != nil {
                exporters += 1
                let sent = delta(Self.statementsMetric), waits = delta(Self.roundTripsMetric)
                statements += sent
                roundTrips += waits
                if PrometheusText.sum(now, metric: Self.roundTripsMetric)[""] != nil { roundTripExporters += 1 }
                byService.append((member.name, sent, waits))
            }
            let published = delta("hotline_messages_published_total")
            if published > 0 { relay.append("\(member.name) \(Int(published))") }
            // The handling-time histogram (named hotline_handling_seconds before it got a type label).
            func handlingSums(_ text: String, _ suffix: String) -> [String: Double] {
                PrometheusText.sum(text, metric: "hotline_message_handling_seconds_" + suffix, by: "queue").merging(
                    PrometheusText.sum(text, metric: "hotline_handling_seconds_" + suffix, by: "queue"), uniquingKeysWith: +)
            }
            let sumNow = handlingSums(now, "sum"), sumThen = handlingSums(then, "sum")
            let countNow = handlingSums(now, "count"), countThen = handlingSums(then, "count")
            let handling = sumNow.keys.sorted().compactMap { queue -> String? in
                let n = (countNow[queue] ?? 0) - (countThen[queue] ?? 0)
                guard n > 0 else { return nil }
                let mean = ((sumNow[queue] ?? 0) - (sumThen[queue] ?? 0)) / n * 1000
                return String(format: "%@ %.1f", queue.replacingOccurrences(of: "hotline.", with: ""), mean)
            }.joined(separator: ", ")
            usage.append(Usage(
                name: member.name, cpu: cpu.services[member.name] ?? 0, rss: ProcessStats.memoryMB(member.pid, field: "VmRSS") ?? 0,
                peak: max(index < peaks.count ? peaks[index] : 0, ProcessStats.memoryMB(member.pid, field: "VmHWM") ?? 0),
                consumed: delta("hotline_messages_consumed_total"), handling: handling))
        }
        let brokerPids = ProcessStats.pids(named: "beam.smp")
        usage.append(Usage(
            name: "rabbitmq (all)", cpu: cpu.broker,
            rss: brokerPids.compactMap { ProcessStats.memoryMB($0, field: "VmRSS") }.reduce(0, +), peak: 0, consumed: 0, handling: ""))
        usage.append(Usage(
            name: "postgres (all)", cpu: cpu.postgres, rss: 0, peak: 0, consumed: 0,
            handling: String(format: "this database's backends %.1f s; processes that ended meanwhile not counted", cpu.ownBackends)))
        usage.append(Usage(
            name: "bench (clients)", cpu: cpu.bench, rss: ProcessStats.memoryMB(getpid(), field: "VmRSS") ?? 0, peak: 0,
            consumed: 0, handling: ""))
        self.statements = exporters > 0 ? statements : nil
        statementExporters = exporters
        self.roundTrips = roundTripExporters > 0 ? roundTrips : nil
        self.byService = roundTripExporters > 0 ? byService : []
        self.usage = usage
        self.relay = relay.joined(separator: ", ")
    }

    /// The per-process table, the machine's busy share and the figures per ticket, indented.
    func lines(tickets: Int) -> [String] {
        var lines = ["  process               CPU s    CPU %   RSS MB   peak MB   consumed   handling mean ms (per queue)"]
        for usage in usage {
            lines.append("  " + usage.name.padding(toLength: 21, withPad: " ", startingAt: 0) + String(
                format: "%6.1f   %5.0f   %6.1f   %7.1f   %8.0f   ", usage.cpu, 100 * usage.cpu / max(cpu.seconds, 0.001),
                usage.rss, usage.peak, usage.consumed) + usage.handling)
        }
        lines.append(String(format: "  machine: %.0f %% of all cores busy", cpu.machineBusy * 100))
        let n = Double(max(tickets, 1))
        var statementText = "n/a"
        if let statements {
            statementText = String(format: "%.1f", statements / n)
            if let roundTrips { statementText += String(format: " in %.1f round trips", roundTrips / n) }
            if statementExporters < services {
                statementText += " (only \(statementExporters) of \(services) services export it)"
            }
        }
        lines.append(String(
            format: "  per ticket (%d): CPU %.1f ms = services %.1f + PostgreSQL %.1f + RabbitMQ %.1f (this database's backends %.1f of PostgreSQL's)",
            tickets, cpu.total / n * 1000, cpu.servicesTotal / n * 1000, cpu.postgres / n * 1000, cpu.broker / n * 1000,
            cpu.ownBackends / n * 1000))
        lines.append(String(
            format: "  per ticket: statements %@; commits %.1f (this database); WAL syncs %.1f (whole server)",
            statementText, Double(commits) / n, Double(walSyncs) / n))
        if !byService.isEmpty {
            lines.append("  per ticket, statements / round trips: " + byService.map {
                String(format: "%@ %.1f / %.1f", $0.name, $0.statements / n, $0.roundTrips / n)
            }.joined(separator: ", "))
        }
        if !relay.isEmpty { lines.append("  published by the services' relays: \(relay)") }
        return lines
    }
}

/// The highest resident memory of each service (fleet order), sampled every 250 ms until `stop`.
final class PeakMemory: Sendable {
    private let peaks: Mutex<[Double]>
    private let sampling: Mutex<Task<Void, Never>?> = Mutex(nil)

    init(_ fleet: ServiceFleet) {
        let pids = fleet.members.map(\.pid)
        peaks = Mutex(Array(repeating: 0, count: pids.count))
        let task = Task { [self] in
            while !Task.isCancelled {
                for (index, pid) in pids.enumerated() {
                    if let rss = ProcessStats.memoryMB(pid, field: "VmRSS") { peaks.withLock { $0[index] = max($0[index], rss) } }
                }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        sampling.withLock { $0 = task }
    }

    func stop() -> [Double] {
        sampling.withLock { $0 }?.cancel()
        return peaks.withLock { $0 }
    }
}
