import Foundation
@testable import HotlineRuntime
import XCTest

/// Checks the `## Tables` section of docs/architecture.md against the code: every table an executable's
/// SQL writes (INSERT INTO, UPDATE, DELETE FROM, also inside multi-line string literals) is listed with
/// that executable among its `writers`; every table `Shared/HotlineRuntime` writes is attributed (to
/// `all services (runtime)`, or to the executables that call the writing helper); every table the
/// migrations create is listed, and nothing else is. Each service's database role (`DatabaseRole`) is
/// granted exactly the tables the document lets it write, and every table its SQL names.
final class TableOwnershipTests: XCTestCase {
    /// This file is `<root>/Tests/ArchitectureTests/TableOwnershipTests.swift`.
    private static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    private static let runtimeWriters = "all services (runtime)"
    private static let executables: Set<String> = [
        "intake", "dispatcher", "sla-timer", "escalation-notifier", "survey", "knowledge", "open311", "console", "hotlinectl",
    ]
    /// Words after UPDATE that name no table: `DO UPDATE SET`, `FOR UPDATE SKIP LOCKED`, `FOR UPDATE OF t`.
    private static let notTables: Set<String> = ["set", "skip", "of", "nowait"]

    private struct Write {
        let file: String
        let table: String
        /// `Type.function` around the statement, e.g. `TicketHistory.record`.
        let helper: String
    }

