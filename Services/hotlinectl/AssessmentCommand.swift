import ArgumentParser
import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// `hotlinectl assessment …`: the assessment's appeals and awards (docs/rules.md "Assessment"), answered
/// by the escalation notifier: a unit appeals a ticket's counting (as `unit.<code>`), the center
/// decides it or awards points (as `center`), and `appeals` lists them from the database. The scores
/// themselves are in `hotlinectl report --assessment`.
struct AssessmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assessment",
        abstract: "Appeal a ticket's counting (as a unit), decide appeals and award points (as the center).",
        subcommands: [Appeal.self, DecideAppeal.self, Award.self, Appeals.self])

    struct Appeal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "As a unit, appeal (申诉) how one of its tickets counts in an indicator (unit.appeal-assessment).")
        @Argument(help: "The ticket number.") var ticket: String
        @Option(help: "The appealing unit's code.") var unit: String
        @Option(help: "The indicator, e.g. response_rate or satisfaction_rate.") var indicator: String
        @Option(help: "Why the counting is wrong.") var reason: String
        @OptionGroup var client: CommandClientOptions

        func run() async throws {
            try await runReportingErrors {
                try await CommandRequest(user: "unit.\(unit)", options: client).sendAndReport(
                    .unitAppealAssessment, body: UnitAppealAssessment(ticketNo: ticket, indicator: indicator, reason: reason))
            }
        }
    }

    struct DecideAppeal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "decide-appeal", abstract: "As the center, uphold or dismiss an appeal (center.decide-appeal).")
        @Argument(help: "The appeal id (from assessment.appealed, or `hotlinectl assessment appeals`).") var appeal: String
        @Flag(help: "Uphold: the ticket leaves the indicator for the unit.") var uphold = false
        @Flag(help: "Dismiss.") var dismiss = false
        @Option(help: "What the investigation found (told to the unit).") var note: String
        @OptionGroup var operatorOption: CenterCommands.Operator
        @OptionGroup var client: CommandClientOptions

        func run() async throws {
            try await runReportingErrors {
                guard uphold != dismiss else { throw ValidationError("say exactly one of --uphold and --dismiss") }
                try await CenterCommands.send(
                    .centerDecideAppeal,
                    body: CenterDecideAppeal(appealID: appeal, uphold: uphold, note: note, operatorName: operatorOption.name),
                    client: client)
            }
        }
    }

    struct Award: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "As the center, award a unit an item of one of the profile's award kinds (center.award-points).")
        @Option(help: "The unit's code.") var unit: String
        @Option(help: "The award kind, e.g. typical_case.") var kind: String
        @Option(help: "The ticket it is for, if any.") var ticket: String?
        @Option(help: "Why, for the record.") var note: String
        @OptionGroup var operatorOption: CenterCommands.Operator
        @OptionGroup var client: CommandClientOptions

        func run() async throws {
            try await runReportingErrors {
                try await CenterCommands.send(
                    .centerAwardPoints,
                    body: CenterAwardPoints(unit: unit, kind: kind, ticketNo: ticket, note: note, operatorName: operatorOption.name),
                    client: client)
            }
        }
    }

    struct Appeals: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List appeals, oldest first (default: the open ones).")
        @Option(help: "open, upheld, dismissed or all.") var state = "open"
        @Option(help: "Only this unit's.") var unit: String?

        func validate() throws {
            guard ["open", "upheld", "dismissed", "all"].contains(state) else {
                throw ValidationError("--state: open, upheld, dismissed or all")
            }
        }

        func run() async throws {
            try await runReportingErrors {
                let rows = try await withDatabase { database in
                    try await database.withConnection { connection in
                        try connection.query(
                            """
                            SELECT appeal_id, unit, ticket_no, indicator, state, appealed_at, reason, decision_note
                            FROM assessment_appeals
                            WHERE ($1 = 'all' OR state = $1) AND ($2::text IS NULL OR unit = $2)
                            ORDER BY appealed_at, appeal_id LIMIT 1000
                            """, [state, unit]
                        ).map { row in
                            [
                                try row.decode("appeal_id", as: String.self), try row.decode("unit", as: String.self),
                                try row.decode("ticket_no", as: String.self), try row.decode("indicator", as: String.self),
                                try row.decode("state", as: String.self),
                                RFC3339.string(from: try row.decode("appealed_at", as: Date.self)),
                                try row.decode("reason", as: String.self),
                                try row.decodeIfPresent("decision_note", as: String.self) ?? "",
                            ]
                        }
                    }
                }
                let header = ["appeal", "unit", "ticket", "indicator", "state", "appealed_at", "reason", "decision"]
                for line in HotlineReport.align([header] + rows) { print(line) }
            }
        }
    }
}
