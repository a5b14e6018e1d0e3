import CLibPQ
import Foundation
import Metrics

/// A statement and its `$1…$n` parameters, for `PostgresConnection.queries`.
public typealias PostgresStatement = (sql: String, parameters: [(any PostgresEncodable)?])

/// One libpq connection. Its calls block, so it is only ever used from a blocking thread, by one
/// caller at a time (the `Database` pool guarantees both).
public final class PostgresConnection {
    private var handle: OpaquePointer?
    /// Server-side prepared statements of this session, by SQL text: a statement the services run
    /// again and again is parsed (and, once PostgreSQL settles on a generic plan, planned) only once.
    private var prepared: [String: String] = [:]
    /// Names are never reused within a session (a dropped entry's statement stays on the server).
    private var statementsPrepared = 0
    /// Statements beyond this many distinct texts are run unprepared (guards against generated SQL).
    private static let preparedLimit = 500
    /// Writes waiting to be sent with the next query (`write`), each with the tag it was queued under.
    private var queued: [Statement] = []
    private typealias Statement = (sql: String, texts: [String?], tag: Int?)
    /// Marks the statements sent or queued from now on: an error of one of them carries its tag
    /// (`DatabaseError.statementTag`), so that a queued write's failure, thrown by a later call, can
    /// be told to whoever queued it.
    public var tag: Int?
    /// `hotline_database_statements_total`: statements this process sent (the benchmark divides it by tickets).
    private static let statements = Counter(label: "hotline_database_statements_total")
    /// `hotline_database_round_trips_total`: times this process waited for the server's answer.
    private static let roundTrips = Counter(label: "hotline_database_round_trips_total")

