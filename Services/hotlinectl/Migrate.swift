import ArgumentParser
import Foundation
import HotlineStorage

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bring the PostgreSQL schema up to date (idempotent).")

    @Option(help: "Folder of the numbered SQL migrations (default deploy/migrations or HOTLINE_MIGRATIONS_DIR).")
    var directory: String?

    func run() async throws {
        try await runReportingErrors {
            let environment = CtlEnvironment()
            let folder = directory.map { URL(fileURLWithPath: $0) }
                ?? environment.deployPath("migrations", override: "HOTLINE_MIGRATIONS_DIR")
            let migrator = try Migrator(directory: folder)
            let applied = try await withDatabase { try await migrator.migrate($0, now: Date()) }
            print(applied.isEmpty ? "schema is up to date" : "applied: \(applied.joined(separator: ", "))")
        }
    }
}
