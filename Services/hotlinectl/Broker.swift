import ArgumentParser
import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

struct Broker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Declare the broker topology, or write RabbitMQ definitions with users and permissions.",
        subcommands: [Setup.self, Definitions.self])

    struct Setup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Declare exchanges, queues and bindings over AMQP, unit queues included (idempotent).")

        func run() async throws {
            try await runReportingErrors {
                let units = try await withDatabase { try await UnitDirectory.activeUnits($0) }
                var topology = HotlineTopology.core
                for unit in units { topology = topology + HotlineTopology.unit(unit) }
                try await CtlEnvironment().admin().declare(topology)
                print("declared \(topology.exchanges.count) exchanges, \(Set(topology.queues.map(\.name)).count) queues")
            }
        }
    }

    struct Definitions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write users, permissions and topology for `rabbitmqctl import_definitions`.")

        @Option(help: "Where to write the definitions document.")
        var out: String

        @Option(help: "YAML file of user → password; generated (mode 0600) when absent, completed when users are missing.")
        var passwords: String?

        @Option(help: "Virtual host; default the one HOTLINE_AMQP_URL names.")
        var vhost: String?

        func run() async throws {
            try await runReportingErrors {
                let units = try await withDatabase { try await UnitDirectory.activeUnits($0) }
                let users = BrokerDefinitions.users(units: units)
                let passwordFile = passwords.map { URL(fileURLWithPath: $0) }
                let secrets = try PasswordFile.load(passwordFile, users: users)
                let vhost = try vhost ?? AMQPConfiguration(url: try CtlEnvironment().amqpURL()).virtualHost
                let document = BrokerDefinitions.document(units: units, passwords: secrets, vhost: vhost)
                // Hashes only, but nobody else's to read: mode 0600.
                guard FileManager.default.createFile(
                    atPath: out, contents: Data(try HotlineJSON.pretty(document).utf8), attributes: [.posixPermissions: 0o600])
                else { throw ValidationError("\(out): cannot write the definitions") }
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: out)
                print("wrote \(out): \(users.count) users, \(units.count) units, virtual host \(vhost)")
            }
        }
    }
}

/// The units of the loaded jurisdiction.
enum UnitDirectory {
    static func activeUnits(_ database: Database) async throws -> [String] {
        try await database.withConnection { connection in
            try connection.query("SELECT code FROM units WHERE active ORDER BY code").map { try $0.decode("code") }
        }
    }
}

/// Reads and completes the passwords file: `user: password` lines.
enum PasswordFile {
    static func load(_ url: URL?, users: [String]) throws -> [String: String] {
        var passwords: [String: String] = [:]
        if let url, FileManager.default.fileExists(atPath: url.path) {
            let text = try String(contentsOf: url, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                guard let colon = trimmed.firstIndex(of: ":") else {
                    throw ValidationError("\(url.path):\(number + 1): expected `user: password`")
                }
                let user = trimmed[..<colon].trimmingCharacters(in: .whitespaces)
                var password = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if password.count >= 2, let first = password.first, first == "\"" || first == "'", password.last == first {
                    password = String(password.dropFirst().dropLast())
                }
                passwords[user] = password
            }
        }
        let missing = users.filter { passwords[$0] == nil }
        guard !missing.isEmpty else { return passwords }
        for user in missing { passwords[user] = generatePassword() }
        if let url {
            let text = passwords.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n") + "\n"
            guard FileManager.default.createFile(
                atPath: url.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
            else { throw ValidationError("\(url.path): cannot write the passwords file") }
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        }
        return passwords
    }

    static func generatePassword() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<24).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