    /// Connects with a `postgres://` URL. The session runs in UTC with ISO dates so that
    /// `timestamptz` values decode without guessing.
    public init(url: String, applicationName: String) throws {
        let keywords = ["dbname", "application_name", "connect_timeout", "options"]
        let values = [url, applicationName, "5", "-c TimeZone=UTC -c DateStyle=ISO -c client_min_messages=warning"]
        let conn = withCStrings(keywords) { keywordPointers in
            withCStrings(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let conn, PQstatus(conn) == CONNECTION_OK else {
            let message = conn.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            if let conn { PQfinish(conn) }
            throw DatabaseError(
                sqlState: nil, message: message.trimmingCharacters(in: .whitespacesAndNewlines),
                isConnectionFailure: true)
        }
        handle = conn
    }

    deinit { close() }

    public var isHealthy: Bool { handle.map { PQstatus($0) == CONNECTION_OK } ?? false }

    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
        prepared = [:]
        queued = []
    }

    /// Runs one statement with `$1…$n` parameters (text format; nil is SQL NULL) and returns its rows.
    /// Writes queued by `write` go first, in the same round trip.
    @discardableResult
    public func query(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws -> [PostgresRow] {
        guard let handle else {
            throw DatabaseError(sqlState: nil, message: "connection closed", isConnectionFailure: true)
        }
        if !queued.isEmpty { return try queries([(sql, parameters)])[0] }
        let texts: [String?] = parameters.map { $0?.postgresText }
        do {
            return try run(sql, texts, on: handle)
        } catch var error as DatabaseError {
            // "cached plan must not change result type" (the message may be translated): a migration
            // changed what a table the prepared statement reads returns. Prepare it again, once:
            // outside a transaction at once, inside one when the caller retries the transaction.
            if error.sqlState == "0A000" {
                prepared[sql] = nil
                if PQtransactionStatus(handle) == PQTRANS_IDLE { return try run(sql, texts, on: handle) }
            }
            error.statementTag = tag
            throw error
        }
    }

    /// `query` of a statement made elsewhere.
    @discardableResult
    public func query(_ statement: PostgresStatement) throws -> [PostgresRow] {
        try query(statement.sql, statement.parameters)
    }

    /// Queues a statement whose rows are not needed (an insert or update): it is sent, in order, with
    /// the next `query` or `flush` in one round trip (libpq pipeline mode), and an error it meets is
    /// thrown there. Inside a transaction nothing changes but the number of round trips; `Database`
    /// flushes what a body queued before it returns.
    public func write(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) {
        queued.append((sql, parameters.map { $0?.postgresText }, tag))
    }

    /// Runs several statements in one round trip, after the queued writes, and returns each one's rows
    /// in order: reads that do not depend on each other's answers (a lock and what it guards, too:
    /// the server runs them in order). Throws the first error; the statements after it do not run.
    public func queries(_ statements: [PostgresStatement]) throws -> [[PostgresRow]] {
        guard !statements.isEmpty else { return [] }
        guard let handle else {
            throw DatabaseError(sqlState: nil, message: "connection closed", isConnectionFailure: true)
        }
        let written = queued.count
        let all = queued + statements.map { ($0.sql, $0.parameters.map { $0?.postgresText }, tag) }
        queued = []
        return Array(try pipeline(all, on: handle).dropFirst(written))
    }

    /// Sends the queued writes now.
    public func flush() throws {
        guard !queued.isEmpty else { return }
        guard let handle else {
            throw DatabaseError(sqlState: nil, message: "connection closed", isConnectionFailure: true)
        }
        let statements = queued
        queued = []
        _ = try pipeline(statements, on: handle)
    }

    /// Drops the queued writes (their transaction is being rolled back).
    public func discardWrites() { queued = [] }

    /// Sends the statements in one round trip and returns each one's rows; throws the first error
    /// (the statements after a failed one do not run). Statements new to the session are prepared first.
    private func pipeline(_ statements: [Statement], on handle: OpaquePointer) throws -> [[PostgresRow]] {
        for statement in statements { try Self.checkTexts(statement.texts, tag: statement.tag) }
        let names = try statements.map { try preparedName(for: $0.sql, parameterCount: $0.texts.count, on: handle) }
        Self.roundTrips.increment()
        guard PQenterPipelineMode(handle) == 1 else { throw brokenPipeline(handle) }
        for (statement, name) in zip(statements, names) {
            Self.statements.increment()
            let count = Int32(statement.texts.count)
            let sent = withOptionalCStrings(statement.texts) { values in
                if let name {
                    PQsendQueryPrepared(handle, name, count, values, nil, nil, 0)
                } else {
                    PQsendQueryParams(handle, statement.sql, count, nil, values, nil, nil, 0)
                }
            }
            guard sent == 1 else { throw brokenPipeline(handle) }
        }
        guard PQpipelineSync(handle) == 1 else { throw brokenPipeline(handle) }
        var firstError: DatabaseError?
        var results: [[PostgresRow]] = []
        results.reserveCapacity(statements.count)
        for statement in statements {
            guard let result = PQgetResult(handle) else { throw brokenPipeline(handle) }
            var rows: [PostgresRow] = []
            if PQresultStatus(result) == PGRES_PIPELINE_ABORTED {
                PQclear(result)
            } else {
                do {
                    rows = try checked(result, on: handle)
                } catch var error as DatabaseError {
                    if error.sqlState == "0A000" { prepared[statement.sql] = nil }
                    error.statementTag = statement.tag
                    firstError = firstError ?? error
                }
            }
            results.append(rows)
            // Each statement's results end with a null result.
            while let extra = PQgetResult(handle) { PQclear(extra) }
        }
        guard let sync = PQgetResult(handle), PQresultStatus(sync) == PGRES_PIPELINE_SYNC else { throw brokenPipeline(handle) }
        PQclear(sync)
        guard PQexitPipelineMode(handle) == 1 else { throw brokenPipeline(handle) }
        if let firstError { throw firstError }
        return results
    }

    /// The connection's protocol state is unknown after a failed pipeline: it is closed, and the
    /// error is a connection failure (the caller's transaction is retried on a new connection).
    private func brokenPipeline(_ handle: OpaquePointer) -> DatabaseError {
        let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
        close()
        return DatabaseError(sqlState: nil, message: "pipeline failed: \(message)", isConnectionFailure: true)
    }

    /// Text parameters go to libpq as C strings, which end at U+0000: a text holding one is refused
    /// (PostgreSQL's own code for it, 22021) rather than silently cut short.
    private static func checkTexts(_ texts: [String?], tag: Int?) throws {
        guard let index = texts.firstIndex(where: { $0?.utf8.contains(0) == true }) else { return }
        var error = DatabaseError(sqlState: "22021", message: "parameter $\(index + 1) contains a NUL character")
        error.statementTag = tag
        throw error
    }

    private func run(_ sql: String, _ texts: [String?], on handle: OpaquePointer) throws -> [PostgresRow] {
        try Self.checkTexts(texts, tag: tag)
        Self.statements.increment()
        Self.roundTrips.increment()
        let result = if let name = try preparedName(for: sql, parameterCount: texts.count, on: handle) {
            withOptionalCStrings(texts) { PQexecPrepared(handle, name, Int32(texts.count), $0, nil, nil, 0) }
        } else {
            withOptionalCStrings(texts) { PQexecParams(handle, sql, Int32(texts.count), nil, $0, nil, nil, 0) }
        }
        return try checked(result, on: handle)
    }

    /// The name of `sql`'s prepared statement, preparing it on first use; nil once the cache is full.
    private func preparedName(for sql: String, parameterCount: Int, on handle: OpaquePointer) throws -> String? {
        if let name = prepared[sql] { return name }
        guard prepared.count < Self.preparedLimit else { return nil }
        let name = "hotline_\(statementsPrepared)"
        _ = try checked(PQprepare(handle, name, sql, Int32(parameterCount), nil), on: handle)
        statementsPrepared += 1
        prepared[sql] = name
        return name
    }

    /// Checks a result, throwing its error, and returns its rows; clears it.
    private func checked(_ result: OpaquePointer?, on handle: OpaquePointer) throws -> [PostgresRow] {
        guard let result else { throw connectionError(handle) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return []
        case PGRES_TUPLES_OK:
            return rows(of: result)
        default:
            if PQstatus(handle) != CONNECTION_OK { throw connectionError(handle) }
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
            let message = primary ?? String(cString: PQresultErrorMessage(result))
            throw DatabaseError(sqlState: state, message: message)
        }
    }

    /// The SCRAM-SHA-256 verifier of `password` for the role `user`, made here (libpq's
    /// `PQencryptPasswordConn`): `ALTER ROLE … PASSWORD` given it never sends the password itself.
    public func passwordVerifier(_ password: String, user: String) throws -> String {
        guard let handle else {
            throw DatabaseError(sqlState: nil, message: "connection closed", isConnectionFailure: true)
        }
        guard let verifier = PQencryptPasswordConn(handle, password, user, "scram-sha-256") else {
            throw DatabaseError(sqlState: nil, message: String(cString: PQerrorMessage(handle)))
        }
        defer { PQfreemem(verifier) }
        return String(cString: verifier)
    }

    /// Runs a script of several statements without parameters (migrations).
    public func execute(script: String) throws {
        guard let handle else {
            throw DatabaseError(sqlState: nil, message: "connection closed", isConnectionFailure: true)
        }
        guard let result = PQexec(handle, script) else { throw connectionError(handle) }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY else {
            if PQstatus(handle) != CONNECTION_OK { throw connectionError(handle) }
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            throw DatabaseError(sqlState: state, message: String(cString: PQresultErrorMessage(result)))
        }
    }

    private func rows(of result: OpaquePointer) -> [PostgresRow] {
        let fieldCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        var columns = [String: Int](minimumCapacity: fieldCount)
        for field in 0..<fieldCount {
            columns[String(cString: PQfname(result, Int32(field)))] = field
        }
        var rows = [PostgresRow]()
        rows.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var values = [String?]()
            values.reserveCapacity(fieldCount)
            for field in 0..<fieldCount {
                if PQgetisnull(result, Int32(row), Int32(field)) == 1 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, Int32(row), Int32(field))))
                }
            }
            rows.append(PostgresRow(columns: columns, values: values))
        }
        return rows
    }

    private func connectionError(_ handle: OpaquePointer) -> DatabaseError {
        let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
        return DatabaseError(sqlState: nil, message: message, isConnectionFailure: PQstatus(handle) != CONNECTION_OK)
    }
}

private func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return body(copies.map { UnsafePointer($0) } + [nil])
}

private func withOptionalCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies = strings.map { $0.map { strdup($0) } ?? nil }
    defer { copies.forEach { free($0) } }
    return body(copies.map { UnsafePointer($0) })
}
