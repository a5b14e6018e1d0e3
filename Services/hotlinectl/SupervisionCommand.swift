import ArgumentParser
import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// `hotlinectl supervision …`: supervision cases (督办, docs/rules.md "Supervision"), answered by the
/// escalation notifier: the center opens, escalates and closes them (as `center`), a unit answers (as
/// `unit.<code>`), and `list` shows them from the database with what is overdue.
struct SupervisionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supervision",
        abstract: "Open, answer, escalate, close and list supervision cases (督办).",
        subcommands: [Open.self, Answer.self, Escalate.self, Close.self, List.self])

    /// `--answer-by`, an RFC 3339 time.
    struct AnswerBy: ParsableArguments {
        @Option(name: .customLong("answer-by"), help: "When the answer is due, RFC 3339 (default: the profile's answer_within).")
        var text: String?

        func date() throws -> Date? {
            guard let text else { return nil }
            guard let date = RFC3339.date(from: text) else { throw ValidationError("--answer-by: not an RFC 3339 time: \(text)") }
            return date
        }
    }

    static func value<T: RawRepresentable & CaseIterable>(_ text: String, _ option: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: text) else {
            throw ValidationError("\(option): one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), not \(text)")
        }
        return value
    }

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a case on a unit and send it the notice (center.open-supervision).")
        @Option(help: "The unit's code.") var unit: String
        @Option(help: "The ticket, when the case is about one.") var ticket: String?
        @Option(help: "Why: leader_instruction, hotspot, cross_unit, overdue_without_cause, poor_quality, shirking, …") var ground: String
        @Option(help: "How: one of the profile's supervision modes (phone, letter, on_site, …).") var mode: String
        @Option(help: "What the notice says.") var note: String
        @OptionGroup var answerBy: AnswerBy
        @OptionGroup var operatorOption: CenterCommands.Operator
        @OptionGroup var client: CommandClientOptions

        func run() async throws {
            try await runReportingErrors {
                try await CenterCommands.send(
                    .centerOpenSupervision,
                    body: CenterOpenSupervision(
                        unit: unit, ticketNo: ticket, ground: try value(ground, "--ground"), mode: try value(mode, "--mode"),
                        answerBy: try answerBy.date(), note: note, operatorName: operatorOption.name),
                    client: client)
            }
        }
    }

    struct Answer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "As the unit, answer a case addressed to it (unit.answer-supervision).")
        @Argument(help: "The supervision id.") var supervision: String
        @Option(help: "The answering unit's code.") var unit: String
        @Option(help: "What the unit did.") var answer: String
        @OptionGroup var client: CommandClientOptions

        func run() async throws {
            try await runReportingErrors {
                try await CommandRequest(user: "unit.\(unit)", options: client).sendAndReport(
                    .unitAnswerSupervision, body: UnitAnswerSupervision(supervisionID: supervision, answer: answer))
            }
        }
    }

    struct Escalate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Raise a case a level, in a mode, with a new time to answer (center.escalate-supervision).")
        @Argument(help: "The supervision id.") var supervision: String
        @Option(help: "How, from now on.") var mode: String
        @Option(help: "What the new notice says.") var note: String
        @OptionGroup var answerBy: AnswerBy
        @OptionGroup var operatorOption: CenterCommands.Operator
        @OptionGroup var client: CommandClientOptions

        func run() async throws {
            try await runReportingErrors {
                try await CenterCommands.send(
                    .centerEscalateSupervision,
                    body: CenterEscalateSupervision(
                        supervisionID: supervision, mode: try value(mode, "--mode"), answerBy: try answerBy.date(), note: note,
                        operatorName: operatorOption.name),
                    client: client)
            }
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a case; with --refer, refer it to the discipline commission (center.close-supervision).")
        @Argument(help: "The supervision id.") var supervision: String
        @Option(help: "What the supervision achieved.") var note: String
        @Option(help: "Referral grounds, comma-separated (shirking, perfunctory, delay, falsification, …).") var refer: String?
        @OptionGroup var operatorOption: CenterCommands.Operator
        @OptionGroup var client: CommandClientOptions

        func run() async throws {
            try await runReportingErrors {
                let grounds: [DisciplineGround] = try (refer ?? "").split(separator: ",")
                    .map { try value($0.trimmingCharacters(in: .whitespaces), "--refer") }
                try await CenterCommands.send(
                    .centerCloseSupervision,
                    body: CenterCloseSupervision(
                        supervisionID: supervision, note: note, referralGrounds: grounds.isEmpty ? nil : grounds,
                        operatorName: operatorOption.name),
                    client: client)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List cases, oldest first (default: those not closed); overdue: not answered by answer_by.")
        @Option(help: "open, answered, closed, referred or all (default: open and answered).") var state: String?
        @Option(help: "Only this unit's.") var unit: String?

        func validate() throws {
            if let state, !["open", "answered", "closed", "referred", "all"].contains(state) {
                throw ValidationError("--state: open, answered, closed, referred or all")
            }
        }

        func run() async throws {
            try await runReportingErrors {
                let now = Date()
                let rows = try await withDatabase { database in
                    try await database.withConnection { connection in
                        try connection.query(
                            """
                            SELECT supervision_id, unit, ticket_no, ground, mode, level, state, answer_by, opened_at,
                                   coalesce(array_to_string(referral_grounds, ','), '') AS referred
                            FROM supervisions
                            WHERE CASE $1::text WHEN 'all' THEN true WHEN 'active' THEN state <> 'closed'
                                                WHEN 'referred' THEN cardinality(referral_grounds) > 0 ELSE state = $1 END
                              AND ($2::text IS NULL OR unit = $2)
                            ORDER BY opened_at, supervision_id LIMIT 1000
                            """, [state ?? "active", unit]
                        ).map { row -> [String] in
                            let state: String = try row.decode("state")
                            let answerBy: Date = try row.decode("answer_by")
                            return [
                                try row.decode("supervision_id"), try row.decode("unit"), try row.decodeIfPresent("ticket_no") ?? "",
                                try row.decode("ground"), try row.decode("mode"), String(try row.decode("level", as: Int.self)),
                                state == "open" && answerBy < now ? "open, overdue" : state, RFC3339.string(from: answerBy),
                                try row.decode("referred"),
                            ]
                        }
                    }
                }
                let header = ["supervision", "unit", "ticket", "ground", "mode", "level", "state", "answer_by", "referred for"]
                for line in HotlineReport.align([header] + rows) { print(line) }
            }
        }
    }
}
