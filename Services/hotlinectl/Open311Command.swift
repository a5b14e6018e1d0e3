import ArgumentParser
import Foundation
import HotlineDomain
import HotlineRuntime

/// The clients file's location: the option, else `HOTLINE_OPEN311_CLIENTS_FILE`, else the local one.
enum Open311ClientsFile {
    static func url(_ option: String?) -> URL {
        if let option { return URL(fileURLWithPath: option) }
        if let path = ProcessInfo.processInfo.environment["HOTLINE_OPEN311_CLIENTS_FILE"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: ".local/open311-clients.yaml")
    }
}

/// `hotlinectl open311 client add|list|rotate|remove`: the Open311 clients, their API keys and broker
/// users (docs/open311.md "Clients and keys"). The open311 service reads the file at start, and
/// `hotlinectl broker definitions` makes the clients' broker users from it.
struct Open311Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open311", abstract: "The Open311 API's clients.", subcommands: [Client.self])

    struct Client: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add, list, rotate the key of, or remove an Open311 client.", subcommands: [Add.self, List.self, Rotate.self, Remove.self])
    }

    struct FileOptions: ParsableArguments {
        @Option(help: "The clients file (default $HOTLINE_OPEN311_CLIENTS_FILE or .local/open311-clients.yaml).")
        var clients: String?

        var url: URL { Open311ClientsFile.url(clients) }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a client: prints its API key once (or writes it to --key-out), and generates its broker user's password.")

        @Argument(help: "The client's name: lowercase letters, digits and -; its broker user is open311.<name>.")
        var name: String

        @Option(help: "The channel its submissions carry (hotline, web, wechat, app, …).")
        var channel = "app"

        @Option(help: "Requests a minute it may make (per copy of the service).")
        var requestsPerMinute = 60

        @Option(help: "Write the key to this file (mode 0600) instead of printing it.")
        var keyOut: String?

        @Flag(help: "Do nothing when the client exists.")
        var ifMissing = false

        @OptionGroup var file: FileOptions

        func run() async throws {
            try await runReportingErrors {
                guard Open311Clients.isValidName(name) else { throw ValidationError("\(name): lowercase letters, digits and - only, at most 40") }
                guard let channel = Channel(rawValue: channel) else {
                    throw ValidationError("--channel: one of " + Channel.allCases.map(\.rawValue).joined(separator: ", "))
                }
                guard requestsPerMinute >= 1 else { throw ValidationError("--requests-per-minute: at least 1") }
                var clients = try Open311Clients.read(file.url)
                if clients.clients.contains(where: { $0.name == name }) {
                    if ifMissing { return }
                    throw ValidationError("\(name): already a client (rotate its key with `open311 client rotate`)")
                }
                let key = Open311Clients.generateKey()
                clients.clients.append(Open311Clients.Client(
                    name: name, apiKeySHA256: SHA256.hex(key), brokerPassword: PasswordFile.generatePassword(), channel: channel,
                    requestsPerMinute: requestsPerMinute))
                try clients.write(file.url)
                try Self.give(key, to: keyOut)
                FileHandle.standardError.write(Data(
                    "added \(name) (broker user \(Open311Clients.brokerUser(name))); run `hotlinectl broker definitions` and import them, then restart the open311 service\n".utf8))
            }
        }

        /// Prints the key, or writes it to `path` with mode 0600.
        static func give(_ key: String, to path: String?) throws {
            guard let path else { return print(key) }
            try SecretFile.write(Data((key + "\n").utf8), to: path, what: "API key")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the clients (never their keys).")

        @OptionGroup var file: FileOptions

        func run() async throws {
            try await runReportingErrors {
                for client in try Open311Clients.read(file.url).clients {
                    print("\(client.name)\t\(client.brokerUser)\tchannel \(client.channel.rawValue)\t\(client.requestsPerMinute)/min")
                }
            }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a client a new API key (printed once); the old one stops working when the service restarts.")

        @Argument var name: String

        @Option(help: "Write the key to this file (mode 0600) instead of printing it.")
        var keyOut: String?

        @OptionGroup var file: FileOptions

        func run() async throws {
            try await runReportingErrors {
                var clients = try Open311Clients.read(file.url)
                guard let index = clients.clients.firstIndex(where: { $0.name == name }) else { throw ValidationError("\(name): no such client") }
                let key = Open311Clients.generateKey()
                clients.clients[index].apiKeySHA256 = SHA256.hex(key)
                try clients.write(file.url)
                try Add.give(key, to: keyOut)
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a client; its key stops working when the service restarts (delete its broker user with rabbitmqctl delete_user open311.<name>).")

        @Argument var name: String

        @OptionGroup var file: FileOptions

        func run() async throws {
            try await runReportingErrors {
                var clients = try Open311Clients.read(file.url)
                guard clients.clients.contains(where: { $0.name == name }) else { throw ValidationError("\(name): no such client") }
                clients.clients.removeAll { $0.name == name }
                try clients.write(file.url)
                print("removed \(name)")
            }
        }
    }
}
