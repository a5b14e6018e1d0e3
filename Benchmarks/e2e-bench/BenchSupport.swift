import ArgumentParser
import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage
import Logging
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The sandbox the programs run against, from the environment `deploy/local/sandbox.sh` or
/// `deploy/local/fault-test.sh` forms: database, admin broker URL (guest on the sandbox's virtual
/// host), the broker users' passwords, the built executables and the repository.
struct BenchEnvironment: Sendable {
    let databaseURL: String
    let adminAMQPURL: String
    let passwords: [String: String]
    /// Passwords of the services' database roles (`HOTLINE_DATABASE_PASSWORDS_FILE`).
    let databasePasswords: [String: String]
    let binDirectory: String
    let repoRoot: String
    /// The local stack's folder of secrets (`.local`): the passwords file's.
    let localDirectory: String

    /// The Open311 clients (`hotlinectl open311 client`) and the API key of the client `local`,
    /// both written by `platform.sh prepare` (deploy/local/lib.sh).
    var open311ClientsFile: String { "\(localDirectory)/open311-clients.yaml" }
    var open311KeyFile: String { "\(localDirectory)/open311-api-key" }

    static func load(binDir: String?) throws -> BenchEnvironment {
        let environment = ProcessInfo.processInfo.environment
        guard let database = environment["HOTLINE_DATABASE_URL"], let amqp = environment["HOTLINE_AMQP_URL"] else {
            throw ValidationError("set HOTLINE_DATABASE_URL and HOTLINE_AMQP_URL (a sandbox's database and virtual host, admin user)")
        }
        let root = environment["HOTLINE_REPO_ROOT"] ?? FileManager.default.currentDirectoryPath
        let bin = binDir ?? environment["HOTLINE_BIN_DIR"] ?? "\(root)/.build/release"
        let passwordsFile = URL(fileURLWithPath: environment["HOTLINE_PASSWORDS_FILE"] ?? "\(root)/.local/passwords.yaml")
        return BenchEnvironment(
            databaseURL: database, adminAMQPURL: amqp,
            passwords: (try? PasswordFile.read(passwordsFile)) ?? [:],
            databasePasswords: environment["HOTLINE_DATABASE_PASSWORDS_FILE"]
                .flatMap { try? PasswordFile.read(URL(fileURLWithPath: $0)) } ?? [:],
            binDirectory: bin, repoRoot: root, localDirectory: passwordsFile.deletingLastPathComponent().path)
    }

    /// The database URL a service runs with: its own role's (`hotlinectl migrate --passwords`), or
    /// the administrator's for a build from before the services had roles (no role passwords).
    func databaseURL(service: String) throws -> String {
        guard let role = DatabaseRole.of(service), !databasePasswords.isEmpty else { return databaseURL }
        return try role.url(from: databaseURL, passwords: databasePasswords)
    }

    /// The broker URL of one of the platform's users (`gateway`, `svc.intake`, …) on the same host and vhost.
    func amqpURL(user: String) throws -> String {
        let admin = try AMQPConfiguration(url: adminAMQPURL)
        guard let password = passwords[user] else { throw ValidationError("no password for broker user \(user) (HOTLINE_PASSWORDS_FILE)") }
        let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? password
        let vhost = admin.virtualHost.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "%2f"
        return "amqp://\(user):\(encoded)@\(admin.host):\(admin.port)/\(vhost)"
            + admin.nodes.dropFirst().map { ",\($0.host):\($0.port)" }.joined()
    }

    static let logger: Logger = {
        var logger = Logger(label: "hotline-bench")
        logger.logLevel = .warning
        return logger
    }()
}

/// Percentiles of a sample (milliseconds or whatever unit the values have).
struct Percentiles: Sendable {
    var count = 0
    var p50 = 0.0
    var p95 = 0.0
    var p99 = 0.0
    var max = 0.0
    var mean = 0.0

    init(_ values: [Double]) {
        let sorted = values.sorted()
        count = sorted.count
        guard !sorted.isEmpty else { return }
        func at(_ q: Double) -> Double { sorted[Swift.min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.down)))] }
        p50 = at(0.5)
        p95 = at(0.95)
        p99 = at(0.99)
        max = sorted.last!
        mean = sorted.reduce(0, +) / Double(sorted.count)
    }
}

