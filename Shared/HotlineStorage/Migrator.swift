import Foundation

/// Applies the versioned SQL files of a folder (`0001_name.sql`, `0002_…`) in order, each once,
/// recording them in `schema_migrations`; an advisory lock keeps concurrent runs apart.
public struct Migrator: Sendable {
    public struct Migration: Sendable, Equatable {
        public let version: Int
        public let name: String
        public let sql: String
    }

    public let migrations: [Migration]

    /// Reads the migrations of a folder; a file whose name does not start with a number is an error.
    public init(directory: URL) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".sql") }
            .sorted()
        migrations = try files.map { file in
            guard let version = Int(file.prefix { $0.isNumber }) else {
                throw DatabaseError(sqlState: nil, message: "\(file): migration names start with a version number")
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            return Migration(version: version, name: file, sql: sql)
        }
        let versions = migrations.map(\.version)
        guard Set(versions).count == versions.count else {
            throw DatabaseError(sqlState: nil, message: "two migrations share a version number in \(directory.path)")
        }
    }

    /// Applies what is missing; returns the names of the migrations applied by this call.
    public func migrate(_ database: Database, now: Date) async throws -> [String] {
        let migrations = self.migrations
        return try await database.withConnection { connection in
            try connection.query("SELECT pg_advisory_lock(72450001)")
            defer { _ = try? connection.query("SELECT pg_advisory_unlock(72450001)") }
            try connection.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL
                )
                """)
            let applied = Set(try connection.query("SELECT version FROM schema_migrations").map {
                try $0.decode("version", as: Int.self)
            })
            var done: [String] = []
            for migration in migrations where !applied.contains(migration.version) {
                try connection.query("BEGIN")
                do {
                    try connection.execute(script: migration.sql)
                    try connection.query(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                        [migration.version, migration.name, now])
                    try connection.query("COMMIT")
                } catch {
                    _ = try? connection.query("ROLLBACK")
                    throw DatabaseError(sqlState: (error as? DatabaseError)?.sqlState,
                                        message: "\(migration.name): \(error)")
                }
                done.append(migration.name)
            }
            return done
        }
    }
}
