import ArgumentParser
import Foundation
import HotlineDomain
import HotlineRuntime

/// `hotlinectl cards --quarter 2026Q3 [--json]`: asks the escalation notifier, as the center
/// (`center.compute-cards`), to compute a quarter's red and yellow cards (PS §20(二)) now, and prints
/// every card of the quarter with each unit's counts from its answer (`cards.computed`). A card
/// already issued is not issued again; a new one is announced with `card.issued`.
struct CardsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cards", abstract: "Compute and show a quarter's red and yellow cards (PS §20(二)).")

    @Option(help: "The quarter, e.g. 2026Q3.")
    var quarter: String

    @OptionGroup var client: CommandClientOptions

    func validate() throws {
        guard Quarter(quarter) != nil else { throw ValidationError("--quarter must look like 2026Q3") }
    }

    func run() async throws {
        try await runReportingErrors {
            let outcome = try await CommandRequest(user: "center", options: client)
                .send(.centerComputeCards, body: CenterComputeCards(quarter: quarter))
            guard !outcome.isRejection, !client.json else { return try CommandRequest.report(outcome, json: client.json) }
            let computed = try HotlineJSON.decode(CardsComputed.self, from: Data(outcome.body))
            guard !computed.cards.isEmpty else {
                print("\(computed.quarter): no cards (\(computed.counts.count) units with overdue or shirked tickets)")
                return
            }
            print("quarter  unit      color   overdue  shirked  issued")
            for card in computed.cards {
                print([
                    computed.quarter.padding(toLength: 8, withPad: " ", startingAt: 0),
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
