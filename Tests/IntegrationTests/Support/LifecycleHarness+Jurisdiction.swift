import Foundation
import HotlineDomain
import XCTest

/// Tests that change the jurisdiction: what is loaded, the services that read it, and the shipped one again.
extension LifecycleHarness {
    /// The jurisdiction loaded now.
    func loadedJurisdiction() async throws -> JurisdictionFile {
        let document: String = try await database.withConnection {
            try $0.query("SELECT document::text AS d FROM jurisdiction LIMIT 1")[0].decode("d")
        }
        return try HotlineJSON.decode(JurisdictionFile.self, from: Data(document.utf8))
    }

    /// Restarts intake and the dispatcher, which route by the jurisdiction, with `environment` added
    /// to their usual one.
    func restartRouting(environment: [String: String] = [:]) async throws {
        for (index, name) in ["intake", "dispatcher"].enumerated() {
            platform.remove(name)?.terminate()
            try await platform.launch(name, port: stack.portBase + 1 + index, environment: environment).waitUntilHealthy()
        }
    }

    /// Waits until every copy of `services` reads catalogue version `version` (`hotline_catalogue_version`
    /// on `/metrics`); fails after `timeout` seconds.
    func waitForCatalogueVersion(
        _ version: Int, services: [String], timeout: Double = 20, file: StaticString = #filePath, line: UInt = #line
    ) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        for name in services {
            let process = try XCTUnwrap(platform.process(name), file: file, line: line)
            var seen: Double?
            while Date() < deadline {
                seen = try await process.metrics().split(separator: "\n")
                    .first { $0.hasPrefix("hotline_catalogue_version ") }
                    .flatMap { Double($0.dropFirst("hotline_catalogue_version ".count)) }
                if seen == Double(version) { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            XCTAssertEqual(seen, Double(version), "\(name) uses catalogue version \(version)", file: file, line: line)
        }
    }

    /// The catalogue version a `catalogue load` or `import` printed (`… as catalogue version N…`).
    func catalogueVersion(printed output: String, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let number = output.components(separatedBy: "as catalogue version ").dropFirst().first?.prefix { $0.isNumber }
        return try XCTUnwrap(number.flatMap { Int($0) }, "no catalogue version in \(output)", file: file, line: line)
    }

    /// Loads `jurisdiction`, gives its units their broker users as `platform.sh prepare` does (`broker
    /// definitions`, `rabbitmqctl import_definitions`), and waits until intake and the dispatcher read it.
    func loadWithUnitUsers(
        _ jurisdiction: JurisdictionFile, file: StaticString = #filePath, line: UInt = #line
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jurisdiction-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("jurisdiction.yaml")   // JSON is YAML
        try HotlineJSON.encode(jurisdiction).write(to: path)
        let loaded = try await Ctl.run(stack, ["catalogue", "load", path.path])
        XCTAssertEqual(loaded.status, 0, loaded.error, file: file, line: line)
        let definitions = folder.appendingPathComponent("definitions.json").path
        let passwords = try XCTUnwrap(ProcessInfo.processInfo.environment["HOTLINE_PASSWORDS_FILE"], file: file, line: line)
        let written = try await Ctl.run(stack, ["broker", "definitions", "--out", definitions, "--passwords", passwords])
        XCTAssertEqual(written.status, 0, written.error, file: file, line: line)
        _ = try stack.rabbitmqctl("import_definitions", definitions)
        let users = jurisdiction.units.map { "unit.\($0.code)" }
        try await poll("the units' broker users") {
            let listed = try stack.rabbitmqctl("list_users")
            return users.allSatisfy { listed.contains("\($0)\t") }
        }
        try await waitForCatalogueVersion(
            try catalogueVersion(printed: loaded.output, file: file, line: line), services: ["intake", "dispatcher"],
            file: file, line: line)
    }

    /// Loads the shipped jurisdiction again (units added meanwhile become inactive).
    func restoreShippedJurisdiction(file: StaticString = #filePath, line: UInt = #line) async throws {
        let shipped = URL(fileURLWithPath: stack.repoRoot).appendingPathComponent("deploy/jurisdictions/pingshan.yaml")
        let run = try await Ctl.run(stack, ["catalogue", "load", shipped.path])
        XCTAssertEqual(run.status, 0, run.error, file: file, line: line)
    }
}
