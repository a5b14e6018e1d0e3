import ArgumentParser
import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

struct TicketCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticket",
        abstract: "Submit tickets, look at them, file their conclusion notices, and report and list on-site verifications.",
        subcommands: [Submit.self, Show.self, Conclude.self, Verify.self, Verifications.self])

    /// `ticket.submit`, as a hotline gateway (`gateway`): exit status 0 for an intake outcome, 3 for
    /// `submission.invalid`.
    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a submission (JSON, docs/contract.md \"Submissions\") as the gateway and print its outcome.")

        @Argument(help: "The submission's JSON file, or - for standard input.") var file: String
        @OptionGroup var client: CommandClientOptions

        func run() async throws {
            try await runReportingErrors {
                let body: Data
                if file == "-" {
                    body = FileHandle.standardInput.readDataToEndOfFile()
                } else {
                    guard let read = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
                    body = read
                }
                let outcome = try await CommandRequest(user: "gateway", options: client).send(
                    exchange: Exchange.intake, routingKey: "ticket.submit", type: "ticket.submit", body: Array(body),
                    waitingFor: "intake")
                try CommandRequest.report(outcome, json: client.json)
            }
        }
    }

    /// `unit.conclude-matter`, as the unit (`unit.<code>`): exit status 0 for `ticket.concluded`, 3 for
    /// `command.rejected`.
    struct Conclude: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "File the written conclusion notice (事件终结告知书) of a closed ticket, as the unit that resolved it.")

        @Argument(help: "The ticket number.") var ticketNo: String
        @Option(help: "The unit's code.") var unit: String
        @Option(help: "The notice's document number.") var notice: String
        @Option(help: "When the notice was issued (RFC 3339); default now.") var issuedAt: String?
        @Option(help: "What the notice concluded (no personal data).") var note: String?
        @OptionGroup var client: CommandClientOptions

        func run() async throws {
            try await runReportingErrors {
                let issued = try issuedAt.map { try parseTime($0, option: "issued-at") } ?? Date()
                try await CommandRequest(user: "unit.\(unit)", options: client).sendAndReport(
                    .unitConcludeMatter,
                    body: UnitConcludeMatter(ticketNo: ticketNo, noticeNo: notice, issuedAt: issued, note: note))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The ticket, its assignments, deadlines and full history (citizen contact masked).")

        @Argument(help: "The ticket number.")
        var ticketNo: String

        @Flag(help: "Print JSON for programs.")
        var json = false

        func run() async throws {
            try await runReportingErrors {
                let ticketNo = self.ticketNo
                let report = try await withDatabase { database in
                    try await database.withConnection { connection -> String? in
                        let rows = try connection.query(
                            """
                            SELECT json_build_object(
                              'ticket_no', t.ticket_no, 'submission_id', t.submission_id,
                              'status', (SELECT s.status FROM ticket_status s WHERE s.ticket_no = t.ticket_no),
                              'catalogue_version', (SELECT p.catalogue_version FROM ticket_progress p WHERE p.ticket_no = t.ticket_no),
                              'channel', t.channel, 'kind', t.kind, 'urgency', t.urgency, 'category', t.category,
                              'title', t.title, 'description', t.description, 'location', t.location,
                              'parent_no', t.parent_no, 'merged_into', t.merged_into,
                              'classification', t.classification, 'rejection', t.rejection, 'superior_case', t.superior_case,
                              'received_at', t.received_at, 'accepted_at', t.accepted_at,
                              'citizen', json_build_object(
                                 'anonymous', coalesce((t.citizen->>'anonymous')::boolean, false),
                                 'phone', CASE WHEN length(t.citizen->>'phone') >= 7
                                          THEN left(t.citizen->>'phone', 3) || '****' || right(t.citizen->>'phone', 4) END),
                              'assignments', coalesce((SELECT json_agg(json_build_object(
                                 'assignment_id', a.assignment_id, 'unit', a.unit, 'role', a.role, 'state', a.state,
                                 'deadlines', a.deadlines, 'return_allowed', a.return_allowed,
                                 'extension_allowed', a.extension_allowed, 'created_at', a.created_at) ORDER BY a.created_at)
                                 FROM assignments a WHERE a.ticket_no = t.ticket_no), '[]'::json),
                              'history', coalesce((SELECT json_agg(json_build_object(
                                 'at', h.at, 'actor', h.actor, 'operator', h.operator, 'action', h.action, 'detail', h.detail)
                                 ORDER BY h.id)
                                 FROM ticket_history h WHERE h.ticket_no = t.ticket_no), '[]'::json)
                            )::text AS report
                            FROM tickets t WHERE t.ticket_no = $1
                            """, [ticketNo])
                        return try rows.first?.decode("report", as: String.self)
                    }
                }
                guard let report else { throw ReferenceDataError("no ticket \(ticketNo)") }
                let ticket = try HotlineJSON.decode(JSONValue.self, from: Data(report.utf8))
                print(json ? try HotlineJSON.pretty(ticket) : TicketReport.text(ticket))
            }
        }
    }
}

/// The human-readable form of `ticket show`.
enum TicketReport {
    static func text(_ ticket: JSONValue) -> String {
        func value(_ key: String, in object: JSONValue) -> String { text(object[key]) }
        var lines = [
            "ticket    \(value("ticket_no", in: ticket))   status \(value("status", in: ticket))",
            "received  \(value("received_at", in: ticket))   channel \(value("channel", in: ticket))",
            "kind      \(value("kind", in: ticket))   urgency \(value("urgency", in: ticket))   category \(value("category", in: ticket))"
                + "   catalogue version \(value("catalogue_version", in: ticket))",
            "title     \(value("title", in: ticket))",
            "demand    \(value("description", in: ticket))",
        ]
        let assignments = ticket["assignments"]?.arrayValue ?? []
        lines.append("assignments (\(assignments.count))")
        for assignment in assignments {
            let deadlines = (assignment["deadlines"]?.objectValue ?? [:])
                .sorted { $0.key < $1.key }.map { "\($0.key) \(text($0.value))" }.joined(separator: ", ")
            lines.append("  \(value("assignment_id", in: assignment))  \(value("unit", in: assignment))  "
                + "\(value("role", in: assignment))  \(value("state", in: assignment))")
            if !deadlines.isEmpty { lines.append("    deadlines: \(deadlines)") }
        }
        let history = ticket["history"]?.arrayValue ?? []
        lines.append("history (\(history.count))")
        for entry in history {
            let actor = entry["operator"]?.stringValue.map { "\(value("actor", in: entry)) (\($0))" } ?? value("actor", in: entry)
            lines.append("  \(value("at", in: entry))  \(actor)  \(value("action", in: entry))")
        }
        return lines.joined(separator: "\n")
    }

    /// A value as a person reads it: text bare, whole numbers without a fraction, `-` for none.
    private static func text(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: return "-"
        case .string(let text)?: return text
        case .bool(let flag)?: return String(flag)
        case .number(let number)?: return value?.intValue.map(String.init) ?? String(number)
        case let other?: return (try? HotlineJSON.pretty(other)) ?? "-"
        }
    }
}
