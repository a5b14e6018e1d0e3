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

    /// Loads the shipped jurisdiction again (units added meanwhile become inactive).
    func restoreShippedJurisdiction(file: StaticString = #filePath, line: UInt = #line) async throws {
        let shipped = URL(fileURLWithPath: stack.repoRoot).appendingPathComponent("deploy/jurisdictions/pingshan.yaml")
        let run = try await Ctl.run(stack, ["catalogue", "load", shipped.path])
        XCTAssertEqual(run.status, 0, run.error, file: file, line: line)
    }
}