    func testEveryServiceWriteIsListedUnderItsWriters() throws {
        let documented = try documentedTables()
        let services = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("Services").path)
            .filter { !$0.hasPrefix(".") }
        XCTAssertEqual(Set(services), Self.executables, "Services/ and the executables the document knows differ")
        var count = 0
        for service in services.sorted() {
            for write in try sources(under: "Services/\(service)").flatMap({ try writes(in: $0) }) {
                count += 1
                guard let writers = documented[write.table] else {
                    XCTFail("\(write.file) writes \(write.table), which docs/architecture.md ## Tables does not list")
                    continue
                }
                XCTAssertTrue(
                    writers.contains(service),
                    "\(write.file) writes \(write.table), but its writers in docs/architecture.md are \(writers.sorted())")
            }
        }
        XCTAssertGreaterThan(count, 10, "too few SQL writes found under Services/: is the pattern broken?")
    }

    func testRuntimeWritesAreAttributed() throws {
        let documented = try documentedTables()
        let writes = try sources(under: "Shared/HotlineRuntime").flatMap { try self.writes(in: $0) }
        XCTAssertGreaterThan(writes.count, 5, "too few SQL writes found in Shared/HotlineRuntime: is the pattern broken?")
        var code: [String: String] = [:]
        for service in Self.executables {
            code[service] = try sources(under: "Services/\(service)").map(\.text).joined(separator: "\n")
        }
        for write in writes {
            guard let writers = documented[write.table] else {
                XCTFail("\(write.file) writes \(write.table), which docs/architecture.md ## Tables does not list")
                continue
            }
            XCTAssertFalse(writers.isEmpty, "\(write.file) writes \(write.table), but the document lists no writer")
            if writers.contains(Self.runtimeWriters) { continue }
            // A shared helper writes on behalf of the executables that call it.
            for (service, text) in code.sorted(by: { $0.key < $1.key }) where text.contains("\(write.helper)(") {
                XCTAssertTrue(
                    writers.contains(service),
                    "\(service) calls \(write.helper) (\(write.file)), which writes \(write.table), but its writers are \(writers.sorted())")
            }
        }
    }

    func testEveryCreatedTableIsListed() throws {
        let documented = try documentedTables()
        XCTAssertGreaterThan(documented.count, 20, "docs/architecture.md ## Tables lists too few tables")
        let create = try NSRegularExpression(
            pattern: #"\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([A-Za-z_][A-Za-z0-9_]*)"#, options: [.caseInsensitive])
        var created: [String: String] = [:]
        let folder = Self.root.appendingPathComponent("deploy/migrations")
        for file in try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        where file.pathExtension == "sql" {
            let sql = try String(contentsOf: file, encoding: .utf8)
            for match in located(create, in: sql) { created[match.name.lowercased()] = file.lastPathComponent }
        }
        XCTAssertGreaterThan(created.count, 20, "too few CREATE TABLE found in deploy/migrations: is the pattern broken?")
        for (table, file) in created.sorted(by: { $0.key < $1.key }) where documented[table] == nil {
            XCTFail("\(file) creates \(table), which docs/architecture.md ## Tables does not list")
        }
        // The converse: nothing listed that no migration (nor the migrator, for its own table) creates.
        let storage = try sources(under: "Shared/HotlineStorage").flatMap { located(create, in: $0.text) }
        for table in documented.keys.sorted() where created[table] == nil && !storage.contains(where: { $0.name.lowercased() == table }) {
            XCTFail("docs/architecture.md lists \(table), which nothing creates")
        }
    }

    func testEachServiceRoleIsGrantedWhatItsCodeUsesAndTheDocumentGivesIt() throws {
        let documented = try documentedTables()
        let views: Set<String> = ["ticket_status", "repeat_counts_citizen", "repeat_counts_place"]
        let known = Set(documented.keys).union(views)
        let read = try NSRegularExpression(pattern: #"\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)"#)
        XCTAssertEqual(Set(DatabaseRole.all.map(\.service)), Self.executables.subtracting(["hotlinectl"]))
        for role in DatabaseRole.all {
            let code = try sources(under: "Services/\(role.service)")
            for write in try code.flatMap({ try writes(in: $0) }) {
                XCTAssertTrue(role.writes.contains(write.table), "\(write.file) writes \(write.table); \(role.service)'s role may not")
            }
            var named = 0
            for source in code {
                for table in located(read, in: source.text).map(\.name) where known.contains(table) {
                    named += 1
                    XCTAssertTrue(
                        role.writes.contains(table) || role.reads.contains(table),
                        "\(source.path) reads \(table); \(role.service)'s role may not")
                }
            }
            XCTAssertGreaterThan(named, 0, "no table read found under Services/\(role.service): is the pattern broken?")
            // Its own tables (the runtime's aside, which every service writes and purges) are the
            // tables the document lists it as a writer of.
            let owned = Set(documented.filter { $0.value.contains(role.service) }.keys).subtracting(DatabaseRole.runtimeWrites)
            XCTAssertEqual(
                Set(role.writes).subtracting(DatabaseRole.runtimeWrites), owned,
                "\(role.service): the tables its role writes and those docs/architecture.md lets it write differ")
            for table in role.writes + role.reads {
                XCTAssertTrue(known.contains(table), "\(role.service)'s role names \(table), which no migration creates")
            }
        }
    }

    /// The `## Tables` table: each table's writers (`none` and `—` read as no writer).
    private func documentedTables() throws -> [String: Set<String>] {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "## Tables") else {
            XCTFail("docs/architecture.md has no ## Tables section")
            return [:]
        }
        let rows = lines[(start + 1)...].drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }.map { line in
            line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.replacingOccurrences(of: "`", with: "").trimmingCharacters(in: .whitespaces) }
        }
        XCTAssertEqual(rows.first, ["table", "owner", "writers", "readers"], "unexpected header of ## Tables")
        var tables: [String: Set<String>] = [:]
        for row in rows.dropFirst(2) {
            guard row.count == 4 else {
                XCTFail("## Tables row with \(row.count) cells: \(row)")
                continue
            }
            let writers = Set(row[2].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                .subtracting(["none", "—", ""])
            for writer in writers where !Self.executables.contains(writer) && writer != Self.runtimeWriters {
                XCTFail("## Tables: \(row[0]) names an unknown writer \(writer)")
            }
            tables[row[0]] = writers
        }
        return tables
    }

    /// The `.swift` files under a folder of the repository, without their comment lines (prose, not SQL).
    private func sources(under folder: String) throws -> [(path: String, text: String)] {
        let base = Self.root.appendingPathComponent(folder)
        guard let files = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        var found: [(path: String, text: String)] = []
        for case let url as URL in files where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
                .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
            let path = url.path.range(of: folder + "/").map { String(url.path[$0.lowerBound...]) } ?? url.path
            found.append((path: path, text: text))
        }
        return found.sorted { $0.path < $1.path }
    }

    /// The SQL writes of a file, each with the top-level type and the function it is in.
    private func writes(in source: (path: String, text: String)) throws -> [Write] {
        let statement = try NSRegularExpression(
            pattern: #"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([A-Za-z_][A-Za-z0-9_]*)"#, options: [.caseInsensitive])
        let type = try NSRegularExpression(
            pattern: #"^(?:(?:public|internal|fileprivate|private|final)[ \t]+)*(?:enum|struct|class|actor|extension)[ \t]+(\w+)"#,
            options: [.anchorsMatchLines])
        let function = try NSRegularExpression(pattern: #"^[ \t]*(?:\w+[ \t]+)*func[ \t]+(\w+)"#, options: [.anchorsMatchLines])
        let types = located(type, in: source.text), functions = located(function, in: source.text)
        func last(_ names: [(location: Int, name: String)], before location: Int) -> String {
            names.last { $0.location < location }?.name ?? "?"
        }
        return located(statement, in: source.text).compactMap { write in
            let table = write.name.lowercased()
            guard !Self.notTables.contains(table) else { return nil }
            let helper = "\(last(types, before: write.location)).\(last(functions, before: write.location))"
            return Write(file: source.path, table: table, helper: helper)
        }
    }

    /// Each match's first capture, with where the match starts.
    private func located(_ regex: NSRegularExpression, in text: String) -> [(location: Int, name: String)] {
        regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { (location: match.range.location, name: String(text[$0])) }
        }
    }
}
