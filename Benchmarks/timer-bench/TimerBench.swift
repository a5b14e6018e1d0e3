import ArgumentParser
import Foundation
import HotlineMessaging
import HotlineStorage
import Logging
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Measures the SLA timer: loads a million pending timers spread over 30 days, then for one and for
/// two `hotline-sla-timer` copies streams timers that fall due a few seconds after they are written,
/// and prints the firing lateness (p50, p99, max: by the table's `fired_at − due_at`, and by the
/// arrival of the published event), the copies' peak resident memory (VmHWM), and the poll time.
/// It asserts nothing.
///
/// Run it against a sandbox database and virtual host (never a production one: it writes and deletes
/// `BENCH-*` timers), e.g. after `deploy/local/sandbox.sh slabench …` prepared `hotline_slabench`:
///
///     HOTLINE_DATABASE_URL=postgres://hotline:hotline@127.0.0.1:5432/hotline_slabench \
///     HOTLINE_AMQP_URL=amqp://guest:guest@127.0.0.1:5672/hotline-slabench \
///     .build/release/hotline-timer-bench --bin-dir .build/release
@main
struct TimerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hotline-timer-bench",
        abstract: "Firing lateness, memory and poll time of hotline-sla-timer with many pending timers.")

    @Option(help: "Pending timers loaded first, due over --spread-days.")
    var pending = 1_000_000

    @Option(help: "Days the pending timers' due times spread over.")
    var spreadDays = 30.0

    @Option(help: "Streamed timers falling due per second.")
    var rate = 200

    @Option(help: "Seconds of streaming per phase.")
    var seconds = 60

    @Option(help: "Seconds between writing a streamed timer and its due time.")
    var lead = 3.0

    @Option(help: "Phases: how many sla-timer copies run in each, comma-separated.")
    var copies = "1,2"

    @Option(help: "Folder of the hotline-sla-timer executable (default: HOTLINE_BIN_DIR or .build/release).")
    var binDir: String?

    @Option(help: "First HTTP port of the sla-timer copies.")
    var portBase = 19460

    @Option(help: "HOTLINE_TIMER_POLL_SECONDS for the copies (default: theirs, 1 s).")
    var pollSeconds: Double?

    @Option(help: "Seconds to wait after loading (and vacuuming) before the first phase, for the server's writes to settle.")
    var settle = 20.0

    @Flag(help: "Keep the BENCH-* timers afterwards.")
    var keep = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let databaseURL = environment["HOTLINE_DATABASE_URL"], let amqpURL = environment["HOTLINE_AMQP_URL"] else {
            throw ValidationError("set HOTLINE_DATABASE_URL and HOTLINE_AMQP_URL (a sandbox's database and virtual host)")
        }
        let phases = copies.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 > 0 }
        guard !phases.isEmpty, rate > 0, seconds > 0, pending >= 0 else { throw ValidationError("nothing to measure") }
        let bin = binDir ?? environment["HOTLINE_BIN_DIR"] ?? ".build/release"
        let binary = URL(fileURLWithPath: bin).appendingPathComponent("hotline-sla-timer").path
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw ValidationError("no executable \(binary)") }

        var logger = Logger(label: "timer-bench")
        logger.logLevel = .warning
        let database = Database(url: databaseURL, applicationName: "timer-bench", size: 4, logger: logger)
        defer { Task { await database.shutdown() } }

        say("cleaning up earlier BENCH-* timers")
        try await deleteBenchTimers(database)
        try await loadPending(database)
        let idlePoll = try await explainPoll(database)
        say(String(format: "claim query with %d pending and none due: %.3f ms (EXPLAIN ANALYZE, median of 21)", pending, idlePoll * 1000))

        var results: [PhaseResult] = []
        for (index, count) in phases.enumerated() {
            results.append(try await phase(
                index + 1, copies: count, binary: binary, databaseURL: databaseURL, amqpURL: amqpURL, database: database,
                logger: logger))
        }

        print("")
        print("hotline-sla-timer benchmark: \(pending) pending timers over \(Int(spreadDays)) days; "
              + "\(rate) timers/s falling due for \(seconds) s per phase (written \(lead) s ahead)")
        print("claim query, nothing due: \(String(format: "%.3f", idlePoll * 1000)) ms")
        print("copies  fired   table lateness p50/p99/max (ms)   event lateness p50/p99/max (ms)   peak RSS (MB)   polls  poll avg/max (ms)")
        for r in results {
            let memory = r.peakRSS.map { String(format: "%.1f", $0) }.joined(separator: " + ")
            print(
                String(
                    format: "%6d  %6d   %7.1f / %7.1f / %7.1f        %7.1f / %7.1f / %7.1f        ",
                    r.copies, r.fired, r.table.p50, r.table.p99, r.table.max, r.events.p50, r.events.p99, r.events.max)
                    + memory.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + String(format: "%6d  %6.2f / %6.1f", r.polls, r.pollAverage * 1000, r.pollMax * 1000))
        }
        if !keep {
            say("deleting the BENCH-* timers")
            try await deleteBenchTimers(database)
        }
    }

    // MARK: - Loading

    private func deleteBenchTimers(_ database: Database) async throws {
        _ = try await database.withConnection { connection in
            try connection.query("DELETE FROM sla_timers WHERE subject LIKE 'BENCH-%'")
        }
    }

    /// Inserts the pending timers in chunks, server-side (generate_series).
    private func loadPending(_ database: Database) async throws {
        guard pending > 0 else { return }
        let started = Date()
        let now = Date()
        let chunk = 100_000
        var from = 1
        while from <= pending {
            let to = min(pending, from + chunk - 1)
            _ = try await database.withConnection { [from, spreadDays] connection in
                try connection.query(
                    """
                    INSERT INTO sla_timers (subject, ticket_no, unit, deadline, action, purpose, due_at, deadline_at, created_at)
                    SELECT 'BENCH-P-' || g, 'BENCH-P-' || g, 'CG', 'resolve', 'breach', 'resolve.breach', d, d, $1
                    FROM (SELECT g, $1::timestamptz + random() * $2::float8 * interval '1 day' AS d
                          FROM generate_series($3::int, $4::int) AS g) s
                    """, [now, spreadDays, from, to])
            }
            from = to + 1
        }
        say(String(format: "loaded %d pending timers in %.1f s", pending, Date().timeIntervalSince(started)))
        _ = try await database.withConnection { connection in try connection.query("VACUUM (ANALYZE) sla_timers") }
        say(String(format: "vacuumed; settling for %.0f s", settle))
        try await Task.sleep(for: .seconds(settle))
    }

    /// The firing query of the poller, explained and run with nothing due (rolled back).
    private func explainPoll(_ database: Database) async throws -> Double {
        var times: [Double] = []
        for _ in 0..<21 {
            let text = try await database.withConnection { connection -> String in
                try connection.query("BEGIN")
                defer { _ = try? connection.query("ROLLBACK") }
                let rows = try connection.query(
                    """
                    EXPLAIN (ANALYZE, FORMAT JSON)
                    SELECT t.id, t.ticket_no, t.assignment_id, t.unit, t.deadline, t.action, t.due_at, t.deadline_at,
                           t.days_overdue, a.state AS assignment_state
                    FROM sla_timers t LEFT JOIN assignments a ON a.assignment_id = t.assignment_id
                    WHERE t.state = 'pending' AND t.due_at <= $1
                    ORDER BY t.due_at LIMIT 500 FOR UPDATE OF t SKIP LOCKED
                    """, [Date().addingTimeInterval(-3600)])
                return rows.first?["QUERY PLAN"] ?? "[]"
            }
            let plan = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]]
            if let ms = plan?.first?["Execution Time"] as? Double { times.append(ms / 1000) }
        }
        return Stats(times).p50
    }

    // MARK: - One phase

    struct PhaseResult {
        var copies: Int
        var fired: Int
        var table: Stats
        var events: Stats
        var peakRSS: [Double]
        var polls: Int
        var pollAverage: Double
        var pollMax: Double
    }

    private func phase(
        _ number: Int, copies: Int, binary: String, databaseURL: String, amqpURL: String, database: Database,
        logger: Logger
    ) async throws -> PhaseResult {
        say("phase \(number): starting \(copies) sla-timer cop\(copies == 1 ? "y" : "ies")")
        var processes: [Process] = []
        var ports: [Int] = []
        for copy in 0..<copies {
            let port = portBase + 10 * number + copy
            processes.append(try launch(binary: binary, port: port, databaseURL: databaseURL, amqpURL: amqpURL))
            ports.append(port)
        }
        defer { for process in processes where process.isRunning { process.terminate() } }
        for port in ports { try await waitHealthy(port: port) }

        // Observe the published events.
        let queue = "hotline.bench.\(UUID().uuidString.prefix(8))"
        let consumer = AMQPConsumer(
            configuration: try AMQPConfiguration(url: amqpURL), queue: queue,
            topology: AMQPTopology(
                queues: [.init(queue, arguments: [:])],
                bindings: [.init(queue: queue, exchange: "hotline.events", routingKey: "sla.#")]),
            prefetch: 500, logger: logger)
        let arrivals = Mutex<[String: Date]>([:])
        let prefix = "BENCH-S\(number)-"
        let observing = Task {
            for await delivery in consumer.deliveries {
                let received = Date()
                if let object = try? JSONSerialization.jsonObject(with: Data(delivery.body)) as? [String: Any],
                   let subject = object["ticket_no"] as? String, subject.hasPrefix(prefix) {
                    arrivals.withLock { if $0[subject] == nil { $0[subject] = received } }
                }
                consumer.ack(delivery)
            }
        }
        let connectDeadline = Date().addingTimeInterval(20)
        while !consumer.isConnected, Date() < connectDeadline { try await Task.sleep(for: .milliseconds(50)) }

        // Sample resident memory while streaming.
        let pids = processes.map(\.processIdentifier)
        let peaks = Mutex<[Double]>(Array(repeating: 0, count: pids.count))
        let sampling = Task {
            while !Task.isCancelled {
                for (index, pid) in pids.enumerated() {
                    if let hwm = Self.memory(pid: pid, field: "VmHWM") { peaks.withLock { $0[index] = max($0[index], hwm) } }
                }
                try? await Task.sleep(for: .milliseconds(500))
            }
        }

        // Stream timers falling due: every 100 ms a batch due `lead` seconds later, evenly spaced.
        say("phase \(number): streaming \(rate) timers/s for \(seconds) s")
        var dues: [String: Date] = [:]
        let perTick = max(1, rate / 10)
        let ticks = seconds * 10
        let start = Date()
        var serial = 0
        for tick in 0..<ticks {
            let tickStart = start.addingTimeInterval(Double(tick) * 0.1)
            let wait = tickStart.timeIntervalSinceNow
            if wait > 0 { try await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
            var subjects: [String] = []
            var times: [Date] = []
            for i in 0..<perTick {
                serial += 1
                let subject = "\(prefix)\(serial)"
                let due = tickStart.addingTimeInterval(lead + 0.1 * Double(i) / Double(perTick))
                subjects.append(subject)
                times.append(due)
                dues[subject] = due
            }
            _ = try await database.withConnection { [subjects, times] connection in
                try connection.query(
                    """
                    INSERT INTO sla_timers (subject, ticket_no, unit, deadline, action, purpose, due_at, deadline_at, created_at)
                    SELECT x.s, x.s, 'CG', 'resolve', 'breach', 'resolve.breach', x.d, x.d, $3
                    FROM unnest($1::text[], $2::timestamptz[]) AS x(s, d)
                    """, [subjects, times, Date()])
            }
        }
        let total = dues.count

        // Wait for the last ones to fire and arrive.
        let finish = Date().addingTimeInterval(lead + 30)
        while Date() < finish {
            let arrived = arrivals.withLock { $0.count }
            if arrived >= total { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        sampling.cancel()
        let rows = try await database.withConnection { connection in
            try connection.query(
                "SELECT extract(epoch FROM fired_at - due_at)::float8 AS late FROM sla_timers WHERE subject LIKE $1 AND state = 'fired'",
                ["\(prefix)%"]
            ).map { try $0.decode("late", as: Double.self) }
        }
        let seen = arrivals.withLock { $0 }
        let eventLateness = seen.compactMap { subject, received in dues[subject].map { received.timeIntervalSince($0) } }
        var polls = 0, pollSum = 0.0, pollMax = 0.0
        for port in ports {
            let metrics = (try? await Self.fetch(port: port, path: "/metrics")) ?? ""
            polls += Int(Self.metric(metrics, "hotline_sla_timer_poll_seconds_count") ?? 0)
            pollSum += Self.metric(metrics, "hotline_sla_timer_poll_seconds_sum") ?? 0
            pollMax = max(pollMax, Self.metric(metrics, "hotline_sla_timer_poll_max_seconds") ?? 0)
        }
        let finalPeaks = zip(pids, peaks.withLock { $0 }).map { pid, sampled in
            max(sampled, Self.memory(pid: pid, field: "VmHWM") ?? 0) / 1024
        }
        for process in processes where process.isRunning { process.terminate() }
        for process in processes { process.waitUntilExit() }
        consumer.pause()
        await consumer.stop()
        observing.cancel()
        try? await AMQPAdmin(configuration: try AMQPConfiguration(url: amqpURL)).deleteQueue(queue)
        say("phase \(number): \(rows.count) of \(total) fired, \(seen.count) events arrived")
        return PhaseResult(
            copies: copies, fired: rows.count, table: Stats(rows.map { $0 * 1000 }),
            events: Stats(eventLateness.map { $0 * 1000 }), peakRSS: finalPeaks, polls: polls,
            pollAverage: polls > 0 ? pollSum / Double(polls) : 0, pollMax: pollMax)
    }

    private func launch(binary: String, port: Int, databaseURL: String, amqpURL: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        var environment = ProcessInfo.processInfo.environment
        environment["HOTLINE_HTTP_PORT"] = String(port)
        environment["HOTLINE_DATABASE_URL"] = databaseURL
        environment["HOTLINE_AMQP_URL"] = amqpURL
        environment["HOTLINE_LOG_LEVEL"] = environment["HOTLINE_LOG_LEVEL"] ?? "warning"
        if let pollSeconds { environment["HOTLINE_TIMER_POLL_SECONDS"] = String(pollSeconds) }
        process.environment = environment
        let logs = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".local/logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let logURL = logs.appendingPathComponent("bench-sla-timer-\(port).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process.standardOutput = log
        process.standardError = log
        try process.run()
        return process
    }

    private func waitHealthy(port: Int) async throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if (try? await Self.fetch(port: port, path: "/health")) != nil { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw ValidationError("sla-timer on port \(port) not healthy after 60 s (see .local/logs/bench-sla-timer-\(port).log)")
    }

    // MARK: - Helpers

    static func fetch(port: Int, path: String) async throws -> String {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw CancellationError() }
        return String(decoding: data, as: UTF8.self)
    }

    /// The first sample of a Prometheus metric (without labels).
    static func metric(_ text: String, _ name: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") || line.hasPrefix(name + "{") {
            if let value = line.split(separator: " ").last.flatMap({ Double($0) }) { return value }
        }
        return nil
    }

    /// A `kB` field of /proc/<pid>/status (VmRSS, VmHWM), in kB.
    static func memory(pid: Int32, field: String) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            return line.split(separator: " ").dropFirst().first.flatMap { Double($0) }
        }
        return nil
    }

    private func say(_ text: String) {
        FileHandle.standardError.write(Data("[timer-bench \(RFC3339Short.now())] \(text)\n".utf8))
    }
}

/// p50, p99 and max of a sample.
struct Stats {
    var p50 = 0.0
    var p99 = 0.0
    var max = 0.0

    init(_ values: [Double]) {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return }
        func at(_ q: Double) -> Double { sorted[Swift.min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.down)))] }
        p50 = at(0.5)
        p99 = at(0.99)
        max = sorted.last!
    }
}

enum RFC3339Short {
    static func now() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: Date())
    }
}
