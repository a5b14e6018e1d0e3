import ArgumentParser
import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import Logging

/// Options shared by `hotlinectl unit …` and `hotlinectl center …`.
struct CommandClientOptions: ParsableArguments {
    @Option(help: "YAML passwords file (user: password); default $HOTLINE_PASSWORDS_FILE or .local/passwords.yaml.")
    var passwords: String?

    @Option(help: "Seconds to wait for the outcome.")
    var timeout: Double = 30

    @Flag(help: "Print the outcome as JSON only.")
    var json = false

    /// The passwords file to read.
    var passwordsFile: String {
        if let passwords { return passwords }
        if let path = ProcessInfo.processInfo.environment["HOTLINE_PASSWORDS_FILE"], !path.isEmpty { return path }
        return ".local/passwords.yaml"
    }
}

/// A command's outcome as received on the reply queue.
struct CommandOutcome {
    let type: String
    let body: [UInt8]

    /// `command.rejected`, or a submission's `submission.invalid`.
    var isRejection: Bool { type == EventType.commandRejected.rawValue || type == EventType.submissionInvalid.rawValue }

    init(_ delivery: Delivery) {
        body = delivery.body
        type = delivery.properties.type ?? ((try? JSONValue.parse(Data(body)))?["type"]?.stringValue ?? "")
    }

    /// The outcome event's `occurred_at`.
    var occurredAt: Date? { fields["occurred_at"]?.stringValue.flatMap(RFC3339.date(from:)) }

    /// The outcome's body, parsed with the strict parser (it comes from the broker); null when unreadable.
    var fields: JSONValue { (try? JSONValue.parse(Data(body))) ?? .null }
}

/// Publishes a contract command on `hotline.commands` as one of the platform's client users
/// (`unit.<code>`, `center`), with `user_id` set and `reply_to: hotline.reply.<user>`, and waits for
/// the outcome carrying its `correlation_id` on that reply queue. Replies meant for another
/// invocation are left unacknowledged, so that the broker gives them back when this client
/// disconnects, unless they are too old for anyone to be waiting for them.
struct CommandRequest {
    let user: String
    let options: CommandClientOptions

    func send(_ type: CommandType, body: some Encodable) async throws -> CommandOutcome {
        try await send(
            exchange: Exchange.commands, routingKey: type.routingKey, type: type.rawValue, body: Array(try HotlineJSON.encode(body)),
            waitingFor: "the dispatcher")
    }

    /// Publishes `body` to `exchange` as the user, with `reply_to` its reply queue, and waits for the
    /// outcome answering it there; `waitingFor` names who should answer, for the timeout's message.
    func send(exchange: String, routingKey: String, type: String, body: [UInt8], waitingFor: String) async throws -> CommandOutcome {
        let configuration = try userConfiguration()
        var logger = Logger(label: "hotlinectl")
        logger.logLevel = .critical
        let replyQueue = HotlineTopology.replyQueue(user)
        let consumer = AMQPConsumer(configuration: configuration, queue: replyQueue, topology: AMQPTopology(), prefetch: 500, logger: logger)
        let publisher = AMQPPublisher(configuration: configuration, confirmTimeout: options.timeout, logger: logger)
        let messageID = UUID().uuidString
        let sentAt = Date()
        do {
            let message = OutgoingMessage(
                exchange: exchange, routingKey: routingKey,
                properties: AMQPProperties(messageID: messageID, type: type, replyTo: replyQueue, userID: user, timestamp: Date()),
                body: body, mandatory: true)
            let outcomes = try await publisher.publish([message])
            switch outcomes.first {
            case .confirmed?: break
            case .returned(let reason)?:
                throw ValidationError("\(type) was not routed to any queue (\(reason)); is \(waitingFor)'s topology declared?")
            default:
                throw ValidationError("the broker did not confirm \(type) (\(outcomes))")
            }
            let outcome = try await waitForReply(consumer, correlationID: messageID, sentAt: sentAt, waitingFor: waitingFor)
            await publisher.shutdown()
            consumer.pause()
            await consumer.stop()
            return outcome
        } catch {
            await publisher.shutdown()
            consumer.pause()
            await consumer.stop()
            throw error
        }
    }

    /// How old another invocation's reply must be to be dropped (the longest sensible `--timeout`).
    static let staleAfter: TimeInterval = 600

    private func waitForReply(
        _ consumer: AMQPConsumer, correlationID: String, sentAt: Date, waitingFor: String
    ) async throws -> CommandOutcome {
        let timeout = options.timeout
        let user = self.user
        return try await withThrowingTaskGroup(of: CommandOutcome?.self) { group in
            group.addTask {
                for await delivery in consumer.deliveries {
                    let outcome = CommandOutcome(delivery)
                    if delivery.properties.correlationID == correlationID {
                        consumer.ack(delivery)
                        return outcome
                    }
                    // Another invocation's reply: left for it, unless it is older than any command
                    // still waiting could be (then nobody will take it, and it would pile up).
                    if let occurred = outcome.occurredAt, occurred < sentAt.addingTimeInterval(-Self.staleAfter) {
                        consumer.ack(delivery)
                    }
                }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: .seconds(timeout))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            consumer.pause()
            guard let outcome = first else {
                throw ValidationError(
                    "no outcome on \(HotlineTopology.replyQueue(user)) within \(Int(timeout)) s; is \(waitingFor) running?")
            }
            return outcome
        }
    }

    /// The broker address of `HOTLINE_AMQP_URL` with this user's name and password.
    private func userConfiguration() throws -> AMQPConfiguration {
        let environment = CtlEnvironment()
        var configuration = try AMQPConfiguration(url: try environment.amqpURL())
        let url = URL(fileURLWithPath: options.passwordsFile)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ValidationError("\(url.path): no passwords file (use --passwords FILE or HOTLINE_PASSWORDS_FILE)")
        }
        let passwords = try PasswordFile.read(url)
        guard let password = passwords[user] else { throw ValidationError("\(url.path): no password for \(user)") }
        configuration.user = user
        configuration.password = password
        return configuration
    }

    /// Prints the outcome and fails (exit status 3) for `command.rejected`.
    /// Sends the command, waits for its outcome and prints it (`report`).
    func sendAndReport(_ type: CommandType, body: some Encodable) async throws {
        try Self.report(try await send(type, body: body), json: options.json)
    }

    static func report(_ outcome: CommandOutcome, json: Bool) throws {
        let fields = outcome.fields
        let pretty = fields.isNull ? String(decoding: outcome.body, as: UTF8.self) : (try? HotlineJSON.pretty(fields)) ?? ""
        let reason = fields["reason"]?.stringValue ?? "?"
        let message = fields["message"]?.stringValue ?? ""
        if json {
            print(pretty)
        } else if outcome.isRejection, fields["reason"] != nil {
            print("\(outcome.type): \(reason) — \(message)")
        } else {
            print(outcome.type)
            print(pretty)
        }
        if outcome.isRejection {
            let why = fields["reason"] == nil ? outcome.type : "rejected (\(reason)): \(message)"
            FileHandle.standardError.write(Data("hotlinectl: \(why)\n".utf8))
            throw ExitCode(3)
        }
    }
}

/// Parses an RFC 3339 option value.
func parseTime(_ text: String, option: String) throws -> Date {
    guard let date = RFC3339.date(from: text) else {
        throw ValidationError("--\(option): not an RFC 3339 time with an offset: \(text)")
    }
    return date
}
