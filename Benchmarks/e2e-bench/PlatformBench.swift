import ArgumentParser
import Foundation
import HotlineMessaging
import HotlineStorage
import Synchronization

/// Publishes submissions as a gateway, receives `assignment.created` as the units, and prints the
/// sustained rate, the latency from the gateway's publish to the unit's receipt, each service's CPU
/// and memory, and the raw limits of the broker and the database measured in the same run.
///
/// Run it in a sandbox (it starts the five services itself), e.g.:
///
///     deploy/local/bench.sh            (see docs/benchmark.md)
struct PlatformBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Throughput and latency of ticket.submit → assignment.created, beside the raw limits.")

    @Option(help: "Submissions per phase.")
    var count = 10_000

    @Option(help: "Phases, comma-separated: offered tickets/s, 0 = as fast as possible.")
    var rates = "0,500"

    @Option(help: "Folder of the service executables (default: HOTLINE_BIN_DIR or .build/release).")
    var binDir: String?

    @Option(help: "The services' HTTP ports are port-base+1 … +5.")
    var portBase = 19800

    @Option(help: "HOTLINE_LOG_LEVEL of the services.")
    var logLevel = "info"

    @Option(help: "Extra service environment, KEY=VALUE (repeatable), e.g. HOTLINE_WORKERS=16.")
    var serviceEnv: [String] = []

    @Option(help: "Messages for the raw broker measurement (0: skip).")
    var rawMessages = 20_000

    @Option(help: "Rows for the raw database measurement (0: skip).")
    var rawRows = 20_000

    @Option(help: "Seconds to wait for the last assignment of a phase.")
    var drainTimeout = 1800.0

    func run() async throws {
        let environment = try BenchEnvironment.load(binDir: binDir)
        var extra = ["HOTLINE_LOG_LEVEL": logLevel]
        for item in serviceEnv {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--service-env KEY=VALUE") }
            extra[parts[0]] = parts[1]
        }
        let phases = rates.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !phases.isEmpty, count > 0 else { throw ValidationError("nothing to measure") }
        let database = Database(url: environment.databaseURL, applicationName: "hotline-bench", size: 2, logger: BenchEnvironment.logger)
        let workers = Int(extra["HOTLINE_WORKERS"] ?? "") ?? 8
        let connectionsPerService = Int(extra["HOTLINE_DB_CONNECTIONS"] ?? "") ?? workers + 2
        let bodyBytes = BenchSubmission.body(id: "BENCH-00000000-000000").count

        // Raw limits first, on a quiet platform.
        var broker: RawLimits.BrokerResult?
        if rawMessages > 0 {
            say("raw broker: \(rawMessages) messages of \(bodyBytes) B, publish with confirms + consume with ack, quorum queue")
            broker = try await RawLimits.broker(amqpURL: environment.adminAMQPURL, count: rawMessages, bodyBytes: bodyBytes)
        }
        var postgres: RawLimits.DatabaseResult?
        if rawRows > 0 {
            let connections = connectionsPerService * ServiceFleet.names.count
            say("raw database: \(rawRows) single-row INSERT commits over \(connections) connections")
            postgres = try await RawLimits.database(
                url: environment.databaseURL, count: rawRows, connections: connections, bodyBytes: bodyBytes)
        }

        // The platform.
        let units = try await UnitReceivers.unitCodes(database)
        let admin = AMQPAdmin(configuration: try AMQPConfiguration(url: environment.adminAMQPURL))
        // Leftovers of an interrupted run would be measured with this one.
        for unit in units { try? await admin.purgeQueue("hotline.unit.\(unit)") }
        try? await admin.purgeQueue("hotline.intake.submissions")
        say("starting the five services (\(environment.binDirectory))")
        let fleet = try ServiceFleet(environment: environment, portBase: portBase, extra: extra)
        defer { fleet.stop() }
        try await fleet.waitHealthy()
        let receivers = try UnitReceivers(amqpURL: environment.adminAMQPURL, units: units)
        await receivers.waitConnected()
        let gateway = try RetryingPublisher(url: try environment.amqpURL(user: "gateway"))

        var results: [PhaseResult] = []
        for (index, rate) in phases.enumerated() {
            results.append(try await phase(
                index + 1, rate: rate, fleet: fleet, receivers: receivers, gateway: gateway, database: database))
        }
        await gateway.publisher.shutdown()
        await receivers.stop()
        await database.shutdown()

        // Report.
        print("")
        print("hotline end-to-end benchmark: ticket.submit (gateway) → assignment.created (unit queue)")
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; services from \(environment.binDirectory); "
              + "submission body \(bodyBytes) B; \(connectionsPerService) DB connections × 5 services")
        if let broker {
            print(String(
                format: "raw broker (HotlineMessaging, quorum queue, %d B): publish+confirm %.0f msg/s, consume+ack %.0f msg/s",
                broker.bodyBytes, broker.publishRate, broker.consumeRate))
        }
        if let postgres {
            print(String(format: "raw PostgreSQL (HotlineStorage, %d connections): %.0f single-row INSERT commits/s", postgres.connections, postgres.rate))
        }
        for r in results {
            print("")
            print(String(
                format: "phase %d: offered %@; %d/%d tickets delivered, %d duplicate deliveries",
                r.number, r.rate == 0 ? "as fast as possible" : "\(r.rate)/s", r.delivered, r.count, r.duplicates))
            print(String(format: "  publish: %.0f submissions/s; sustained (10th–90th pct of arrivals): %.0f tickets/s; overall %.0f tickets/s over %.1f s",
                         r.publishRate, r.sustainedRate, r.overallRate, r.seconds))
            print(String(format: "  latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f  (mean %.1f)",
                         r.latency.p50, r.latency.p95, r.latency.p99, r.latency.max, r.latency.mean))
            if let broker {
                print(String(format: "  ratio to raw broker publish+confirm %.3f, consume+ack %.3f", r.sustainedRate / broker.publishRate,
                             r.sustainedRate / broker.consumeRate))
            }
            if let postgres { print(String(format: "  ratio to raw PostgreSQL insert commits %.3f", r.sustainedRate / postgres.rate)) }
            print("  process               CPU s    CPU %   RSS MB   peak MB   consumed   handling mean ms (per queue)")
            for usage in r.usage {
                print("  " + usage.name.padding(toLength: 21, withPad: " ", startingAt: 0) + String(
                    format: "%6.1f   %5.0f   %6.1f   %7.1f   %8.0f   ", usage.cpu, 100 * usage.cpu / max(r.seconds, 0.001),
                    usage.rss, usage.peak, usage.consumed) + usage.handling)
            }
            print(String(format: "  machine: %.0f %% of all cores busy during the phase", r.machineBusy * 100))
            print(String(format: "  PostgreSQL: %.1f commits per ticket in this database, %.1f WAL syncs per ticket (whole server)",
                         r.commitsPerTicket, r.walSyncsPerTicket))
            if !r.relay.isEmpty { print("  published by the services' relays: \(r.relay)") }
        }
    }

    // MARK: - One phase

    struct Usage {
        var name: String
        var cpu: Double
        var rss: Double
        var peak: Double
        var consumed: Double
        var handling: String
    }

    struct PhaseResult {
        var number: Int
        var rate: Int
        var count: Int
        var delivered: Int
        var duplicates: Int
        var publishRate: Double
        var sustainedRate: Double
        var overallRate: Double
        var seconds: Double
        var latency: Percentiles
        var usage: [Usage]
        var machineBusy: Double
        var relay: String
        var commitsPerTicket: Double
        var walSyncsPerTicket: Double
    }

    private func phase(
        _ number: Int, rate: Int, fleet: ServiceFleet, receivers: UnitReceivers, gateway: RetryingPublisher, database: Database
    ) async throws -> PhaseResult {
        let run = "BENCH-\(String(UUID().uuidString.prefix(6)))-P\(number)-"
        let ids = (0..<count).map { String(format: "%@%06d", run, $0) }
        let messages = ids.map { BenchSubmission.message(id: $0, messageID: UUID().uuidString) }
        let sentAt = Mutex<[String: Date]>([:])
        say("phase \(number): \(count) submissions, offered \(rate == 0 ? "as fast as possible" : "\(rate)/s")")

        let pids = fleet.members.map { ($0.name, $0.pid) }
        let brokerPids = ProcessStats.pids(named: "beam.smp")
        let postgresPids = ProcessStats.pids(named: "postgres")
        let metricsBefore = await scrape(fleet)
        let cpuBefore = pids.map { ProcessStats.cpuSeconds($0.1) ?? 0 }
        let brokerBefore = brokerPids.compactMap(ProcessStats.cpuSeconds).reduce(0, +)
        let postgresBefore = postgresPids.compactMap(ProcessStats.cpuSeconds).reduce(0, +)
        let selfBefore = ProcessStats.cpuSeconds(getpid()) ?? 0
        let machineBefore = ProcessStats.machine()
        let peak = Mutex<[Double]>(Array(repeating: 0, count: pids.count))
        let sampling = Task {
            while !Task.isCancelled {
                for (index, pid) in pids.enumerated() {
                    if let rss = ProcessStats.memoryMB(pid.1, field: "VmRSS") { peak.withLock { $0[index] = max($0[index], rss) } }
                }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }

        let commitsBefore = try await commitCounters(database)
        let started = Date()
        if rate == 0 {
            // As fast as possible: batches of 100, up to 16 publish calls in flight (pipelined confirms).
            try await withThrowingTaskGroup(of: Void.self) { group in
                var running = 0
                for chunk in stride(from: 0, to: messages.count, by: 100) {
                    let slice = Array(messages[chunk..<min(messages.count, chunk + 100)])
                    if running >= 16 {
                        try await group.next()
                        running -= 1
                    }
                    running += 1
                    let now = Date()
                    sentAt.withLock { for index in chunk..<chunk + slice.count { $0[ids[index]] = now } }
                    group.addTask { try await gateway.publish(slice) }
                }
                try await group.waitForAll()
            }
        } else {
            // A fixed offered rate: every 5 ms the submissions due by then; each is timed from when it
            // was due (so a publisher falling behind shows as latency, not as a lower offered rate).
            try await withThrowingTaskGroup(of: Void.self) { group in
                var sent = 0
                while sent < count {
                    let elapsed = Date().timeIntervalSince(started)
                    let due = min(count, Int(elapsed * Double(rate)) + 1)
                    if due > sent {
                        let slice = Array(messages[sent..<due])
                        sentAt.withLock {
                            for index in sent..<due { $0[ids[index]] = started.addingTimeInterval(Double(index) / Double(rate)) }
                        }
                        sent = due
                        group.addTask { try await gateway.publish(slice) }
                    }
                    try await Task.sleep(for: .milliseconds(5))
                }
                try await group.waitForAll()
            }
        }
        let published = Date()
        say(String(format: "phase %d: published in %.1f s; waiting for the assignments", number, published.timeIntervalSince(started)))

        var last = receivers.count(prefix: run)
        var lastProgress = Date()
        while last < count {
            try await Task.sleep(for: .milliseconds(100))
            let now = receivers.count(prefix: run)
            if now != last {
                last = now
                lastProgress = Date()
            }
            if Date().timeIntervalSince(lastProgress) > 300 || Date().timeIntervalSince(started) > drainTimeout { break }
        }
        sampling.cancel()
        let arrivals = receivers.snapshot(prefix: run)
        let sent = sentAt.withLock { $0 }
        let times = arrivals.values.map(\.first).sorted()
        let end = times.last ?? Date()
        let seconds = end.timeIntervalSince(started)
        let latency = Percentiles(arrivals.compactMap { id, arrival in sent[id].map { arrival.first.timeIntervalSince($0) * 1000 } })
        var sustained = 0.0
        if times.count >= 10 {
            let low = times[times.count / 10], high = times[times.count * 9 / 10]
            sustained = Double(times.count * 8 / 10) / max(high.timeIntervalSince(low), 0.001)
        }
        let duplicates = arrivals.values.map { $0.deliveries - 1 }.reduce(0, +)

        let metricsAfter = await scrape(fleet)
        let commitsAfter = try await commitCounters(database)
        var usage: [Usage] = []
        for (index, (name, pid)) in pids.enumerated() {
            let cpu = (ProcessStats.cpuSeconds(pid) ?? 0) - cpuBefore[index]
            let before = metricsBefore[name] ?? "", after = metricsAfter[name] ?? ""
            let consumed = (PrometheusText.sum(after, metric: "hotline_messages_consumed_total")[""] ?? 0)
                - (PrometheusText.sum(before, metric: "hotline_messages_consumed_total")[""] ?? 0)
            // The handling-time histogram (named hotline_handling_seconds before it got a type label).
            func handlingSums(_ text: String, _ suffix: String) -> [String: Double] {
                PrometheusText.sum(text, metric: "hotline_message_handling_seconds_" + suffix, by: "queue").merging(
                    PrometheusText.sum(text, metric: "hotline_handling_seconds_" + suffix, by: "queue"), uniquingKeysWith: +)
            }
            let sumAfter = handlingSums(after, "sum"), sumBefore = handlingSums(before, "sum")
            let countAfter = handlingSums(after, "count"), countBefore = handlingSums(before, "count")
            let handling = sumAfter.keys.sorted().compactMap { queue -> String? in
                let n = (countAfter[queue] ?? 0) - (countBefore[queue] ?? 0)
                guard n > 0 else { return nil }
                let mean = ((sumAfter[queue] ?? 0) - (sumBefore[queue] ?? 0)) / n * 1000
                return String(format: "%@ %.1f", queue.replacingOccurrences(of: "hotline.", with: ""), mean)
            }.joined(separator: ", ")
            usage.append(Usage(
                name: name, cpu: cpu, rss: ProcessStats.memoryMB(pid, field: "VmRSS") ?? 0,
                peak: max(peak.withLock { $0[index] }, ProcessStats.memoryMB(pid, field: "VmHWM") ?? 0) , consumed: consumed,
                handling: handling))
        }
        usage.append(Usage(
            name: "rabbitmq (all)", cpu: brokerPids.compactMap(ProcessStats.cpuSeconds).reduce(0, +) - brokerBefore,
            rss: brokerPids.compactMap { ProcessStats.memoryMB($0, field: "VmRSS") }.reduce(0, +), peak: 0, consumed: 0, handling: ""))
        let postgresNow = ProcessStats.pids(named: "postgres")
        usage.append(Usage(
            name: "postgres (all)",
            cpu: postgresNow.compactMap(ProcessStats.cpuSeconds).reduce(0, +) - postgresBefore, rss: 0, peak: 0, consumed: 0,
            handling: "backends started during the phase not counted before"))
        usage.append(Usage(
            name: "bench (gateway+units)", cpu: (ProcessStats.cpuSeconds(getpid()) ?? 0) - selfBefore,
            rss: ProcessStats.memoryMB(getpid(), field: "VmRSS") ?? 0, peak: 0, consumed: 0, handling: ""))
        let machineAfter = ProcessStats.machine()
        let busy = (machineAfter.busy - machineBefore.busy) / max(machineAfter.total - machineBefore.total, 1)
        var relay: [String] = []
        for member in fleet.members {
            let after = PrometheusText.sum(metricsAfter[member.name] ?? "", metric: "hotline_messages_published_total")[""] ?? 0
            let before = PrometheusText.sum(metricsBefore[member.name] ?? "", metric: "hotline_messages_published_total")[""] ?? 0
            if after - before > 0 { relay.append("\(member.name) \(Int(after - before))") }
        }
        say(String(format: "phase %d: %d of %d delivered; p99 %.1f ms", number, arrivals.count, count, latency.p99))
        return PhaseResult(
            number: number, rate: rate, count: count, delivered: arrivals.count, duplicates: duplicates,
            publishRate: Double(count) / max(published.timeIntervalSince(started), 0.001), sustainedRate: sustained,
            overallRate: Double(arrivals.count) / max(seconds, 0.001), seconds: seconds, latency: latency, usage: usage,
            machineBusy: busy, relay: relay.joined(separator: ", "),
            commitsPerTicket: Double(commitsAfter.commits - commitsBefore.commits) / Double(max(arrivals.count, 1)),
            walSyncsPerTicket: Double(commitsAfter.walSyncs - commitsBefore.walSyncs) / Double(max(arrivals.count, 1)))
    }

    /// Transactions committed in this database and WAL syncs of the whole server, so far.
    private func commitCounters(_ database: Database) async throws -> (commits: Int, walSyncs: Int) {
        try await database.withConnection { connection in
            let commits = try connection.query(
                "SELECT xact_commit::bigint AS n FROM pg_stat_database WHERE datname = current_database()"
            ).first?.decode("n", as: Int.self) ?? 0
            let syncs = (try? connection.query("SELECT wal_sync::bigint AS n FROM pg_stat_wal").first?.decode("n", as: Int.self)) ?? 0
            return (commits, syncs)
        }
    }

    private func scrape(_ fleet: ServiceFleet) async -> [String: String] {
        var result: [String: String] = [:]
        for member in fleet.members { result[member.name] = await HTTP.text(port: member.port, path: "/metrics") ?? "" }
        return result
    }
}
