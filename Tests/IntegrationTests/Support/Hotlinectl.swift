import Foundation

/// Runs `hotlinectl` (or another program) with the test environment, stdout and stderr kept apart in files.
enum Ctl {
    struct Run: Sendable {
        let status: Int32
        let output: String
        let error: String
    }

    static func run(_ stack: TestStack, _ arguments: [String], timeout: TimeInterval = 60) async throws -> Run {
        try await run(
            stack, executable: URL(fileURLWithPath: stack.binDirectory).appendingPathComponent("hotlinectl").path, arguments,
            timeout: timeout)
    }

    /// Runs any program the same way, in the package root (a script of `deploy/`, say).
    static func run(_ stack: TestStack, executable: String, _ arguments: [String], timeout: TimeInterval) async throws -> Run {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ctl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out").path, err = directory.appendingPathComponent("err").path
        var environment = ProcessInfo.processInfo.environment
        environment["HOTLINE_AMQP_URL"] = stack.adminAMQPURL
        environment["HOTLINE_DATABASE_URL"] = stack.databaseURL
        let child = try ChildProcess(
            executable: "/bin/sh", arguments: ["-c", "exec \"$0\" \"$@\" >\"\(out)\" 2>\"\(err)\""] + [executable] + arguments,
            environment: environment, directory: stack.repoRoot, logFile: nil)
        let deadline = Date().addingTimeInterval(timeout)
        while child.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if child.isRunning { child.signal(SIGKILL) }
        let status = child.wait(timeout: 5).map(ChildProcess.exitCode) ?? -1
        return Run(
            status: status, output: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            error: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }
}
