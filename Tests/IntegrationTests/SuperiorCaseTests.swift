import Foundation
import HotlineDomain
import XCTest

/// PS §11(一): a demand the national or provincial platform assigned through the 12345 line is handled
/// under that level's rules: its resolve deadline is the platform's (less pingshan's margin of one
/// working day), not the district's limit; `hotlinectl ticket show` shows the platform's case.
final class SuperiorCaseTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    func testTheSuperiorPlatformsDeadlineIsTheUnitsResolveDeadline() async throws {
        try await withHarness { h in
            let id = "SC-\(UUID().uuidString.prefix(12))"
            let superiorBy = Date().addingTimeInterval(30 * 86_400)
            let body: [String: Any] = [
                "submission_id": id, "channel": "national", "received_at": LifecycleTime.now(),
                "citizen": ["name": "测试市民", "phone": "139\(Int.random(in: 10_000_000...99_999_999))", "anonymous": false],
                "description": "小区门口有流动摊贩占道经营，影响通行", "category": "CG-001",
                "location": ["street": "坑梓街道", "community": "秀新社区", "address": "秀新路\(id)号"],
                "superior_case": [
                    "platform": "国务院“互联网+督查”平台", "case_no": "GWY-\(id)",
                    "resolve_by": ISO8601DateFormatter().string(from: superiorBy),
                ],
            ]
            try await h.publishAs(
                "gateway", exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit",
                body: Array(try JSONSerialization.data(withJSONObject: body)))
            let accepted = await h.events.wait { $0.string("submission_id") == id }
            XCTAssertEqual(accepted.first?.routingKey, "ticket.accepted", accepted.first.map { String(decoding: $0.body, as: UTF8.self) } ?? "")
            let ticketNo = try XCTUnwrap(accepted.first?.string("ticket_no"))
            let created = try await h.created(ticketNo, unit: "CG")
            let deadlines = try XCTUnwrap(created.json["deadlines"] as? [String: Any])
            let resolveBy = try XCTUnwrap((deadlines["resolve_by"] as? String).flatMap(RFC3339.date(from:)))
            XCTAssertLessThan(resolveBy, superiorBy, "before the platform's deadline")
            XCTAssertGreaterThan(
                resolveBy, superiorBy.addingTimeInterval(-5 * 86_400),
                "one working day before it, far beyond the district's 7 working days")
            let shown = try await h.hotlinectl(["ticket", "show", ticketNo, "--json"])
            XCTAssertEqual(shown.status, 0, shown.error)
            XCTAssertTrue(shown.output.contains("GWY-\(id)"), shown.output)
        }
    }
}
