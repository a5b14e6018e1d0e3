import Foundation
import HotlineDomain
import XCTest

/// On-site verification before acceptance (PS §8(一)3; docs/rules.md "Intake"): a submission the
/// operator asks to verify waits for the street office's grid worker; verified it is accepted and
/// dispatched, found untrue it is not accepted, and without an answer in time it is accepted when the
/// time lapses. Intake answers `unit.report-verification`; the street office gets the request on its queue.
final class GridVerificationTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    func testAVerifiedSubmissionIsAcceptedAndDispatchedAndAnUntrueOneIsNotAccepted() async throws {
        try await withHarness { h in
            // Verified: held, requested of 坑梓街道办事处 (KZ), then accepted and dispatched to CG.
            let (id, messageID, verificationID) = try await held(h)
            let request = await h.unit("KZ").wait {
                $0.properties.type == "verification.requested" && $0.string("verification_id") == verificationID
            }
            XCTAssertEqual(request.count, 1, "the street office gets the request on its queue")
            XCTAssertEqual(request.first?.string("description"), Self.description)
            XCTAssertEqual(request.first?.string("submission_id"), id)
            XCTAssertTrue(
                h.events.messages.filter { $0.properties.correlationID == messageID }.isEmpty, "no outcome while it is held")

            // A repeat of the held submission gets nothing yet.
            try await publish(h, id: id, messageID: UUID().uuidString)

            // Refusals: another unit, a time before the request, no such verification.
            func report(_ verificationID: String, unit: String = "KZ", verified: Bool = true, at: Date = Date(), note: String? = nil)
                async throws -> Observer.Message
            {
                var body: [String: Any] = [
                    "verification_id": verificationID, "verified": verified, "verifier": "网格员 张三",
                    "verified_at": ISO8601DateFormatter().string(from: at),
                ]
                if let note { body["note"] = note }
                return try await h.command("unit.\(unit)", "unit.report-verification", body)
            }
            try await h.expectRejected(report(verificationID, unit: "ML"), "forbidden")
            try await h.expectRejected(report(verificationID, at: Date().addingTimeInterval(-3_600)), "invalid")
            try await h.expectRejected(report("VF-NONE"), "not_found")
            try await h.expectRejected(report(verificationID, verified: false), "invalid")

            let reported = try await report(verificationID)
            XCTAssertEqual(reported.string("type"), "submission.verification-reported", reported.string("message") ?? "")
            XCTAssertEqual(reported.json["verified"] as? Bool, true)
            XCTAssertEqual(reported.json["on_time"] as? Bool, true)
            let ticketNo = try XCTUnwrap(reported.string("ticket_no"))
            let outcome = await h.events.wait { $0.properties.correlationID == messageID }
            XCTAssertEqual(outcome.first?.routingKey, "ticket.accepted", "the submission's outcome answers its own message")
            XCTAssertEqual(outcome.first?.string("ticket_no"), ticketNo)
            _ = try await h.created(ticketNo, unit: "CG")
            let history = try await h.scalar(
                "SELECT count(*)::int AS n FROM ticket_history WHERE ticket_no = $1 AND action = 'verified_on_site' AND actor = 'unit.KZ'",
                [ticketNo])
            XCTAssertEqual(history, 1)
            let cleared = try await h.scalar(
                "SELECT count(*)::int AS n FROM grid_verifications WHERE verification_id = $1 AND submission IS NULL AND result = 'verified'",
                [verificationID])
            XCTAssertEqual(cleared, 1, "the held submission is cleared once decided")
            try await h.expectRejected(report(verificationID), "wrong_state")

            // The same submission again gets its stored outcome.
            let again = UUID().uuidString
            try await publish(h, id: id, messageID: again)
            let repeated = await h.events.wait { $0.properties.correlationID == again }
            XCTAssertEqual(repeated.first?.string("ticket_no"), ticketNo)

            // Found untrue: not accepted, on the grid worker's word.
            let (_, untrueMessage, untrue) = try await held(h)
            let refused = try await report(untrue, verified: false, note: "现场无占道经营")
            XCTAssertEqual(refused.string("type"), "submission.verification-reported", refused.string("message") ?? "")
            XCTAssertEqual(refused.json["verified"] as? Bool, false)
            let rejected = await h.events.wait { $0.properties.correlationID == untrueMessage }
            XCTAssertEqual(rejected.first?.routingKey, "ticket.rejected")
            XCTAssertEqual(rejected.first?.string("reason"), "no_substance")
            XCTAssertTrue(rejected.first?.string("basis")?.hasPrefix("PS §8(一)3") ?? false, rejected.first?.string("basis") ?? "")
            let decidedBy = try await h.text(
                "SELECT rejection->>'decided_by' AS t FROM tickets WHERE ticket_no = $1", [rejected.first?.string("ticket_no") ?? ""])
            XCTAssertEqual(decidedBy, "grid_worker")
        }
    }

    func testAVerificationNotReportedInTimeLapsesAndTheSubmissionIsAccepted() async throws {
        try await withHarness { h in
            let (id, messageID, verificationID) = try await held(h)
            try await h.execute(
                "UPDATE grid_verifications SET due_by = requested_at WHERE verification_id = $1", [verificationID])
            let lapsed = await h.events.wait(timeout: 60) {
                $0.routingKey == "submission.verification-lapsed" && $0.string("verification_id") == verificationID
            }
            XCTAssertEqual(lapsed.first?.string("submission_id"), id)
            XCTAssertEqual(lapsed.first?.string("unit"), "KZ")
            let outcome = await h.events.wait { $0.properties.correlationID == messageID }
            XCTAssertEqual(outcome.first?.routingKey, "ticket.accepted")
            XCTAssertEqual(outcome.first?.string("ticket_no"), lapsed.first?.string("ticket_no"))
            let list = try await h.hotlinectl(["ticket", "verifications", "--all", "--unit", "KZ"])
            XCTAssertEqual(list.status, 0, list.error)
            XCTAssertTrue(list.output.contains(verificationID) && list.output.contains("lapsed"), list.output)
        }
    }

    func testVerificationNeedsAStreetOfTheJurisdiction() async throws {
        try await withHarness { h in
            let messageID = UUID().uuidString
            try await publish(h, id: "GV-\(UUID().uuidString.prefix(12))", messageID: messageID, street: nil)
            let outcome = await h.events.wait { $0.properties.correlationID == messageID }
            XCTAssertEqual(outcome.first?.routingKey, "submission.invalid")
            let errors = outcome.first?.json["errors"] as? [[String: Any]] ?? []
            XCTAssertEqual(errors.first?["field"] as? String, "location.street", "\(errors)")
        }
    }

    // MARK: - Helpers

    static let description = "小区门口有流动摊贩占道经营，影响通行"

    /// Publishes a submission that asks for on-site verification.
    func publish(_ h: LifecycleHarness, id: String, messageID: String, street: String? = "坑梓街道") async throws {
        var location: [String: Any] = ["community": "秀新社区", "address": "秀新路\(id)号"]
        if let street { location["street"] = street }
        let body: [String: Any] = [
            "submission_id": id, "channel": "hotline", "received_at": LifecycleTime.now(),
            "citizen": ["name": "测试市民", "phone": "139\(Int.random(in: 10_000_000...99_999_999))", "anonymous": false],
            "description": Self.description, "category": "CG-001", "location": location, "verify_on_site": true,
        ]
        try await h.publishAs(
            "gateway", exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit",
            body: Array(try JSONSerialization.data(withJSONObject: body)), messageID: messageID)
    }

    /// A new submission held for verification: its id, message id and verification id.
    func held(_ h: LifecycleHarness) async throws -> (id: String, messageID: String, verificationID: String) {
        let id = "GV-\(UUID().uuidString.prefix(12))", messageID = UUID().uuidString
        try await publish(h, id: id, messageID: messageID)
        let requested = await h.events.wait {
            $0.routingKey == "submission.verification-requested" && $0.string("submission_id") == id
        }
        let event = try XCTUnwrap(requested.first)
        XCTAssertEqual(event.string("unit"), "KZ")
        XCTAssertEqual(event.string("street"), "坑梓街道")
        let dueBy = try XCTUnwrap(event.string("due_by").flatMap(RFC3339.date(from:)))
        XCTAssertEqual(dueBy.timeIntervalSinceNow, 7_200, accuracy: 120, "two hours (PS §8(一)3)")
        return (id, messageID, try XCTUnwrap(event.string("verification_id")))
    }
}
