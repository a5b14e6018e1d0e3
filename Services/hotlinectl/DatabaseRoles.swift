import Foundation
import HotlineRuntime
import HotlineStorage

/// Each service's PostgreSQL role in the current database, with exactly the grants its `DatabaseRole`
/// names (docs/security.md "Least privilege"): made by `hotlinectl migrate` after the schema, so that
/// a new table is granted in the same run that creates it.
enum DatabaseRoles {
    /// What `apply` did.
    struct Applied {
        var created: [String] = []
        var loginsSet: [String] = []
    }

    /// Creates the roles of `database` (the connection's) that do not exist yet (NOLOGIN), replaces
    /// every role's table and sequence grants with those of its `DatabaseRole`, sets its
    /// `sessionSettings`, and closes the database to roles without a grant (no CONNECT or TEMPORARY
    /// for PUBLIC). With `passwords` (role → password) each role may log in,
    /// with the SCRAM verifier of its password (the password itself is not sent). One transaction.
    ///
    /// GRANT and ALTER ROLE take no parameters: role, table and database names are quoted
    /// identifiers, and the verifier is a literal of SCRAM's own characters.
    static func apply(on connection: PostgresConnection, database: String, passwords: [String: String]?) throws -> Applied {
        var applied = Applied()
        try connection.query("BEGIN")
        do {
            // Concurrent `hotlinectl migrate` runs wait for each other (the migrator's lock).
            try connection.query("SELECT pg_advisory_xact_lock(72450001)")
            try connection.execute(script: "REVOKE CONNECT, TEMPORARY ON DATABASE \(quoted(database)) FROM PUBLIC")
            for role in DatabaseRole.all {
                let name = role.name(in: database)
                guard name.utf8.count <= 63 else {
                    throw DatabaseError(sqlState: nil, message: "role name \(name) is longer than PostgreSQL's 63 bytes: use a shorter database name")
                }
                if try connection.query("SELECT 1 AS n FROM pg_roles WHERE rolname = $1", [name]).isEmpty {
                    try connection.execute(script: "CREATE ROLE \(quoted(name)) NOLOGIN")
                    applied.created.append(name)
                }
                let sequences: [String] = try connection.query(
                    """
                    SELECT DISTINCT s.relname AS name
                    FROM pg_class s
                    JOIN pg_namespace n ON n.oid = s.relnamespace AND n.nspname = 'public'
                    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid AND d.deptype IN ('a', 'i')
                    JOIN pg_class t ON t.oid = d.refobjid
                    WHERE s.relkind = 'S' AND t.relname = ANY($1::text[])
                    ORDER BY name
                    """, [role.writes]
                ).map { try $0.decode("name") }
                var script = [
                    "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM \(quoted(name))",
                    "REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM \(quoted(name))",
                    "GRANT CONNECT ON DATABASE \(quoted(database)) TO \(quoted(name))",
                    "GRANT USAGE ON SCHEMA public TO \(quoted(name))",
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE \(list(role.writes)) TO \(quoted(name))",
                    "GRANT SELECT ON TABLE \(list(role.reads)) TO \(quoted(name))",
                ] + sessionSettings.map { "ALTER ROLE \(quoted(name)) SET \($0.key) = '\($0.value)'" }
                if !sequences.isEmpty { script.append("GRANT USAGE ON SEQUENCE \(list(sequences)) TO \(quoted(name))") }
                if let password = passwords?[name] {
                    let verifier = try connection.passwordVerifier(password, user: name)
                    guard verifier.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "$:+/=-".contains($0)) }) else {
                        throw DatabaseError(sqlState: nil, message: "unexpected characters in the password verifier of \(name)")
                    }
                    script.append("ALTER ROLE \(quoted(name)) LOGIN PASSWORD '\(verifier)'")
                    applied.loginsSet.append(name)
                }
                try connection.execute(script: script.joined(separator: ";\n"))
            }
            try connection.query("COMMIT")
        } catch {
            _ = try? connection.query("ROLLBACK")
            throw error
        }
        return applied
    }

    /// Settings of every session of a service, whatever the server's defaults: commits wait for the
    /// WAL to reach disk, and a transaction left open by a hung process ends after a minute (its
    /// locks with it; the batch runs again elsewhere).
    static let sessionSettings: KeyValuePairs = ["synchronous_commit": "on", "idle_in_transaction_session_timeout": "60s"]

    /// An identifier, quoted (a `"` in it doubled).
    private static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func list(_ identifiers: [String]) -> String {
        identifiers.map(quoted).joined(separator: ", ")
    }
}