/// CPU time and memory of processes, from /proc.
enum ProcessStats {
    static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// utime + stime of a process, in seconds (nil when it is gone).
    static func cpuSeconds(_ pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")")
        else { return nil }
        // Fields after "comm)": state is field 3; utime and stime are fields 14 and 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / ticksPerSecond
    }

    /// The process's command name (`comm`).
    static func name(_ pid: Int32) -> String? {
        (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The process's command line with its arguments joined by spaces (a PostgreSQL backend shows
    /// `postgres: USER DATABASE HOST(PORT) STATE` there).
    static func commandLine(_ pid: Int32) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
        return String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }

    /// A `kB` field of /proc/<pid>/status (VmRSS, VmHWM), in MB.
    static func memoryMB(_ pid: Int32, field: String) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            return line.split(separator: " ").dropFirst().first.flatMap { Double($0) }.map { $0 / 1024 }
        }
        return nil
    }

    /// Every pid whose command name is `name` (e.g. `postgres`, `beam.smp`).
    static func pids(named name: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { self.name($0) == name }
    }

    /// Busy and total jiffies of the whole machine (first line of /proc/stat).
    static func machine() -> (busy: Double, total: Double) {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first
        else { return (0, 0) }
        let values = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        let total = values.reduce(0, +)
        let idle = values.count > 4 ? values[3] + values[4] : 0
        return (total - idle, total)
    }
}

/// Submissions as a gateway sends them, each with its own phone and house address so that none
/// merges into another (intake merges a demand at the same place or from the same citizen), received
/// when they are sent (a demand received days ago would breach its dispatch deadline at once).
enum BenchSubmission {
    static let addressPrefix = "秀新路12号 "
    /// The demand every submission makes (the Open311 phases post the same, Open311Driver.swift).
    static let category = "CG-001"
    static let familyName = "张", givenName = "女士"
    static let title = "小区门口占道经营"
    static let description = "小区门口有流动摊贩占道经营，影响通行"
    static let street = "坑梓街道", community = "秀新社区"

    static func body(id: String, category: String = category, receivedAt: Date = Date()) -> [UInt8] {
        let object: [String: Any] = [
            "submission_id": id,
            "channel": "hotline",
            "received_at": RFC3339.string(from: receivedAt),
            "citizen": ["name": familyName + givenName, "phone": phone(for: id), "anonymous": false],
            "category": category,
            "title": title,
            "description": description,
            "location": ["street": street, "community": community, "address": addressPrefix + id],
        ]
        return Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// A plausible mobile number (1[3-9] and nine digits) for a submission id, never the same for two
    /// submissions of one phase: two sharing a number would be one citizen's, and intake would merge
    /// the later demand into the earlier ticket (no assignment for the benchmark to see). The ids of
    /// a phase share a prefix and end in their index, so the numbers of a phase are consecutive from
    /// a point the prefix picks (a hash over the whole space of 7×10⁹ numbers).
    static func phone(for id: String) -> String {
        let digits = id.reversed().prefix { $0.isASCII && $0.isNumber }.count
        let index = digits > 0 && digits < 19 ? UInt64(id.suffix(digits)) ?? 0 : 0
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.dropLast(digits > 0 && digits < 19 ? digits : 0).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        // FNV-1a's low digits barely change between similar prefixes: mix them (SplitMix64's finaliser).
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        hash ^= hash >> 31
        let number = (hash % 7_000_000_000 + index) % 7_000_000_000
        return "1\(3 + number / 1_000_000_000)" + String(format: "%09llu", number % 1_000_000_000)
    }

    static func message(id: String, messageID: String, receivedAt: Date = Date()) -> OutgoingMessage {
        OutgoingMessage(
            exchange: "hotline.intake", routingKey: "ticket.submit",
            properties: AMQPProperties(messageID: messageID, type: "ticket.submit", userID: "gateway", timestamp: Date()),
            body: body(id: id, receivedAt: receivedAt), mandatory: true)
    }

    /// The submission id an `assignment.created` body belongs to (from the house address), if any.
    static func submissionID(ofAssignment body: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let location = object["location"] as? [String: Any], let address = location["address"] as? String,
              address.hasPrefix(addressPrefix)
        else { return nil }
        return String(address.dropFirst(addressPrefix.count))
    }
}

/// Publishes with retries: a message whose publish failed (connection lost, broker restarting) is
/// published again with the same message_id until confirmed, so the platform must absorb the copies.
final class RetryingPublisher: Sendable {
    let publisher: AMQPPublisher
    let retries = Atomic<Int>(0)

