import ArgumentParser
import Foundation
import HotlineMessaging
import HotlineStorage
import Synchronization

/// Publishes submissions as a gateway, receives `assignment.created` as the units, and prints the
/// sustained rate, the latency from the gateway's publish to the unit's receipt, each service's CPU
/// and memory, what each ticket cost (CPU, statements, commits), and the raw limits of the broker and
/// the database measured in the same run; optionally drives tickets through their whole life (units,
/// center and survey channel answering) and measures the platform's cost at rest.
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

    @Option(help: "The services' HTTP ports are port-base+1 … +6 (a further copy's: +11 … +16, +21 …).")
    var portBase = 19800

    @Option(help: "Copies of each service (a scaled-out platform: they share the work through the broker and the database).")
    var copies = 1

    @Option(help: "HOTLINE_LOG_LEVEL of the services.")
    var logLevel = "info"

    @Option(help: "Extra service environment, KEY=VALUE (repeatable), e.g. HOTLINE_BATCH=200.")
    var serviceEnv: [String] = []

    @Option(help: "Messages for the raw broker measurement (0: skip).")
    var rawMessages = 20_000

    @Option(help: "Connections of the raw database measurement (50: what the five services held before batching).")
    var rawConnections = 50

    @Option(help: "Rows for the raw database measurement (0: skip).")
    var rawRows = 20_000

    @Option(help: "Seconds to wait for the last assignment of a phase.")
    var drainTimeout = 1800.0

    @Option(help: "Seconds at most to wait, after a phase's last arrival, for the platform to finish its work before its cost is read.")
    var quietTimeout = 120.0

    @Option(help: "Tickets of the lifecycle phase, after the others: each driven to ticket.closed by the units, the center and the survey channel (0: skip).")
    var lifecycle = 0

    @Option(help: "Commands in flight at most in the lifecycle phase.")
    var lifecycleInFlight = 64

    @Option(help: "Seconds of the idle measurement at the end, with no traffic (0: skip).")
    var idleSeconds = 60.0

    @Option(help: "Submissions before the phases, not measured, then ANALYZE, so that the phases measure a platform in service, not a new database's first minute (0: skip).")
    var warmup = 1_000

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
        let databaseName = URL(string: environment.databaseURL)?.lastPathComponent ?? ""
        let bodyBytes = BenchSubmission.body(id: "BENCH-00000000-000000").count

        // Raw limits first, on a quiet platform.
        var broker: RawLimits.BrokerResult?
        if rawMessages > 0 {
            say("raw broker: \(rawMessages) messages of \(bodyBytes) B, publish with confirms + consume with ack, quorum queue")
            broker = try await RawLimits.broker(amqpURL: environment.adminAMQPURL, count: rawMessages, bodyBytes: bodyBytes)
        }
        var postgres: RawLimits.DatabaseResult?
        if rawRows > 0 {
            let connections = rawConnections
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
        say("starting the six services, \(copies) of each (\(environment.binDirectory))")
        let fleet = try ServiceFleet(environment: environment, portBase: portBase, copies: copies, extra: extra)
        defer { fleet.stop() }
        try await fleet.waitHealthy()
        let receivers = try UnitReceivers(amqpURL: environment.adminAMQPURL, units: units)
        await receivers.waitConnected()
        let gateway = try RetryingPublisher(url: try environment.amqpURL(user: "gateway"))
        let quiescence = await Quiescence(admin: admin, database: database, fleet: fleet)
        let platform = Platform(fleet: fleet, database: database, databaseName: databaseName, quiescence: quiescence)

        if warmup > 0 {
            // On a new database the services' prepared statements get generic plans made for empty
            // tables (sequential scans); production replans them once autovacuum first analyzes the
            // tables. The warm-up stands for that first minute.
            let result = try await phase(0, count: warmup, rate: 0, platform: platform, receivers: receivers, gateway: gateway)
            // The sandbox's own tables; the shared catalogs, which only a superuser may analyze,
            // would print a warning each.
            try await database.withConnection {
                try $0.execute(script: "SET client_min_messages = error; ANALYZE; RESET client_min_messages")
            }
            say("warm-up: \(result.delivered) of \(warmup) delivered; database analyzed")
        }
        var results: [PhaseResult] = []
        for (index, rate) in phases.enumerated() {
            results.append(try await phase(
                index + 1, count: count, rate: rate, platform: platform, receivers: receivers, gateway: gateway))
        }
        var lifecycleResult: (LifecyclePhase.Result, PhaseCost, Quiescence.Result)?
        if lifecycle > 0 {
            say("lifecycle phase: \(lifecycle) tickets")
            let driver = LifecyclePhase(environment: environment, admin: admin, inFlight: lifecycleInFlight)
            let before = try await platform.sample(before: true)
            let peaks = PeakMemory(fleet)
            let result = try await driver.drive(count: lifecycle, gateway: gateway, receivers: receivers, limit: drainTimeout)
            let quiet = await quiescence.wait(timeout: quietTimeout)
            let after = try await platform.sample(before: false)
            lifecycleResult = (result, PhaseCost(
                before: before, after: after, fleet: fleet, peaks: peaks.stop(), benchTransactions: quiet.transactions), quiet)
            say("lifecycle phase: \(result.closed) of \(lifecycle) closed")
        }
        await gateway.publisher.shutdown()
        await receivers.stop()
        var idle: IdleCost?
        if idleSeconds > 0 {
            say(String(format: "idle: waiting for quiet, then %.0f s without traffic", idleSeconds))
            idle = try await IdleCost.measure(
                seconds: idleSeconds, fleet: fleet, database: database, databaseName: databaseName, quiescence: quiescence)
        }
        await database.shutdown()

        // Report.
        print("")
        print("hotline end-to-end benchmark: ticket.submit (gateway) → assignment.created (unit queue)")
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; services from \(environment.binDirectory); "
              + "submission body \(bodyBytes) B; \(rawConnections) connections for the raw database measurement")
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
            if !r.slowest.isEmpty { print("  slowest seconds (UTC, when due): " + r.slowest.map(\.text).joined(separator: "; ")) }
            if let broker {
                print(String(format: "  ratio to raw broker publish+confirm %.3f, consume+ack %.3f", r.sustainedRate / broker.publishRate,
                             r.sustainedRate / broker.consumeRate))
            }
            if let postgres { print(String(format: "  ratio to raw PostgreSQL insert commits %.3f", r.sustainedRate / postgres.rate)) }
            print(String(format: "  cost over %.1f s: from the first publish until the platform was %@",
                         r.cost.cpu.seconds, r.quiet.text(after: "the last arrival")))
            for line in r.cost.lines(tickets: r.delivered) { print(line) }
        }
        if let (result, cost, quiet) = lifecycleResult {
            print("")
            print("lifecycle: \(result.count) fresh submissions, each driven to ticket.closed: unit.sign, unit.notify-citizen, "
                  + "unit.submit-resolution (unit), center.decide-resolution approve (center), survey.response satisfied (survey)")
            for line in result.lines() { print(line) }
            print(String(format: "  cost over %.1f s: from the first submission until the platform was %@",
                         cost.cpu.seconds, quiet.text(after: "the end of the phase")))
            for line in cost.lines(tickets: result.closed) { print(line) }
        }
        if let idle {
            print("")
            print(String(format: "idle: %.1f s without traffic, from %.0f s after the platform was %@; CPU %% of one core",
                         idle.cost.cpu.seconds, IdleCost.statisticsDelay, idle.quiet.text(after: "the benchmark's clients had gone")))
            for line in idle.lines() { print(line) }
        }
    }

    /// The running platform and how to read its cost.
    struct Platform: Sendable {
        let fleet: ServiceFleet
        let database: Database
        let databaseName: String
        let quiescence: Quiescence

        func sample(before: Bool) async throws -> CostSample {
            before ? try await CostSample.before(fleet, database, databaseName: databaseName)
                : try await CostSample.after(fleet, database, databaseName: databaseName)
        }
    }

    // MARK: - One phase

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
        /// The seconds (by when submissions were due) whose slowest ticket took longest: when stalls were.
        var slowest: [SlowSecond]
        var cost: PhaseCost
        var quiet: Quiescence.Result
    }

    private func phase(
        _ number: Int, count: Int, rate: Int, platform: Platform, receivers: UnitReceivers, gateway: RetryingPublisher
    ) async throws -> PhaseResult {
        let run = "BENCH-\(String(UUID().uuidString.prefix(6)))-P\(number)-"
        let ids = (0..<count).map { String(format: "%@%06d", run, $0) }
        let messages = ids.map { BenchSubmission.message(id: $0, messageID: UUID().uuidString) }
        let sentAt = Mutex<[String: Date]>([:])
        say("phase \(number): \(count) submissions, offered \(rate == 0 ? "as fast as possible" : "\(rate)/s")")

        let before = try await platform.sample(before: true)
        let peaks = PeakMemory(platform.fleet)
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
        let arrivals = receivers.snapshot(prefix: run)
        let sent = sentAt.withLock { $0 }
        let times = arrivals.values.map(\.first).sorted()
        let end = times.last ?? Date()
        let seconds = end.timeIntervalSince(started)
        let latency = Percentiles(arrivals.compactMap { id, arrival in sent[id].map { arrival.first.timeIntervalSince($0) * 1000 } })
        let slowest = SlowSecond.worst(3, of: arrivals.compactMap { id, arrival in sent[id].map { ($0, arrival.first) } })
        var sustained = 0.0
        if times.count >= 10 {
            let low = times[times.count / 10], high = times[times.count * 9 / 10]
            sustained = Double(times.count * 8 / 10) / max(high.timeIntervalSince(low), 0.001)
        }
        let duplicates = arrivals.values.map { $0.deliveries - 1 }.reduce(0, +)

        say("phase \(number): waiting for the platform to finish its work")
        let quiet = await platform.quiescence.wait(timeout: quietTimeout)
        let after = try await platform.sample(before: false)
        let cost = PhaseCost(
            before: before, after: after, fleet: platform.fleet, peaks: peaks.stop(), benchTransactions: quiet.transactions)
        say(String(format: "phase %d: %d of %d delivered; p99 %.1f ms", number, arrivals.count, count, latency.p99))
        return PhaseResult(
            number: number, rate: rate, count: count, delivered: arrivals.count, duplicates: duplicates,
            publishRate: Double(count) / max(published.timeIntervalSince(started), 0.001), sustainedRate: sustained,
            overallRate: Double(arrivals.count) / max(seconds, 0.001), seconds: seconds, latency: latency,
            slowest: slowest, cost: cost, quiet: quiet)
    }
}
