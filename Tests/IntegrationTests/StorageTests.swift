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

    func testQueuedWritesGoWithTheNextQueryInOrderAndTheirErrorsSurfaceThere() throws {
        let stack = try TestStack.fromEnvironment()
        let connection = try PostgresConnection(url: stack.databaseURL, applicationName: "storage-tests")
        defer { connection.close() }
        try connection.query("CREATE TEMP TABLE storage_queue (id int PRIMARY KEY, note text)")

        // Writes are sent with the next query, in order, and the query sees them.
        connection.write("INSERT INTO storage_queue VALUES ($1, $2)", [1, "one"])
        connection.write("UPDATE storage_queue SET note = $2 WHERE id = $1", [1, "first"])
        connection.write("INSERT INTO storage_queue VALUES ($1, $2)", [2, nil])
        let rows = try connection.query("SELECT id, note FROM storage_queue ORDER BY id")
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows.first?["note"], "first")
        XCTAssertNil(rows.last?["note"])

        // A failing write: its error (and SQLSTATE) comes from the next query, the writes after it do
        // not run, and the session stays usable.
        connection.write("INSERT INTO storage_queue VALUES ($1, $2)", [3, "three"])
        connection.write("INSERT INTO storage_queue VALUES ($1, $2)", [1, "duplicate"])
        connection.write("INSERT INTO storage_queue VALUES ($1, $2)", [4, "four"])
        XCTAssertThrowsError(try connection.query("SELECT count(*) AS n FROM storage_queue")) { error in
            XCTAssertEqual((error as? DatabaseError)?.sqlState, "23505")
        }
        // Outside a transaction the pipeline ran as one implicit transaction: none of it stayed.
        XCTAssertEqual(try connection.query("SELECT count(*) AS n FROM storage_queue").first?.decode("n", as: Int.self), 2)

        // Inside a transaction: flush sends them; discarded writes are never sent.
        try connection.query("BEGIN")
        connection.write("INSERT INTO storage_queue VALUES ($1, $2)", [5, "five"])
        try connection.flush()
        connection.write("INSERT INTO storage_queue VALUES ($1, $2)", [6, "six"])
        connection.discardWrites()
        try connection.query("COMMIT")
        XCTAssertEqual(
            try connection.query("SELECT array_agg(id ORDER BY id)::text AS ids FROM storage_queue").first?["ids"], "{1,2,5}")
    }

    func testQueriesRunInOneRoundTripAndAnErrorCarriesItsStatementsTag() throws {
        let stack = try TestStack.fromEnvironment()
        let connection = try PostgresConnection(url: stack.databaseURL, applicationName: "storage-tests")
        defer { connection.close() }
        try connection.query("CREATE TEMP TABLE storage_tags (id int PRIMARY KEY)")
        try connection.query("BEGIN")

        // Each statement's rows, in order, after the queued writes (which the reads see).
        connection.tag = 1
        connection.write("INSERT INTO storage_tags VALUES ($1)", [1])
        let results = try connection.queries([
            ("SELECT count(*) AS n FROM storage_tags", []), ("SELECT $1::int AS n UNION ALL SELECT 3", [2]),
        ])
        XCTAssertEqual(try results.map { try $0.map { try $0.decode("n", as: Int.self) } }, [[1], [2, 3]])
        XCTAssertEqual(try connection.queries([]).count, 0)

        // A write queued under tag 2 fails with a statement sent under tag 3: the error names tag 2.
        connection.tag = 2
        connection.write("INSERT INTO storage_tags VALUES ($1)", [1])
        connection.tag = 3
        XCTAssertThrowsError(try connection.query("SELECT 1 AS n")) { error in
            XCTAssertEqual((error as? DatabaseError)?.sqlState, "23505")
            XCTAssertEqual((error as? DatabaseError)?.statementTag, 2)
        }
        try connection.query("ROLLBACK")
    }

    func testATextHoldingANULIsRefusedNotCutShort() throws {
        let stack = try TestStack.fromEnvironment()
        let connection = try PostgresConnection(url: stack.databaseURL, applicationName: "storage-tests")
        defer { connection.close() }
        XCTAssertThrowsError(try connection.query("SELECT $1::text AS t", ["ab\u{0}cd"])) { error in
            XCTAssertEqual((error as? DatabaseError)?.sqlState, "22021")
        }
        connection.write("SELECT $1::text", ["x\u{0}"])
        XCTAssertThrowsError(try connection.query("SELECT 1 AS n")) { error in
            XCTAssertEqual((error as? DatabaseError)?.sqlState, "22021", "a queued write's text is checked too")
        }
        XCTAssertEqual(try connection.query("SELECT $1::text AS t", ["abcd"]).first?.decode("t", as: String.self), "abcd")
    }

    func testArraysCarryNullsQuotesAndBytes() throws {
        let stack = try TestStack.fromEnvironment()
        let connection = try PostgresConnection(url: stack.databaseURL, applicationName: "storage-tests")
        defer { connection.close() }
        let texts: [String?] = ["a\"b", nil, "back\\slash", "NULL", ""]
        let rows = try connection.query(
            "SELECT t, t IS NULL AS missing FROM unnest($1::text[]) WITH ORDINALITY AS x(t, n) ORDER BY n",
            [NullableArray(texts)])
        XCTAssertEqual(rows.map { $0["t"] }, texts)
        XCTAssertEqual(try rows.map { try $0.decode("missing", as: Bool.self) }, [false, true, false, false, false])
        let bodies = [Data([0, 1, 0xff]), Data(), Data("{\"x\": 1}".utf8)]
        let decoded = try connection.query("SELECT b FROM unnest($1::bytea[]) WITH ORDINALITY AS x(b, n) ORDER BY n", [bodies])
        XCTAssertEqual(try decoded.map { try $0.decode("b", as: Data.self) }, bodies)
    }
}
