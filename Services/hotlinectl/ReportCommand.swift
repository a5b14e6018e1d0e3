import ArgumentParser
import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// `hotlinectl report`: the metrics of docs/rules.md "Reports and metrics" for a range of local dates,
/// per unit and in total, grouped by day, week, month, quarter or year, with the range's hotspots. A table
/// for people, `--json` for programs; both print the same `HotlineReport`.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Daily to quarterly figures: intake, deadlines, returns, extensions, surveys, hotspots.")

    @Option(help: "First local date (Asia/Shanghai), YYYY-MM-DD, inclusive.")
    var from: String

    @Option(help: "Last local date, YYYY-MM-DD, inclusive.")
    var to: String

    @Option(help: "Only this unit's per-unit figures (the center's totals stay whole).")
    var unit: String?

    @Option(help: "Group by day, week, month, quarter or year (default: the whole range as one period).")
    var by: ReportGrouping?

    @Option(help: "How many top categories and communities to list.")
    var top = 10

    @Flag(help: "Score and rank the units in each period under the profile's assessment (appeals and awards applied).")
    var assessment = false

    @Option(help: "The rule profile whose assessment scores (default: $HOTLINE_PROFILE, else pingshan).")
    var profile: String?

    @Flag(help: "Print JSON for programs.")
    var json = false

    func validate() throws {
        guard let first = CalendarDate(from) else { throw ValidationError("--from: not a date YYYY-MM-DD: \(from)") }
        guard let last = CalendarDate(to) else { throw ValidationError("--to: not a date YYYY-MM-DD: \(to)") }
        guard first <= last else { throw ValidationError("--from is after --to") }
        guard first.days(to: last) <= 3 * 366 else { throw ValidationError("at most three years at once") }
        if let by, by == .day, first.days(to: last) > 400 { throw ValidationError("--by day: at most 400 days") }
        guard top >= 0 else { throw ValidationError("--top must not be negative") }
        if assessment, unit != nil { throw ValidationError("--assessment ranks every unit: leave out --unit") }
    }

    func run() async throws {
        try await runReportingErrors {
            let first = CalendarDate(from)!
            let last = CalendarDate(to)!
            let query = ReportQuery(from: first, to: last, grouping: by, unit: unit, top: top, asOf: Date())
            var report = try await withDatabase { database in
                try await database.withConnection { connection in try query.run(on: connection) }
            }
            if assessment {
                let environment = CtlEnvironment()
                let name = profile ?? environment.configuration.profile
                report.assessment = .init(profile: name, rules: try environment.profile(named: name).assessment)
            }
            print(json ? try report.json() : report.table())
        }
    }
}

extension ReportGrouping: ExpressibleByArgument {}
