import ArgumentParser
import Foundation

@main
struct HotlineCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hotlinectl",
        abstract: "Operate the hotline platform: schema, broker, reference data, tickets.",
        subcommands: [Migrate.self, Broker.self, CatalogueCommand.self, CalendarCommand.self, TicketCommand.self, InvalidCommand.self, OutboxCommand.self, UnitCommands.self, CenterCommands.self, KnowledgeCommand.self, ReportCommand.self, DeadCommand.self, CardsCommand.self, AssessmentCommand.self, SupervisionCommand.self, Open311Command.self, ConsoleCommand.self])
}

/// Runs a subcommand body and turns any failure into a one-line reason on stderr and exit status 1.
func runReportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ExitCode {
        throw error
    } catch {
        FileHandle.standardError.write(Data("hotlinectl: \(error)\n".utf8))
        throw ExitCode.failure
    }
}
