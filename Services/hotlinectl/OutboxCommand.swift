import ArgumentParser
import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// `hotlinectl outbox`: the messages committed but not yet confirmed by the broker. A row the broker
/// returned (no queue for a unit's key) or refused (a permission, a missing exchange) is kept and
/// tried again, at most about four minutes apart, until it goes out; this is where an operator sees
/// which rows wait and the broker's reason (docs/operations.md "Messages waiting to be published").
/// Bodies are never shown.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "Look at the messages waiting to be published.",
        subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Unpublished messages grouped by service, destination, type and last error, the oldest first.")

        @Option(help: "How many groups to list at most.")
        var limit = 100

        @Flag(help: "Print JSON for programs.")
        var json = false

        func validate() throws {
            guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            try await runReportingErrors {
                let limit = self.limit
                let groups = try await withDatabase { database in
                    try await database.withConnection { connection in
                        try connection.query(
                            """
                            SELECT publisher, exchange, routing_key, type, last_error, count(*) AS n,
                                   min(created_at) AS oldest, max(attempts) AS attempts, min(available_at) AS next_attempt
                            FROM outbox WHERE published_at IS NULL
                            GROUP BY publisher, exchange, routing_key, type, last_error
                            ORDER BY oldest, exchange, routing_key LIMIT $1
                            """, [limit]
                        ).map(WaitingMessages.init)
                    }
                }
                if json {
                    print(try HotlineJSON.pretty(groups.map(\.object)))
                } else if groups.isEmpty {
                    print("no messages waiting")
                } else {
                    print("count  oldest                     attempts  next attempt               service          exchange / routing key / type")
                    for group in groups { print(group.line) }
                }
            }
        }
    }
}

/// Unpublished outbox rows that share their service, destination, type and last error.
struct WaitingMessages {
    let publisher: String?
    let exchange: String
    let routingKey: String
    let type: String
    let lastError: String?
    let count: Int
    let oldest: Date
    let attempts: Int
    let nextAttempt: Date

    init(_ row: PostgresRow) throws {
        publisher = try row.decodeIfPresent("publisher")
        exchange = try row.decode("exchange")
        routingKey = try row.decode("routing_key")
        type = try row.decode("type")
        lastError = try row.decodeIfPresent("last_error")
        count = try row.decode("n")
        oldest = try row.decode("oldest")
        attempts = try row.decode("attempts")
        nextAttempt = try row.decode("next_attempt")
    }

    var line: String {
        let columns = [
            String(count).padding(toLength: 7, withPad: " ", startingAt: 0),
            RFC3339.string(from: oldest).padding(toLength: 27, withPad: " ", startingAt: 0),
            String(attempts).padding(toLength: 10, withPad: " ", startingAt: 0),
            RFC3339.string(from: nextAttempt).padding(toLength: 27, withPad: " ", startingAt: 0),
            (publisher ?? "any").padding(toLength: 17, withPad: " ", startingAt: 0),
            "\(exchange) / \(routingKey) / \(type)",
        ]
        return columns.joined() + (lastError.map { "\n       last error: \($0)" } ?? "")
    }

    var object: [String: JSONValue] {
        [
            "publisher": .optional(publisher), "exchange": .string(exchange), "routing_key": .string(routingKey),
            "type": .string(type), "last_error": .optional(lastError), "count": .integer(count),
            "oldest": .string(RFC3339.string(from: oldest)), "attempts": .integer(attempts),
            "next_attempt": .string(RFC3339.string(from: nextAttempt)),
        ]
    }
}
