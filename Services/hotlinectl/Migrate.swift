import ArgumentParser
import Foundation
import HotlineRuntime
import HotlineStorage

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bring the PostgreSQL schema up to date, with each service's role and its grants (idempotent).",
        discussion: """
            Runs as the schema's owner, which needs CREATEROLE. The roles are <database>_<service> \
            (hotline_intake, …); with --passwords they may log in.
            """)

    @Option(help: "Folder of the numbered SQL migrations (default deploy/migrations or HOTLINE_MIGRATIONS_DIR).")
    var directory: String?

    @Option(help: "YAML file of role → password; the services' roles may log in with these (missing ones are generated, mode 0600).")
    var passwords: String?

    func run() async throws {
        try await runReportingErrors {
            let environment = CtlEnvironment()
            let folder = directory.map { URL(fileURLWithPath: $0) }
                ?? environment.deployPath("migrations", override: "HOTLINE_MIGRATIONS_DIR")
            let migrator = try Migrator(directory: folder)
            let passwordFile = passwords.map { URL(fileURLWithPath: $0) }
            let (applied, roles) = try await withDatabase { database in
                let applied = try await migrator.migrate(database, now: Date())
                let name: String = try await database.withConnection {
                    try $0.query("SELECT current_database() AS name")[0].decode("name")
                }
                let secrets = try passwordFile.map { try PasswordFile.load($0, users: DatabaseRole.all.map { $0.name(in: name) }) }
                let roles = try await database.withConnection {
                    try DatabaseRoles.apply(on: $0, database: name, passwords: secrets)
                }
                return (applied, roles)
            }
            print(applied.isEmpty ? "schema is up to date" : "applied: \(applied.joined(separator: ", "))")
            if !roles.created.isEmpty { print("created roles: \(roles.created.joined(separator: ", "))") }
            if !roles.loginsSet.isEmpty { print("logins set: \(roles.loginsSet.joined(separator: ", "))") }
        }
    }
}
