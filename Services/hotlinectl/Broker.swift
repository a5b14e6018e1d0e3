import ArgumentParser
import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

struct Broker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Declare the broker topology, write RabbitMQ definitions with users and permissions, or prune retired units.",
        subcommands: [Setup.self, Definitions.self, Prune.self])

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

        @Option(help: "Open311 clients file, whose clients get broker users open311.<name>; default $HOTLINE_OPEN311_CLIENTS_FILE or .local/open311-clients.yaml when it exists.")
        var open311Clients: String?

        func run() async throws {
            try await runReportingErrors {
                let units = try await withDatabase { try await UnitDirectory.activeUnits($0) }
                let users = BrokerDefinitions.users(units: units)
                let passwordFile = passwords.map { URL(fileURLWithPath: $0) }
                let secrets = try PasswordFile.load(passwordFile, users: users)
                let vhost = try vhost ?? AMQPConfiguration(url: try CtlEnvironment().amqpURL()).virtualHost
                let clients = try Open311Clients.read(Open311ClientsFile.url(open311Clients)).clients
                let document = BrokerDefinitions.document(units: units, passwords: secrets, vhost: vhost, open311: clients)
                // Hashes only, but nobody else's to read: mode 0600.
                try SecretFile.write(Data(try HotlineJSON.pretty(document).utf8), to: out, what: "definitions")
                print("wrote \(out): \(users.count + clients.count) users, \(units.count) units, \(clients.count) Open311 clients, virtual host \(vhost)")
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
