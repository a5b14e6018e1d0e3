import ArgumentParser
import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// `hotlinectl cards --quarter 2026Q3 [--json]`: computes a quarter's red and yellow cards (PS §20(二))
/// on demand, idempotently (a card already issued is not issued again; a new one gets `card.issued`
/// through the outbox, which the running services' relays publish), and prints every card of the
/// quarter with each unit's counts.
struct CardsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cards", abstract: "Compute and show a quarter's red and yellow cards (PS §20(二)).")

    @Option(help: "The quarter, e.g. 2026Q3.")
    var quarter: String

    @Flag(help: "Print JSON for programs.")
    var json = false

    func validate() throws {
        guard Quarter(quarter) != nil else { throw ValidationError("--quarter must look like 2026Q3") }
    }

    func run() async throws {
        try await runReportingErrors {
            let quarter = Quarter(self.quarter)!
            let environment = CtlEnvironment()
            let profileFile = URL(fileURLWithPath: environment.configuration.profilesDirectory)
                .appendingPathComponent("\(environment.configuration.profile).yaml")
            let result = try await withDatabase { database in
                let reference = try await ReferenceData.load(database: database, profileFile: profileFile)
                let rules = reference.profile.cards
                let calendar = reference.calendar
                let now = Date()
                return try await database.transaction { connection in
                    try QuarterCardStore.compute(quarter, rules: rules, calendar: calendar, now: now, on: connection)
                }
            }
            if json {
                let object: [String: Any] = [
                    "quarter": quarter.description,
                    "counts": result.counts.map { ["unit": $0.unit, "overdue": $0.overdue, "shirked": $0.shirked] },
                    "cards": result.cards.map {
                        [
                            "unit": $0.unit, "color": $0.color.rawValue, "overdue": $0.overdue, "shirked": $0.shirked,
                            "reason": $0.reason ?? "", "issued_at": RFC3339.string(from: $0.issuedAt), "new": $0.new,
                        ] as [String: Any]
                    },
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else if result.cards.isEmpty {
                print("\(quarter): no cards (\(result.counts.count) units with overdue or shirked tickets)")
            } else {
                print("quarter  unit      color   overdue  shirked  issued")
                for card in result.cards {
                    print([
                        card.quarter.padding(toLength: 8, withPad: " ", startingAt: 0),
                        card.unit.padding(toLength: 9, withPad: " ", startingAt: 0),
                        card.color.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0),
                        String(card.overdue).padding(toLength: 8, withPad: " ", startingAt: 0),
                        String(card.shirked).padding(toLength: 8, withPad: " ", startingAt: 0),
                        RFC3339.string(from: card.issuedAt) + (card.new ? " (new)" : ""),
                    ].joined(separator: " "))
                }
            }
        }
    }
}
