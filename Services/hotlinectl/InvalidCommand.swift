import ArgumentParser
import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// `hotlinectl invalid`: the messages intake could not read, kept whole in `invalid_messages`.
struct InvalidCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invalid", abstract: "Look at invalid messages (kept whole, with every problem found).",
        subcommands: [List.self, Show.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The newest invalid messages, one a line.")

        @Option(help: "How many to list.")
        var limit = 50

        @Flag(help: "Print JSON for programs.")
        var json = false

        func validate() throws {
            guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            try await runReportingErrors {
                let limit = self.limit
                let rows = try await withDatabase { database in
                    try await database.withConnection { connection in
                        try connection.query(
                            """
                            SELECT id, consumer, message_id, type, user_id, routing_key, received_at,
                                   body_size AS size, body_sha256, errors::text AS errors
                            FROM invalid_messages ORDER BY received_at DESC, id DESC LIMIT $1
                            """, [limit]
                        ).map(InvalidSummary.init)
                    }
                }
                if json {
                    print(try HotlineJSON.pretty(rows.map(\.object)))
                } else if rows.isEmpty {
                    print("no invalid messages")
                } else {
                    for row in rows { print(row.line) }
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One invalid message: its problems and its body (text when UTF-8, else hex).")

        @Argument(help: "The id (`invalid_id` of submission.invalid).")
        var id: Int64

        @Flag(help: "Write the exact bytes of the body to stdout, nothing else.")
        var raw = false

        @Flag(help: "Print JSON for programs (the body as text when UTF-8, and always as base64).")
        var json = false

        func run() async throws {
            try await runReportingErrors {
                let id = self.id
                let found = try await withDatabase { database in
                    try await database.withConnection { connection -> (InvalidSummary, Data)? in
                        guard let row = try connection.query(
                            """
                            SELECT id, consumer, message_id, type, user_id, routing_key, received_at,
                                   body_size AS size, body_sha256, errors::text AS errors, body
                            FROM invalid_messages WHERE id = $1
                            """, [id]
                        ).first else { return nil }
                        return (try InvalidSummary(row), try row.decode("body", as: Data.self))
                    }
                }
                guard let (summary, body) = found else { throw ReferenceDataError("no invalid message \(id)") }
                if raw {
                    FileHandle.standardOutput.write(body)
                    return
                }
                if json {
                    var object = summary.object
                    object["body_base64"] = .string(body.base64EncodedString())
                    if let text = String(data: body, encoding: .utf8) { object["body"] = .string(text) }
                    print(try HotlineJSON.pretty(object))
                    return
                }
                print(InvalidReport.text(summary, body: body))
            }
        }
    }
}

/// One row of `invalid_messages` without its body.
struct InvalidSummary {
    let id: Int64
    let consumer: String
    let messageID: String?
    let type: String?
    let userID: String?
    let routingKey: String?
    let receivedAt: Date
    /// The whole body's size (the body itself is kept up to a limit) and SHA-256.
    let size: Int
    let sha256: String?
    let errors: [[String: String]]

    init(_ row: PostgresRow) throws {
        id = try row.decode("id")
        consumer = try row.decode("consumer")
        messageID = try row.decodeIfPresent("message_id")
        type = try row.decodeIfPresent("type")
        userID = try row.decodeIfPresent("user_id")
        routingKey = try row.decodeIfPresent("routing_key")
        receivedAt = try row.decode("received_at")
        size = try row.decode("size")
        sha256 = try row.decodeIfPresent("body_sha256")
        let text: String = try row.decode("errors")
        let parsed = (try? HotlineJSON.decode([[String: JSONValue]].self, from: Data(text.utf8))) ?? []
        errors = parsed.map { item in item.compactMapValues(\.stringValue) }
    }

    var problems: [String] { errors.map { "\($0["field"] ?? "?"): \($0["problem"] ?? "?")" } }

    var line: String {
        let first = problems.first ?? "-"
        let more = problems.count > 1 ? " (+\(problems.count - 1) more)" : ""
        return "\(id)  \(InvalidReport.time(receivedAt))  \(consumer)  \(size) B  \(messageID ?? "-")  \(first)\(more)"
    }

    var object: [String: JSONValue] {
        let object: [String: JSONValue] = [
            "id": .string(String(id)), "consumer": .string(consumer), "received_at": .string(InvalidReport.time(receivedAt)),
            "size": .integer(size), "errors": .array(errors.map { .object($0.mapValues(JSONValue.string)) }),
            "message_id": .optional(messageID), "type": .optional(type), "user_id": .optional(userID),
            "routing_key": .optional(routingKey), "sha256": .optional(sha256),
        ]
        return object.filter { !$0.value.isNull }
    }
}

enum InvalidReport {
    static func time(_ date: Date) -> String { RFC3339.string(from: date) }

    /// The human-readable form of `invalid show`.
    static func text(_ summary: InvalidSummary, body: Data) -> String {
        var lines = [
            "invalid   \(summary.id)   received \(time(summary.receivedAt))   consumer \(summary.consumer)",
            "message   \(summary.messageID ?? "-")   type \(summary.type ?? "-")   user \(summary.userID ?? "-")"
                + "   routing key \(summary.routingKey ?? "-")",
            "problems (\(summary.problems.count))",
        ]
        lines += summary.problems.map { "  \($0)" }
        let kept = body.count < summary.size ? "the first \(body.count) of \(summary.size) bytes kept" : "\(body.count) bytes"
        let digest = summary.sha256.map { ", sha256 \($0)" } ?? ""
        if let text = String(data: body, encoding: .utf8) {
            lines.append("body (\(kept)\(digest), UTF-8)")
            lines.append(text)
        } else {
            lines.append("body (\(kept)\(digest), not UTF-8: hex)")
            lines += hexDump(body)
        }
        return lines.joined(separator: "\n")
    }

    /// 16 bytes a line: offset, hex, printable ASCII.
    static func hexDump(_ data: Data) -> [String] {
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count, by: 16).map { offset in
            let chunk = bytes[offset..<min(offset + 16, bytes.count)]
            let hex = chunk.map { String(format: "%02x", $0) }.joined(separator: " ")
            let ascii = String(chunk.map { $0 >= 0x20 && $0 < 0x7f ? Character(UnicodeScalar($0)) : "." })
            return String(format: "%08x  ", offset) + hex.padding(toLength: 47, withPad: " ", startingAt: 0) + "  " + ascii
        }
    }
}
