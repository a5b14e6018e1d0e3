import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
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
        let python = try Self.venvPython(try TestStack.fromEnvironment())
        try await withHarness { h in
            let api = try await Open311Client.start()
            let ticketNo = try await Self.ticketNumber(
                of: api.request(description: "小区门口有流动摊贩占道经营，影响通行"), posting: api)
            _ = try await h.created(ticketNo, unit: "CG")
            let check = try await Ctl.run(
                h.stack, executable: python,
                ["deploy/open311/georeport_check.py", api.base.absoluteString, "--request-id", ticketNo], timeout: 120)
            XCTAssertEqual(check.status, 0, check.output + check.error)
            XCTAssertTrue(check.output.contains("georeport_check: passed"), check.output + check.error)
        }
    }

    func testNoAnswerContradictsTheOpenAPIDocumentAndNoRequestFailsTheService() async throws {
        let stack = try TestStack.fromEnvironment()
        _ = try Self.venvPython(stack)
        let api = try await Open311Client.start()
        let run = try await Ctl.run(
            stack, executable: stack.repoRoot + "/deploy/open311/schemathesis.sh", [api.base.absoluteString, api.endpoint.apiKey],
            timeout: 600)
        XCTAssertEqual(run.status, 0, String(run.output.suffix(6000)) + run.error)
        XCTAssertTrue(run.output.contains("passed"), String(run.output.suffix(3000)) + run.error)
    }

    /// `.local/venv/bin/python`; without it the test is skipped outside CI and fails in CI.
    static func venvPython(_ stack: TestStack) throws -> String {
        let path = stack.repoRoot + "/.local/venv/bin/python"
        if !FileManager.default.isExecutableFile(atPath: path) {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                throw ConformanceFailure(description: "\(path) is missing: CI must run deploy/local/stack.sh install")
            }
            throw XCTSkip("\(path) is missing: run deploy/local/stack.sh install")
        }
        return path
    }

    /// A failure that ends the test (a thrown error other than `XCTSkip` is recorded as a failure).
    struct ConformanceFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// The ticket number a posted request became: the 201's `service_request_id`, or after a 202 the
    /// one its token resolves to (polled for up to 30 s).
    static func ticketNumber(of fields: [String: String], posting api: Open311Client) async throws -> String {
        let posted = try await api.post(fields)
        if posted.status == 201 {
            return try XCTUnwrap(posted.records.first?["service_request_id"] as? String, posted.text)
        }
        XCTAssertEqual(posted.status, 202, "POST /requests.json: \(posted.text)")
        let token = try XCTUnwrap(posted.records.first?["token"] as? String, posted.text)
        let deadline = Date().addingTimeInterval(30)
        while true {
            let answer = try await api.get("/tokens/\(token).json")
            XCTAssertEqual(answer.status, 200, "GET /tokens/\(token).json: \(answer.text)")
            if let number = answer.records.first?["service_request_id"] as? String { return number }
            guard answer.status == 200, Date() < deadline else {
                throw ConformanceFailure(description: "token \(token) did not resolve to a ticket number: \(answer.text)")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
