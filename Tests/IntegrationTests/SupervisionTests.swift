import Foundation
import HotlineDomain
import XCTest

/// Supervision (docs/rules.md "Supervision"; PS §18, §20(三), PL §24-25, DY (12)-(13)): the center opens
/// a case on a unit's ticket, the unit answers, the center escalates and closes it with a referral to
/// the discipline commission, all answered by the escalation notifier; the unit is told on its queue.
final class SupervisionTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    func testACaseIsOpenedAnsweredEscalatedAndReferred() async throws {
        try await withHarness { h in
            let ticketNo = try await h.submit(category: "CG-001")
            _ = try await h.created(ticketNo, unit: "CG")
            func open(_ unit: String = "CG", mode: String = "phone", answerBy: Date? = nil) async throws -> Observer.Message {
                var body: [String: Any] = [
                    "unit": unit, "ticket_no": ticketNo, "ground": "overdue_without_cause", "mode": mode,
                    "note": "该件已超期，请限期办结并报送办理情况", "operator": "王五",
                ]
                if let answerBy { body["answer_by"] = ISO8601DateFormatter().string(from: answerBy) }
                return try await h.command("center", "center.open-supervision", body)
            }
            // Refusals: a mode pingshan does not use, an unknown unit, a unit without the ticket, a time gone by.
            try await h.expectRejected(open(mode: "on_site"), "not_allowed")
            try await h.expectRejected(open("NOPE"), "not_found")
            try await h.expectRejected(open("JJ"), "not_found")
            try await h.expectRejected(open(answerBy: Date().addingTimeInterval(-60)), "invalid")

            let opened = try await open()
            XCTAssertEqual(opened.string("type"), "supervision.opened", opened.string("message") ?? "")
            let id = try XCTUnwrap(opened.string("supervision_id"))
            XCTAssertEqual(opened.json["level"] as? Int, 1)
            let answerBy = try XCTUnwrap(opened.string("answer_by").flatMap(RFC3339.date(from:)))
            XCTAssertGreaterThan(answerBy, Date().addingTimeInterval(86_400), "three working days by default")
            let notice = await h.unit("CG").wait { $0.properties.type == "supervision.opened" && $0.string("supervision_id") == id }
            XCTAssertEqual(notice.count, 1, "the unit gets the notice on its queue")

            // Only the unit addressed answers, once per level.
            let answer: [String: Any] = ["supervision_id": id, "answer": "已现场处置并答复市民"]
            try await h.expectRejected(h.command("unit.JJ", "unit.answer-supervision", answer), "forbidden")
            let answered = try await h.command("unit.CG", "unit.answer-supervision", answer)
            XCTAssertEqual(answered.string("type"), "supervision.answered", answered.string("message") ?? "")
            XCTAssertEqual(answered.json["on_time"] as? Bool, true)
            XCTAssertFalse(String(decoding: answered.body, as: UTF8.self).contains("现场处置"), "the answer stays in the record")
            try await h.expectRejected(h.command("unit.CG", "unit.answer-supervision", answer), "wrong_state")

            // Escalated a level (PS §18(一)): a reminder letter, answered again.
            let escalated = try await h.command("center", "center.escalate-supervision", [
                "supervision_id": id, "mode": "reminder_letter", "note": "办理结果不实，发提醒函",
            ])
            XCTAssertEqual(escalated.string("type"), "supervision.escalated", escalated.string("message") ?? "")
            XCTAssertEqual(escalated.json["level"] as? Int, 2)
            let letter = await h.unit("CG").wait { $0.properties.type == "supervision.escalated" && $0.string("supervision_id") == id }
            XCTAssertEqual(letter.count, 1)
            let again = try await h.command("unit.CG", "unit.answer-supervision", answer)
            XCTAssertEqual(again.json["level"] as? Int, 2)

            // Closed and referred (PS §20(三)), only for pingshan's grounds.
            try await h.expectRejected(h.command("center", "center.close-supervision", [
                "supervision_id": id, "note": "移交", "referral_grounds": ["leak"],
            ]), "not_allowed")
            let closed = try await h.command("center", "center.close-supervision", [
                "supervision_id": id, "note": "推诿拖延，移交区纪委监委", "referral_grounds": ["shirking", "delay"], "operator": "王五",
            ])
            XCTAssertEqual(closed.string("type"), "supervision.closed", closed.string("message") ?? "")
            XCTAssertEqual(closed.json["referral_grounds"] as? [String], ["shirking", "delay"])
            let told = await h.unit("CG").wait { $0.properties.type == "supervision.closed" && $0.string("supervision_id") == id }
            XCTAssertEqual(told.count, 1)
            try await h.expectRejected(h.command("center", "center.escalate-supervision", [
                "supervision_id": id, "mode": "phone", "note": "again",
            ]), "wrong_state")
            try await h.expectRejected(h.command("center", "center.close-supervision", ["supervision_id": "SV-NONE", "note": "x"]), "not_found")

            // The record keeps every step and who decided; hotlinectl lists the referral.
            let steps = try await h.text(
                "SELECT string_agg(s->>'step', ',' ORDER BY n) AS t FROM supervisions, jsonb_array_elements(steps) WITH ORDINALITY AS x(s, n) WHERE supervision_id = $1",
                [id])
            XCTAssertEqual(steps, "opened,answered,escalated,answered,closed")
            let openedBy = try await h.text("SELECT opened_by AS t FROM supervisions WHERE supervision_id = $1", [id])
            XCTAssertEqual(openedBy, "王五")
            let listed = try await Ctl.run(h.stack, ["supervision", "list", "--state", "referred", "--unit", "CG"])
            XCTAssertEqual(listed.status, 0, listed.output + listed.error)
            XCTAssertTrue(listed.output.contains(id) && listed.output.contains("shirking,delay"), listed.output)
        }
    }
}
