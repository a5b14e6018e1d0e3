import Foundation
import XCTest
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One platform service started as a separate process, as operators run it.
final class ServiceProcess: Sendable {
    let name: String
    let httpPort: Int
    /// The log file, and its length before this process wrote to it (runs append to the same file).
    let logFile: String
    private let logStart: Int
    private let child: ChildProcess

    /// Starts `hotline-<name>` as broker user `svc.<name>` and database role `<database>_<name>`, logging to `.local/logs/test-<name>-<port>.log`.
    init(_ name: String, stack: TestStack, httpPort: Int, extraEnvironment: [String: String] = [:]) throws {
        self.name = name
        self.httpPort = httpPort
        var environment = ProcessInfo.processInfo.environment
        environment["HOTLINE_AMQP_URL"] = stack.amqpURL(user: "svc.\(name)")
        environment["HOTLINE_DATABASE_URL"] = try stack.databaseURL(service: name)
        environment["HOTLINE_HTTP_PORT"] = String(httpPort)
        environment["HOTLINE_RELAY_INTERVAL"] = "0.05"
        // Each service gets only its own secrets: the citizen-key secret is intake's.
        if name != "intake" { environment["HOTLINE_CITIZEN_KEY_FILE"] = nil }
        if name == "open311" {
            environment["HOTLINE_OPEN311_PORT"] = String(Open311Endpoint.port(stack))
            environment["HOTLINE_OPEN311_CLIENTS_FILE"] = stack.repoRoot + "/.local/open311-clients.yaml"
        }
        if name == "console" { environment["HOTLINE_CONSOLE_PORT"] = String(ConsoleEndpoint.port(stack)) }
        for (key, value) in extraEnvironment { environment[key] = value }
        let logs = URL(fileURLWithPath: stack.repoRoot).appendingPathComponent(".local/logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        logFile = logs.appendingPathComponent("test-\(name)-\(httpPort).log").path
        logStart = (try? FileManager.default.attributesOfItem(atPath: logFile)[.size] as? Int) ?? 0
        child = try ChildProcess(
            executable: URL(fileURLWithPath: stack.binDirectory).appendingPathComponent("hotline-\(name)").path,
            arguments: [], environment: environment, directory: stack.repoRoot, logFile: logFile)
    }

    /// What this process has logged so far.
    var log: String {
        guard let data = FileManager.default.contents(atPath: logFile), data.count >= logStart else { return "" }
        return String(decoding: data.dropFirst(logStart), as: UTF8.self)
    }

    /// Waits until the process has logged `text`; a timeout fails the test.
    func waitForLog(containing text: String, timeout: TimeInterval = 30, file: StaticString = #filePath, line: UInt = #line) async {
        let deadline = Date().addingTimeInterval(timeout)
        while !log.contains(text) {
            if Date() >= deadline {
                XCTFail("\(name) did not log \"\(text)\" within \(Int(timeout)) s", file: file, line: line)
                return
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    var isRunning: Bool { child.isRunning }

    /// The process id, for tests that signal it themselves.
    var pid: Int32 { child.pid }

    /// SIGKILL: no chance to clean up, as in a crash.
    func kill() {
        child.signal(SIGKILL)
        child.wait(timeout: 30)
    }

    /// SIGTERM and wait for the graceful shutdown (SIGKILL after the timeout); returns the wait status.
    @discardableResult
    func terminate(timeout: TimeInterval = 20) -> Int32 {
        child.signal(SIGTERM)
        if let status = child.wait(timeout: timeout) { return status }
        kill()
        return -1
    }

    /// Waits (without blocking a thread) up to `timeout` seconds for the process to exit; its exit
    /// code, or nil when it still runs.
    func exitCode(within timeout: TimeInterval) async -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while child.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(100)) }
        return child.wait(timeout: 0).map(ChildProcess.exitCode)
    }

    /// Polls `/health` until it answers 200 (the service reaches both servers).
    func waitUntilHealthy(timeout: TimeInterval = 60) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let status = try? await HTTPProbe.status(port: httpPort, path: "/health"), status == 200 { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw NSError(domain: "service", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(name) not healthy after \(timeout)s"])
    }

    /// The `/metrics` text.
    func metrics() async throws -> String {
        try await HTTPProbe.body(port: httpPort, path: "/metrics")
    }
}

enum HTTPProbe {
    static func status(port: Int, path: String) async throws -> Int {
        let (_, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    static func body(port: Int, path: String) async throws -> String {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        return String(decoding: data, as: UTF8.self)
    }
}
