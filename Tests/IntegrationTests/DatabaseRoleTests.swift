import Foundation
import HotlineRuntime
import HotlineStorage
import XCTest

/// Each service's database role may do only what its service does (docs/security.md "Least
/// privilege"), by the grants `hotlinectl migrate` gave it: it writes the tables it owns and the
/// runtime's, reads what it names, and nothing else. (The whole suite runs the services as these
/// roles, so what they do need is granted.)
final class DatabaseRoleTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    /// The database's own view of every role's privileges matches its `DatabaseRole`, table by table,
    /// and a write outside it is refused.
    /// A service's URL keeps every host of libpq's multi-host form (a primary and its standby).
    func testAServiceURLKeepsEveryHost() throws {
        let role = try XCTUnwrap(DatabaseRole.of("intake"))
        let url = try role.url(
            from: "postgres://hotline:hotline@127.0.0.1:5441,127.0.0.1:5442/hotline_x?sslmode=disable&target_session_attrs=read-write",
            passwords: ["hotline_x_intake": "p@ss word"])
        XCTAssertEqual(
            url,
            "postgres://hotline_x_intake:p%40ss%20word@127.0.0.1:5441,127.0.0.1:5442/hotline_x?sslmode=disable&target_session_attrs=read-write")
        XCTAssertEqual(
            try role.url(from: "postgres://db.example/hotline", passwords: ["hotline_intake": "s"]),
            "postgres://hotline_intake:s@db.example/hotline")
    }

    func testAServiceRoleWritesOnlyTheTablesItOwns() async throws {
        let stack = try TestStack.fromEnvironment()
        let admin = stack.database()
        defer { Task { await admin.shutdown() } }
        let relations: [String] = try await admin.withConnection { connection in
            try connection.query(
                "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v')"
            ).map { try $0.decode("relname") }
        }
        XCTAssertGreaterThan(relations.count, 25)
        for role in DatabaseRole.all {
            let url = try stack.databaseURL(service: role.service)
            let database = Database(url: url, applicationName: "role-tests", size: 1, retryWindow: 0, logger: TestStack.logger)
            let privileges: [(table: String, select: Bool, insert: Bool, update: Bool, delete: Bool)] = try await database.withConnection { connection in
                try connection.query(
                    """
                    SELECT r AS name, has_table_privilege(r, 'SELECT') AS s, has_table_privilege(r, 'INSERT') AS i,
                           has_table_privilege(r, 'UPDATE') AS u, has_table_privilege(r, 'DELETE') AS d
                    FROM unnest($1::text[]) AS r
                    """, [relations]
                ).map { (try $0.decode("name"), try $0.decode("s"), try $0.decode("i"), try $0.decode("u"), try $0.decode("d")) }
            }
            for privilege in privileges {
                let writes = role.writes.contains(privilege.table)
                let reads = writes || role.reads.contains(privilege.table)
                XCTAssertEqual(privilege.select, reads, "\(role.service) SELECT on \(privilege.table)")
                XCTAssertEqual(privilege.insert, writes, "\(role.service) INSERT on \(privilege.table)")
                XCTAssertEqual(privilege.update, writes, "\(role.service) UPDATE on \(privilege.table)")
                XCTAssertEqual(privilege.delete, writes, "\(role.service) DELETE on \(privilege.table)")
            }
            await database.shutdown()
        }

        // A real write outside the grants: the dispatcher inserting a ticket, the survey changing an
        // assignment, intake creating a table.
        let refused: [(service: String, sql: String)] = [
            ("dispatcher", "INSERT INTO tickets (ticket_no) VALUES ('ROLE-TEST')"),
            ("survey", "UPDATE assignments SET state = state WHERE false"),
            ("intake", "CREATE TABLE role_test (id int)"),
            ("escalation-notifier", "SELECT count(*) FROM sla_clocks"),
        ]
        for (service, sql) in refused {
            let database = Database(
                url: try stack.databaseURL(service: service), applicationName: "role-tests", size: 1, retryWindow: 0,
                logger: TestStack.logger)
            do {
                _ = try await database.withConnection { try $0.query(sql) }
                XCTFail("\(service) ran \(sql)")
            } catch let error as DatabaseError {
                XCTAssertEqual(error.sqlState, "42501", "\(service): \(error)")
            }
            await database.shutdown()
        }
    }

    /// `hotlinectl migrate` replaces a role's grants with its `DatabaseRole`'s: a grant made by hand
    /// is gone after the next run, and the roles may still log in, with the services' session settings.
    func testMigrateTakesBackAGrantMadeByHand() async throws {
        let stack = try TestStack.fromEnvironment()
        let admin = stack.database()
        defer { Task { await admin.shutdown() } }
        let role = try XCTUnwrap(DatabaseRole.of("dispatcher"))
        let name: String = try await admin.withConnection { connection in
            let name = role.name(in: try connection.query("SELECT current_database() AS d")[0].decode("d"))
            try connection.execute(script: "GRANT INSERT ON tickets TO \"\(name)\"")
            return name
        }
        let granted: Bool = try await admin.withConnection {
            try $0.query("SELECT has_table_privilege($1, 'tickets', 'INSERT') AS g", [name])[0].decode("g")
        }
        XCTAssertTrue(granted)

        let run = try await Ctl.run(stack, ["migrate"])
        XCTAssertEqual(run.status, 0, run.error)
        let after: Bool = try await admin.withConnection {
            try $0.query("SELECT has_table_privilege($1, 'tickets', 'INSERT') AS g", [name])[0].decode("g")
        }
        XCTAssertFalse(after, "migrate left the hand-made grant")
        let database = Database(
            url: try stack.databaseURL(service: "dispatcher"), applicationName: "role-tests", size: 1, retryWindow: 0,
            logger: TestStack.logger)
        let session: (user: String, commit: String, idle: String) = try await database.withConnection {
            let row = try $0.query("""
                SELECT current_user AS u, current_setting('synchronous_commit') AS c,
                       current_setting('idle_in_transaction_session_timeout') AS i
                """)[0]
            return (try row.decode("u"), try row.decode("c"), try row.decode("i"))
        }
        XCTAssertEqual(session.user, name)
        XCTAssertEqual(session.commit, "on", "every session of a service commits synchronously")
        XCTAssertEqual(session.idle, "1min", "a transaction left open ends after a minute")
        await database.shutdown()
    }

    /// The running services are connected as their own roles, none as the schema's owner.
    func testTheServicesConnectAsTheirOwnRoles() async throws {
        let platform = try await Platform.start()
        let admin = platform.stack.database()
        defer { Task { await admin.shutdown() } }
        let sessions: [String: Set<String>] = try await admin.withConnection { connection in
            var sessions: [String: Set<String>] = [:]
            for row in try connection.query(
                """
                SELECT application_name AS app, usename AS role FROM pg_stat_activity
                WHERE datname = current_database() AND application_name LIKE 'hotline-%'
                """
            ) {
                sessions[try row.decode("app"), default: []].insert(try row.decode("role"))
            }
            return sessions
        }
        let database: String = try await admin.withConnection { try $0.query("SELECT current_database() AS d")[0].decode("d") }
        for role in DatabaseRole.all {
            XCTAssertEqual(sessions["hotline-\(role.service)"], [role.name(in: database)], "\(role.service)'s sessions")
        }
    }
}
