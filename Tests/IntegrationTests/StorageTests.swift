import HotlineStorage
import XCTest

/// `PostgresConnection` against the real server: statements are prepared once per session and
/// behave exactly as unprepared ones, errors included.
final class StorageTests: XCTestCase {
    func testPreparedStatementsGiveTheSameResultsAndErrors() throws {
        let stack = try TestStack.fromEnvironment()
        let connection = try PostgresConnection(url: stack.databaseURL, applicationName: "storage-tests")
        defer { connection.close() }

        // The same text with different parameters, and NULL.
        for value in [1, 7, 42] {
            let row = try XCTUnwrap(connection.query("SELECT $1::int * 2 AS n, $2::text AS t", [value, nil]).first)
            XCTAssertEqual(try row.decode("n", as: Int.self), value * 2)
            XCTAssertNil(row["t"])
        }

        // More distinct statements than the session keeps prepared: the rest still run.
        for index in 0..<520 {
            let row = try XCTUnwrap(connection.query("SELECT $1::int + \(index) AS n", [index]).first)
            XCTAssertEqual(try row.decode("n", as: Int.self), 2 * index)
        }

        // An execution error of a prepared statement, then a statement that fails to prepare:
        // each gives its SQLSTATE and leaves the session usable.
        XCTAssertEqual(try connection.query("SELECT 1 / $1::int AS n", [1]).first?.decode("n", as: Int.self), 1)
        XCTAssertThrowsError(try connection.query("SELECT 1 / $1::int AS n", [0])) { error in
            XCTAssertEqual((error as? DatabaseError)?.sqlState, "22012")
        }
        XCTAssertThrowsError(try connection.query("SELEC $1::int", [1])) { error in
            XCTAssertEqual((error as? DatabaseError)?.sqlState, "42601")
        }
        XCTAssertThrowsError(try connection.query("SELEC $1::int", [1])) { error in
            XCTAssertEqual((error as? DatabaseError)?.sqlState, "42601")
        }

        // Inside a transaction: an error aborts it; after ROLLBACK the prepared statements work again.
        try connection.query("BEGIN")
        XCTAssertThrowsError(try connection.query("SELECT 1 / $1::int AS n", [0]))
        XCTAssertThrowsError(try connection.query("SELECT $1::int * 2 AS n, $2::text AS t", [1, nil])) { error in
            XCTAssertEqual((error as? DatabaseError)?.sqlState, "25P02")
        }
        try connection.query("ROLLBACK")
        XCTAssertEqual(try connection.query("SELECT $1::int * 2 AS n, $2::text AS t", [21, "x"]).first?.decode("n", as: Int.self), 42)
    }

    func testAStatementPreparedBeforeAMigrationStillRuns() throws {
        let stack = try TestStack.fromEnvironment()
        let connection = try PostgresConnection(url: stack.databaseURL, applicationName: "storage-tests")
        defer { connection.close() }
        try connection.query("CREATE TEMP TABLE storage_shape (a int)")
        try connection.query("INSERT INTO storage_shape VALUES ($1)", [1])
        let select = "SELECT * FROM storage_shape WHERE a = $1"
        XCTAssertEqual(try connection.query(select, [1]).first?.decode("a", as: Int.self), 1)

        // Outside a transaction the statement is prepared again at once.
        try connection.query("ALTER TABLE storage_shape ADD COLUMN b text DEFAULT 'new'")
        XCTAssertEqual(try connection.query(select, [1]).first?["b"], "new")

        // Inside one, the transaction fails (the caller retries it) and the next run prepares again.
        try connection.query("ALTER TABLE storage_shape ADD COLUMN c text DEFAULT 'newer'")
        try connection.query("BEGIN")
        XCTAssertThrowsError(try connection.query(select, [1])) { error in
            XCTAssertEqual((error as? DatabaseError)?.sqlState, "0A000")
        }
        try connection.query("ROLLBACK")
        try connection.query("BEGIN")
        XCTAssertEqual(try connection.query(select, [1]).first?["c"], "newer")
        try connection.query("COMMIT")
    }
}
