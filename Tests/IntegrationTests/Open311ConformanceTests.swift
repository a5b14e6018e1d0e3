import Foundation
import XCTest

/// The Open311 API as others see it (docs/open311.md): an existing client library from PyPI
/// (`georeport`), used as it is, reads what a posted request became; and a property-based tester
/// (schemathesis) finds no answer that contradicts `docs/open311.openapi.yaml` and no request that
/// makes the service fail. Both run from `.local/venv`, which `stack.sh install` makes.
final class Open311ConformanceTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    func testAnOpen311ClientLibraryReadsThePlatformAsItIs() async throws {
        try await withHarness { h in
            let python = try Self.venv(h.stack, "python")
            let api = try await Open311Client.start()
            let posted = try await api.post(api.request(description: "小区门口有流动摊贩占道经营，影响通行"))
            let ticketNo = try XCTUnwrap(posted.records.first?["service_request_id"] as? String, posted.text)
            _ = try await h.created(ticketNo, unit: "CG")
            let check = try await Ctl.run(
                h.stack, executable: python,
                ["deploy/open311/georeport_check.py", api.base.absoluteString, "--request-id", ticketNo], timeout: 120)
            XCTAssertEqual(check.status, 0, check.output + check.error)
            XCTAssertTrue(check.output.contains("georeport_check: passed"), check.output)
        }
    }

    func testNoAnswerContradictsTheOpenAPIDocumentAndNoRequestFailsTheService() async throws {
        let api = try await Open311Client.start()
        let stack = try TestStack.fromEnvironment()
        _ = try Self.venv(stack, "schemathesis")
        let run = try await Ctl.run(
            stack, executable: stack.repoRoot + "/deploy/open311/schemathesis.sh", [api.base.absoluteString, api.endpoint.apiKey],
            timeout: 600)
        XCTAssertEqual(run.status, 0, String(run.output.suffix(6000)) + run.error)
        XCTAssertTrue(run.output.contains("passed"), String(run.output.suffix(3000)))
    }

    /// A program of `.local/venv/bin`; skipped without it outside CI, a failure in CI.
    static func venv(_ stack: TestStack, _ program: String) throws -> String {
        let path = stack.repoRoot + "/.local/venv/bin/" + program
        if !FileManager.default.isExecutableFile(atPath: path) {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("\(path) is missing (deploy/local/stack.sh install)") }
            throw XCTSkip("\(path) is missing: run deploy/local/stack.sh install")
        }
        return path
    }
}
