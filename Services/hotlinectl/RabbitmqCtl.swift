import ArgumentParser
import Foundation

/// Runs `rabbitmqctl` for what AMQP cannot do (users and permissions), as the operator configures it:
/// `command` is split at spaces (`sudo rabbitmqctl`, `deploy/local/stack.sh rabbitmqctl`).
struct RabbitmqCtl {
    let command: String

    /// Removes a broker user's access to `vhost`: the user is deleted when it has no other virtual host,
    /// otherwise only its permissions there are cleared. Says what it did.
    func removeUser(_ user: String, vhost: String) async throws -> String {
        let listed = try await run(["-q", "--no-table-headers", "list_user_permissions", user])
        guard listed.status == 0 else {
            if listed.output.contains("no_such_user") || listed.output.contains("does not exist") {
                return "the broker user \(user) was already removed"
            }
            throw ValidationError("rabbitmqctl list_user_permissions \(user): \(listed.output)")
        }
        // Lines of `vhost<TAB>configure<TAB>write<TAB>read`; anything else is not a permission.
        let others = listed.output.split(separator: "\n").filter { $0.contains("\t") }
            .compactMap { $0.split(separator: "\t").first.map(String.init) }
            .filter { $0 != vhost }
        if others.isEmpty {
            try await check(["-q", "delete_user", user])
            return "deleted the broker user \(user)"
        }
        try await check(["-q", "clear_permissions", "-p", vhost, user])
        try await check(["-q", "clear_topic_permissions", "-p", vhost, user])
        return "cleared \(user)'s permissions in \(vhost) (it keeps \(others.joined(separator: ", ")))"
    }

    private func check(_ arguments: [String]) async throws {
        let result = try await run(arguments)
        guard result.status == 0 else {
            throw ValidationError("rabbitmqctl \(arguments.joined(separator: " ")): \(result.output)")
        }
    }

    /// Runs the command with `arguments`; its exit status and output (standard output and error).
    private func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let words = command.split(separator: " ").map(String.init)
        guard !words.isEmpty else { throw ValidationError("--rabbitmqctl is empty") }
        // The output goes to a file read afterwards: nothing blocks while the command runs.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hotlinectl-rabbitmqctl-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("cannot write \(file.path)")
        }
        defer { try? FileManager.default.removeItem(at: file) }
        let sink = try FileHandle(forWritingTo: file)
        defer { try? sink.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = words + arguments
        process.standardOutput = sink
        process.standardError = sink
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        let output = String(decoding: try Data(contentsOf: file), as: UTF8.self)
        return (status, output.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