    init(url: String) throws {
        publisher = AMQPPublisher(configuration: try AMQPConfiguration(url: url), logger: BenchEnvironment.logger)
    }

    /// Returns once every message is confirmed (or returned: counted as failed and retried too).
    func publish(_ messages: [OutgoingMessage], giveUpAfter: TimeInterval = 600) async throws {
        var pending = messages
        let deadline = Date().addingTimeInterval(giveUpAfter)
        while !pending.isEmpty {
            do {
                let outcomes = try await publisher.publish(pending)
                pending = zip(pending, outcomes).filter { $0.1 != .confirmed }.map(\.0)
            } catch {}
            if !pending.isEmpty {
                retries.add(pending.count, ordering: .relaxed)
                guard Date() < deadline else { throw ValidationError("could not publish \(pending.count) messages") }
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }
}

/// The platform's services, started as processes the way operators run them (deploy/local/platform.sh
/// SERVICES), `copies` of each. A service an older build lacks (`optional`) is left out with a note,
/// so that older commits stay benchable.
final class ServiceFleet: Sendable {
    static let names = ["intake", "dispatcher", "sla-timer", "escalation-notifier", "survey", "knowledge", "open311"]
    static let optional: Set<String> = ["open311"]
    /// The Open311 API listens on its copy's health port + 224 (deploy/local/lib.sh `service_settings`).
    static let open311APIOffset = 224

    struct Member: Sendable {
        /// The service, with the copy's number after the first (`intake`, `intake-2`).
        let name: String
        /// The service alone (`intake`).
        let service: String
        let port: Int
        let process: Process
        var pid: Int32 { process.processIdentifier }
    }

    let members: [Member]
    /// The services started (`names` without those the build lacks).
    let services: [String]
    /// Why a service was left out, one line each.
    let notes: [String]

    init(environment: BenchEnvironment, portBase: Int, copies: Int = 1, extra: [String: String]) throws {
        let bin = URL(fileURLWithPath: environment.binDirectory)
        var services: [String] = [], notes: [String] = []
        for name in Self.names {
            if Self.optional.contains(name), !FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("hotline-\(name)").path) {
                notes.append("hotline-\(name) is not in \(environment.binDirectory) (a build from before it): not started")
            } else {
                services.append(name)
            }
        }
        var members: [Member] = []
        for copy in 0..<max(1, copies) {
            for (index, name) in Self.names.enumerated() where services.contains(name) {
                // By the position in `names`, so that a service's port does not depend on which are there.
                let port = portBase + 1 + index + 10 * copy
                let process = try Self.start(name, port: port, environment: environment, extra: extra)
                members.append(Member(name: copy == 0 ? name : "\(name)-\(copy + 1)", service: name, port: port, process: process))
            }
        }
        self.members = members
        self.services = services
        self.notes = notes
    }

    /// The ports of the Open311 API, one per copy (none when the build has no open311).
    var open311Ports: [Int] {
        members.filter { $0.service == "open311" }.map { $0.port + Self.open311APIOffset }
    }

    /// A service's own secrets and listeners, as deploy/local/lib.sh `service_settings` gives them.
    private static func settings(_ name: String, port: Int, environment: BenchEnvironment) -> [String: String] {
        switch name {
        case "open311":
            ["HOTLINE_OPEN311_CLIENTS_FILE": environment.open311ClientsFile, "HOTLINE_OPEN311_PORT": String(port + open311APIOffset)]
        default: [:]
        }
    }

    /// Starts one copy of a service, its output in `.local/logs/bench-<service>-<port>.log`.
    private static func start(_ name: String, port: Int, environment: BenchEnvironment, extra: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: environment.binDirectory).appendingPathComponent("hotline-\(name)")
        var variables = ProcessInfo.processInfo.environment
        variables["HOTLINE_HTTP_PORT"] = String(port)
        variables["HOTLINE_DATABASE_URL"] = try environment.databaseURL(service: name)
        variables["HOTLINE_AMQP_URL"] = try environment.amqpURL(user: "svc.\(name)")
        for (key, value) in settings(name, port: port, environment: environment) { variables[key] = value }
        for (key, value) in extra { variables[key] = value }
        process.environment = variables
        process.currentDirectoryURL = URL(fileURLWithPath: environment.repoRoot)
        let logs = URL(fileURLWithPath: environment.repoRoot).appendingPathComponent(".local/logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let logURL = logs.appendingPathComponent("bench-\(name)-\(port).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    func waitHealthy(timeout: TimeInterval = 90) async throws {
        for member in members {
            let deadline = Date().addingTimeInterval(timeout)
            while await HTTP.status(port: member.port, path: "/health") != 200 {
                guard Date() < deadline, member.process.isRunning else {
                    throw ValidationError("\(member.name) not healthy (see .local/logs/bench-*-\(member.port).log)")
                }
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    func stop() {
        for member in members where member.process.isRunning { member.process.terminate() }
        let deadline = Date().addingTimeInterval(20)
        for member in members {
            while member.process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
            if member.process.isRunning { kill(member.pid, SIGKILL) }
        }
    }
}

enum HTTP {
    enum HealthAnswer: Sendable {
        case status(Int)
        case timedOut
        case failed(String)
    }

    static func health(port: Int) async -> HealthAnswer {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/health")!)
        request.timeoutInterval = 10
        do {
            let (_, response) = try await URLSession.shared.data(for: request)
            return .status((response as? HTTPURLResponse)?.statusCode ?? 0)
        } catch let error as URLError where error.code == .timedOut {
            return .timedOut
        } catch {
            return .failed("\(error.localizedDescription)")
        }
    }

    static func status(port: Int, path: String) async -> Int? {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.timeoutInterval = 5
        guard let (_, response) = try? await URLSession.shared.data(for: request) else { return nil }
        return (response as? HTTPURLResponse)?.statusCode
    }

    static func text(port: Int, path: String) async -> String? {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.timeoutInterval = 10
        guard let (data, response) = try? await URLSession.shared.data(for: request),
              (response as? HTTPURLResponse)?.statusCode == 200
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Prometheus text: sums of the samples of one metric, grouped by the value of one label.
enum PrometheusText {
    static func sum(_ text: String, metric: String, by label: String? = nil) -> [String: Double] {
        var result: [String: Double] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix(metric + "{") || line.hasPrefix(metric + " ") {
            guard let value = line.split(separator: " ").last.flatMap({ Double($0) }) else { continue }
            var key = ""
            if let label, let range = line.range(of: "\(label)=\"") {
                let rest = line[range.upperBound...]
                key = String(rest.prefix { $0 != "\"" })
            }
            result[key, default: 0] += value
        }
        return result
    }
}

func say(_ text: String) {
    let formatter = DateFormatter()
    formatter.dateFormat = "HH:mm:ss"
    FileHandle.standardError.write(Data("[hotline-bench \(formatter.string(from: Date()))] \(text)\n".utf8))
}

extension Database {
    func int(_ sql: String, _ parameters: [String] = []) async throws -> Int {
        try await withConnection { connection in
            try connection.query(sql, parameters).first?.decode("n", as: Int.self) ?? 0
        }
    }
}

/// A counter shared between tasks.
final class SharedCounter: Sendable {
    private let value = Atomic<Int>(0)
    /// Adds `n` and returns the value before.
    @discardableResult
    func add(_ n: Int = 1) -> Int { value.add(n, ordering: .relaxed).oldValue }
    var current: Int { value.load(ordering: .relaxed) }
}
