import ArgumentParser
import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime

/// `hotlinectl dead`: the messages the broker dead-lettered to `hotline.dead` (a delivery limit
/// reached, a rejected message). Listing and showing take the messages without acknowledging them
/// and give them back when done, so nothing is consumed; requeue republishes with confirms to the
/// exchange and routing key the message was first published with (from `x-death`) and only then
/// removes the dead copy.
struct DeadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead", abstract: "Look at and requeue dead letters (queue hotline.dead).",
        subcommands: [List.self, Show.self, Requeue.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The dead letters in queue order, one a line.")

        @Option(help: "How many to list at most.")
        var limit = 100

        @Flag(help: "Print JSON for programs.")
        var json = false

        func run() async throws {
            try await runReportingErrors {
                let letters = try await DeadLetters.browse(limit: max(1, limit)) { _, letters in letters }
                if json {
                    print(try HotlineJSON.pretty(letters.map { $0.summary }))
                } else if letters.isEmpty {
                    print("no dead letters")
                } else {
                    let idWidth = max(12, letters.map { ($0.message.properties.messageID ?? "-").count }.max() ?? 0) + 2
                    print("#".padding(toLength: 6, withPad: " ", startingAt: 0)
                          + "message_id".padding(toLength: idWidth, withPad: " ", startingAt: 0)
                          + "type                          queue                          reason           count  time")
                    for letter in letters { print(letter.line(idWidth: idWidth)) }
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One dead letter: its properties, headers (x-death) and body. Bodies hold personal data as sent.")

        @Argument(help: "Its number in `dead list` (the order may change as messages come and go; --id is exact).")
        var index: Int?

        @Option(help: "The message_id.")
        var id: String?

        @Option(help: "Body bytes to print at most (0: all).")
        var maxBody = 8192

        @Flag(help: "Print JSON for programs.")
        var json = false

        func validate() throws {
            guard (index == nil) != (id == nil) else { throw ValidationError("give either a number or --id") }
        }

        func run() async throws {
            try await runReportingErrors {
                let index = self.index
                let id = self.id
                let found = try await DeadLetters.browse(limit: max(index ?? 0, 100_000)) { _, letters in
                    letters.first { letter in
                        if let index { return letter.index == index }
                        return letter.message.properties.messageID == id
                    }
                }
                guard let letter = found else {
                    throw ValidationError("no dead letter \(index.map { "#\($0)" } ?? id ?? "")")
                }
                if json {
                    print(try HotlineJSON.pretty(letter.detail(maxBody: maxBody)))
                } else {
                    print(letter.text(maxBody: maxBody))
                }
            }
        }
    }

    struct Requeue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish dead letters again to their original exchange and routing key, then remove them.")

        @Option(name: .customLong("id"), help: "A message_id to requeue (repeatable).")
        var ids: [String] = []

        @Flag(help: "Requeue every dead letter.")
        var all = false

        @Option(help: "YAML passwords file, to publish a message with user_id as that user; default $HOTLINE_PASSWORDS_FILE or .local/passwords.yaml.")
        var passwords: String?

        func validate() throws {
            guard all != !ids.isEmpty else { throw ValidationError("give --id ID (one or more) or --all") }
        }

        func run() async throws {
            try await runReportingErrors {
                let wanted = Set(ids)
                let all = self.all
                let passwordsFile = passwords
                    ?? ProcessInfo.processInfo.environment["HOTLINE_PASSWORDS_FILE"].flatMap { $0.isEmpty ? nil : $0 }
                    ?? ".local/passwords.yaml"
                let (requeued, failures) = try await DeadLetters.browse(limit: 100_000) { browser, letters in
                    try await DeadLetters.requeue(
                        letters.filter { all || wanted.contains($0.message.properties.messageID ?? "") },
                        browser: browser, passwordsFile: passwordsFile)
                }
                let missing = wanted.subtracting(requeued.map(\.id)).subtracting(failures.map(\.id))
                for entry in requeued { print("requeued \(entry.id) → \(entry.target)") }
                for entry in failures { FileHandle.standardError.write(Data("hotlinectl: not requeued \(entry.id): \(entry.target)\n".utf8)) }
                for id in missing.sorted() { FileHandle.standardError.write(Data("hotlinectl: no dead letter \(id)\n".utf8)) }
                if requeued.isEmpty && wanted.isEmpty { print("no dead letters") }
                if !failures.isEmpty || !missing.isEmpty { throw ExitCode.failure }
            }
        }
    }
}

extension DeadLetter {
    func line(idWidth: Int) -> String {
        func column(_ text: String, _ width: Int) -> String {
            let cut = text.count > width - 1 ? String(text.prefix(width - 2)) + "…" : text
            return cut.padding(toLength: width, withPad: " ", startingAt: 0)
        }
        return column(String(index), 6) + (message.properties.messageID ?? "-").padding(toLength: idWidth, withPad: " ", startingAt: 0)
            + column(message.properties.type ?? "-", 30) + column(queue, 31) + column(reason, 17)
            + column(String(count), 7) + (time.map { RFC3339.string(from: $0) } ?? "-")
    }

    func text(maxBody: Int) -> String {
        let properties = message.properties
        var lines = [
            "dead letter #\(index)",
            "message_id:     \(properties.messageID ?? "-")",
            "type:           \(properties.type ?? "-")",
            "correlation_id: \(properties.correlationID ?? "-")",
            "reply_to:       \(properties.replyTo ?? "-")",
            "user_id:        \(properties.userID ?? "-")",
            "timestamp:      \(properties.timestamp.map { RFC3339.string(from: $0) } ?? "-")",
            "queue:          \(queue)",
            "reason:         \(reason) (\(count)×)",
            "published to:   \(originalExchange.isEmpty ? "(default exchange)" : originalExchange) / \(originalRoutingKey)",
            "headers:",
        ]
        for header in message.headers { lines.append("  \(header.key): \(header.value)") }
        let body = bodyText(maxBody: maxBody)
        lines.append("body (\(message.body.count) bytes\(body.truncated ? ", first \(maxBody) shown" : "")):")
        lines.append(body.text)
        return lines.joined(separator: "\n")
    }
}

extension DeadLetters {
    /// Takes the dead letters as the admin user of `HOTLINE_AMQP_URL`.
    static func browse<T>(limit: Int, _ body: (QueueBrowser, [DeadLetter]) async throws -> T) async throws -> T {
        try await browse(try AMQPConfiguration(url: try CtlEnvironment().amqpURL()), limit: limit, body)
    }

    /// Requeues as the admin user, or as the letter's `user_id` with its password from `passwordsFile`.
    static func requeue(
        _ letters: [DeadLetter], browser: QueueBrowser, passwordsFile: String
    ) async throws -> ([Outcome], [Outcome]) {
        let admin = try AMQPConfiguration(url: try CtlEnvironment().amqpURL())
        var passwords: [String: String]?
        var logger = CtlEnvironment().logger
        logger.logLevel = .critical
        return try await requeue(letters, browser: browser, logger: logger) { letter in
            guard let user = letter.message.properties.userID, user != admin.user else { return .success(admin) }
            if passwords == nil {
                let url = URL(fileURLWithPath: passwordsFile)
                passwords = FileManager.default.fileExists(atPath: url.path) ? try PasswordFile.load(url, users: []) : [:]
            }
            guard let password = passwords?[user] else { return .failure(Problem("user_id \(user) needs its password in \(passwordsFile)")) }
            var configuration = admin
            configuration.user = user
            configuration.password = password
            return .success(configuration)
        }
    }
}
