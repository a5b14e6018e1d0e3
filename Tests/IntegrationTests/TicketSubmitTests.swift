import Foundation
import HotlineDomain
import XCTest

/// `hotlinectl ticket submit`: a newcomer sends a submission without writing an AMQP client; it goes to
/// `hotline.intake` as the gateway and the outcome comes back on the gateway's reply queue.
final class TicketSubmitTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    func testASubmissionFileIsPublishedAsTheGatewayAndItsOutcomePrinted() async throws {
        try await withHarness { h in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("submit-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let id = "CTL-\(UUID().uuidString.prefix(12))"
            let submission: [String: Any] = [
                "submission_id": id, "channel": "hotline", "received_at": LifecycleTime.now(),
                "citizen": ["name": "测试市民", "phone": "139\(Int.random(in: 10_000_000...99_999_999))", "anonymous": false],
                "description": "小区门口有流动摊贩占道经营，影响通行", "category": "CG-001",
                "location": ["street": "坑梓街道", "community": "秀新社区", "address": "秀新路\(id)号"],
            ]
            let file = directory.appendingPathComponent("submission.json")
            try JSONSerialization.data(withJSONObject: submission).write(to: file)
            let accepted = try await h.hotlinectl(["ticket", "submit", file.path, "--json"])
            XCTAssertEqual(accepted.status, 0, accepted.error)
            let outcome = try JSONSerialization.jsonObject(with: Data(accepted.output.utf8)) as? [String: Any]
            XCTAssertEqual(outcome?["type"] as? String, "ticket.accepted", accepted.output)
            XCTAssertEqual(outcome?["submission_id"] as? String, id)
            let ticketNo = try XCTUnwrap(outcome?["ticket_no"] as? String)
            _ = try await h.created(ticketNo, unit: "CG")

            let broken = directory.appendingPathComponent("broken.json")
            try Data(#"{"submission_id": "CTL-BROKEN", "channel": "fax"}"#.utf8).write(to: broken)
            let invalid = try await h.hotlinectl(["ticket", "submit", broken.path])
            XCTAssertEqual(invalid.status, 3, invalid.output + invalid.error)
            XCTAssertTrue(invalid.output.contains("submission.invalid") && invalid.output.contains("channel"), invalid.output)
        }
    }
}
