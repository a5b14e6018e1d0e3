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

    /// Restarts intake and the dispatcher, which read the jurisdiction at start (and keep it 30 s),
    /// so that they route by the one loaded now.
    func restartRouting() async throws {
        for (index, name) in ["intake", "dispatcher"].enumerated() {
            platform.remove(name)?.terminate()
            try await platform.launch(name, port: stack.portBase + 1 + index).waitUntilHealthy()
        }
    }

    /// Loads the shipped jurisdiction again (units added meanwhile become inactive).
    func restoreShippedJurisdiction(file: StaticString = #filePath, line: UInt = #line) async throws {
        let shipped = URL(fileURLWithPath: stack.repoRoot).appendingPathComponent("deploy/jurisdictions/pingshan.yaml")
        let run = try await Ctl.run(stack, ["catalogue", "load", shipped.path])
        XCTAssertEqual(run.status, 0, run.error, file: file, line: line)
    }
}
