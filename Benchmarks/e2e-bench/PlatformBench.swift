import ArgumentParser
import Foundation
import HotlineMessaging
import HotlineStorage
import Synchronization

/// Publishes submissions as a gateway (and, with `--via amqp,open311`, posts them to the Open311 API
/// too, each rate both ways), receives `assignment.created` as the units, and prints the sustained
/// rate, the latency from the gateway's publish (or the POST) to the unit's receipt, each service's CPU
/// and memory, what each ticket cost (CPU, statements, commits), and the raw limits of the broker and
/// the database measured in the same run; optionally drives tickets through their whole life (units,
/// center and survey channel answering) and measures the platform's cost at rest.
///
/// Run it in a sandbox (it starts the platform's services itself), e.g.:
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

    @Option(help: "How submissions reach the platform, comma-separated: amqp (published as the gateway), open311 (POST /requests.json as the Open311 client `local`, 64 requests in flight at rate 0); each rate is measured each way in turn.")
    var via = "amqp"

    @Option(help: "Folder of the service executables (default: HOTLINE_BIN_DIR or .build/release).")
    var binDir: String?

    @Option(help: "The services' HTTP ports are port-base+1 … +7 (a further copy's: +11 … +17, +21 …); open311's API: its HTTP port + 224.")
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
        var ways = try via.split(separator: ",").map { name in
            guard let way = Via(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--via: amqp, open311 or both, comma-separated")
            }
            return way
        }
        guard !phases.isEmpty, !ways.isEmpty, count > 0 else { throw ValidationError("nothing to measure") }
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
        let fleet = try ServiceFleet(environment: environment, portBase: portBase, copies: copies, extra: extra)
        defer { fleet.stop() }
        var notes = fleet.notes
        for note in notes { say(note) }
        say("started the \(fleet.services.count) services, \(copies) of each (\(environment.binDirectory)); waiting until healthy")
        try await fleet.waitHealthy()
        var open311: Open311Client?
        if ways.contains(.open311) {
            switch Open311Client.make(fleet: fleet, environment: environment) {
            case let .success(client): open311 = client
            case let .failure(unavailable):
                notes.append("Open311 phases skipped: \(unavailable.reason)")
                say(notes.last!)
                ways.removeAll { $0 == .open311 }
                guard !ways.isEmpty else { throw ValidationError("nothing to measure: \(unavailable.reason)") }
            }
        }
        let receivers = try UnitReceivers(amqpURL: environment.adminAMQPURL, units: units)
        await receivers.waitConnected()
        let gateway = try RetryingPublisher(url: try environment.amqpURL(user: "gateway"))
        let quiescence = await Quiescence(admin: admin, database: database, fleet: fleet)
        let platform = Platform(fleet: fleet, database: database, databaseName: databaseName, quiescence: quiescence)
        let senders = Senders(gateway: gateway, open311: open311)

        if warmup > 0 {
            // On a new database the services' prepared statements get generic plans made for empty
            // tables (sequential scans); production replans them once autovacuum first analyzes the
            // tables. The warm-up stands for that first minute.
            let result = try await phase(0, count: warmup, rate: 0, via: .amqp, platform: platform, receivers: receivers, senders: senders)
            // The sandbox's own tables; the shared catalogs, which only a superuser may analyze,
            // would print a warning each.
            try await database.withConnection {
                try $0.execute(script: "SET client_min_messages = error; ANALYZE; RESET client_min_messages")
            }
            say("warm-up: \(result.delivered) of \(warmup) delivered; database analyzed")
        }
        var results: [PhaseResult] = []
        for rate in phases {
            for way in ways {
                results.append(try await phase(
                    results.count + 1, count: count, rate: rate, via: way, platform: platform, receivers: receivers, senders: senders))
            }
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
        print("hotline end-to-end benchmark: " + ways.map(\.title).joined(separator: ", ") + " → assignment.created (unit queue)")
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; services from \(environment.binDirectory); "
              + "submission body \(bodyBytes) B; \(rawConnections) connections for the raw database measurement")
        for note in notes { print("note: \(note)") }
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
                format: "phase %d: %@, offered %@; %d/%d tickets delivered, %d duplicate deliveries",
                r.number, r.via.title, r.offered, r.delivered, r.count, r.duplicates))
            print(String(format: "  %@: %.0f submissions/s; sustained (10th–90th pct of arrivals): %.0f tickets/s; overall %.0f tickets/s over %.1f s",
                         r.via == .amqp ? "publish" : "post", r.publishRate, r.sustainedRate, r.overallRate, r.seconds))
            print(String(format: "  latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f  (mean %.1f)",
                         r.latency.p50, r.latency.p95, r.latency.p99, r.latency.max, r.latency.mean))
            if let http = r.http {
                print(String(format: "  HTTP round trip ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f; answers 201 %d, 202 %d, other %@",
                             http.roundTrip.p50, http.roundTrip.p95, http.roundTrip.p99, http.roundTrip.max,
                             http.created, http.accepted, http.otherText))
            }
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
        if ways.contains(.open311) {
            print("")
            for line in Self.comparison(results) { print(line) }
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

    /// How a phase's submissions reach the platform.
    enum Via: String, Sendable {
        case amqp, open311

        var title: String { self == .amqp ? "AMQP gateway (ticket.submit)" : "Open311 (POST /requests.json)" }
        /// The submission ids' prefix (their house addresses carry them).
        var idPrefix: String { self == .amqp ? "BENCH" : "O311" }
    }

    /// What sends the phases' submissions, each way.
    struct Senders: Sendable {
        let gateway: RetryingPublisher
        let open311: Open311Client?

        func sender(_ via: Via, ids: [String]) -> any SubmissionSender {
            switch via {
            case .amqp: GatewaySender(gateway: gateway, ids: ids)
            case .open311: Open311Sender(client: open311!, ids: ids)
            }
        }
    }

    struct PhaseResult {
        var number: Int
        var via: Via
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
        /// The Open311 API's answers (Open311 phases).
        var http: Open311Sender.Answers?

        var offered: String { rate == 0 ? "as fast as possible" : "\(rate)/s" }
    }

    /// The phases side by side, by offered rate and way.
    static func comparison(_ results: [PhaseResult]) -> [String] {
        var lines = [
            "AMQP gateway vs Open311, by offered rate: sustained tickets/s; latency ms from the publish or the POST to the unit's receipt",
            "  offered   via       delivered      t/s      p50      p99   HTTP p50   HTTP p99     201     202   other",
        ]
        for r in results.sorted(by: { ($0.rate, $0.number) < ($1.rate, $1.number) }) {
            var line = "  " + (r.rate == 0 ? "max" : "\(r.rate)/s").padding(toLength: 10, withPad: " ", startingAt: 0)
                + r.via.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                + String(repeating: " ", count: max(0, 11 - "\(r.delivered)/\(r.count)".count)) + "\(r.delivered)/\(r.count)"
                + String(format: " %8.0f %8.1f %8.1f", r.sustainedRate, r.latency.p50, r.latency.p99)
            if let http = r.http {
                line += String(format: " %10.1f %10.1f %7d %7d %7d", http.roundTrip.p50, http.roundTrip.p99, http.created,
                               http.accepted, http.otherCount)
            }
            lines.append(line)
        }
        return lines
    }

    private func phase(
        _ number: Int, count: Int, rate: Int, via: Via, platform: Platform, receivers: UnitReceivers, senders: Senders
    ) async throws -> PhaseResult {
        let run = "\(via.idPrefix)-\(String(UUID().uuidString.prefix(6)))-P\(number)-"
        let ids = (0..<count).map { String(format: "%@%06d", run, $0) }
        let sender = senders.sender(via, ids: ids)
        let sentAt = Mutex<[String: Date]>([:])
        say("phase \(number): \(count) submissions via \(via.rawValue), offered \(rate == 0 ? "as fast as possible" : "\(rate)/s")")

        let before = try await platform.sample(before: true)
        let peaks = PeakMemory(platform.fleet)
        let started = Date()
        if rate == 0 {
            // As fast as possible: `chunk` submissions a call, up to `parallel` calls in flight (the
            // gateway: batches of 100, 16 publish calls with pipelined confirms; Open311: 64 requests).
            try await withThrowingTaskGroup(of: Void.self) { group in
                var running = 0
                for chunk in stride(from: 0, to: count, by: sender.chunk) {
                    let range = chunk..<min(count, chunk + sender.chunk)
                    if running >= sender.parallel {
                        try await group.next()
                        running -= 1
                    }
                    running += 1
                    let now = Date()
                    sentAt.withLock { for index in range { $0[ids[index]] = now } }
                    group.addTask { try await sender.send(range) }
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
                        let range = sent..<due
                        sentAt.withLock {
                            for index in range { $0[ids[index]] = started.addingTimeInterval(Double(index) / Double(rate)) }
                        }
                        sent = due
                        group.addTask { try await sender.send(range) }
                    }
                    try await Task.sleep(for: .milliseconds(5))
                }
                try await group.waitForAll()
            }
        }
        let published = Date()
        say(String(format: "phase %d: sent in %.1f s; waiting for the assignments", number, published.timeIntervalSince(started)))

        // Submissions the platform refused at the door (an Open311 answer other than 201/202) make no ticket.
        let expected = count - sender.refused
        var last = receivers.count(prefix: run)
        var lastProgress = Date()
        while last < expected {
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
            number: number, via: via, rate: rate, count: count, delivered: arrivals.count, duplicates: duplicates,
            publishRate: Double(count) / max(published.timeIntervalSince(started), 0.001), sustainedRate: sustained,
            overallRate: Double(arrivals.count) / max(seconds, 0.001), seconds: seconds, latency: latency,
            slowest: slowest, cost: cost, quiet: quiet, http: (sender as? Open311Sender)?.summary)
    }
}

/// Sends a phase's submissions: `send` hands submissions `range` (indices into the phase's ids) to
/// the platform and returns once it has taken them.
protocol SubmissionSender: Sendable {
    /// As fast as possible: submissions a `send` and `send` calls in flight.
    var chunk: Int { get }
    var parallel: Int { get }
    func send(_ range: Range<Int>) async throws
    /// Submissions the platform refused at the door (no ticket to wait for).
    var refused: Int { get }
}

/// Publishes a phase's submissions as the gateway (`ticket.submit` to `hotline.intake`), the messages
/// made before the phase starts.
struct GatewaySender: SubmissionSender {
    let gateway: RetryingPublisher
    let messages: [OutgoingMessage]

    init(gateway: RetryingPublisher, ids: [String]) {
        self.gateway = gateway
        messages = ids.map { BenchSubmission.message(id: $0, messageID: UUID().uuidString) }
    }

    var chunk: Int { 100 }
    var parallel: Int { 16 }
    var refused: Int { 0 }
    func send(_ range: Range<Int>) async throws { try await gateway.publish(Array(messages[range])) }
}
