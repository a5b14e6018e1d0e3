import Foundation
import HotlineDomain
import XCTest

/// PS §15(六): the unit that handled a ticket to its end files the conclusion notice it gave the
/// citizen (`unit.conclude-matter`, answered by intake); the same matter from the same citizen is then
/// not accepted (`concluded_matter`).
final class MatterConclusionTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    func testTheResolvingUnitConcludesAClosedTicketAndTheSameMatterIsNotAcceptedAgain() async throws {
        try await withSurveyHarness { h in
            let phone = "139\(Int.random(in: 10_000_000...99_999_999))"
            let address = "秀新路\(Int.random(in: 100_000...999_999))号"
            let outcome = try await h.submit(address: address, phone: phone)
            XCTAssertEqual(outcome.routingKey, "ticket.accepted", String(decoding: outcome.body, as: UTF8.self))
            let ticketNo = try XCTUnwrap(outcome.string("ticket_no"))
            let formatter = ISO8601DateFormatter()
            func notice(_ number: String, issuedAt: Date = Date()) -> [String: Any] {
                ["ticket_no": ticketNo, "notice_no": number, "issued_at": formatter.string(from: issuedAt), "note": "已依法答复，不再受理"]
            }

            // Resolved, not yet closed: not handled to its end.
            _ = try await h.resolveFirst(ticketNo, unit: "CG")
            try await h.lifecycle.expectRejected(
                h.lifecycle.command("unit.CG", "unit.conclude-matter", notice("坪城终〔2026〕1号")), "wrong_state")
            let surveyID = try await h.surveyID(ticketNo, round: 1)
            let answered = try await h.lifecycle.command("survey", "survey.response", h.stars(surveyID, ticketNo, 5, 5, 5, 5))
            XCTAssertEqual(answered.string("type"), "survey.completed", answered.string("message") ?? "")
            try await h.lifecycle.poll("the dispatcher recorded the close") {
                try await h.lifecycle.text("SELECT status AS t FROM ticket_status WHERE ticket_no = $1", [ticketNo]) == "closed"
            }

            // Refusals: another unit, a notice dated in the future, an unknown ticket.
            try await h.lifecycle.expectRejected(
                h.lifecycle.command("unit.JJ", "unit.conclude-matter", notice("坪交终〔2026〕1号")), "forbidden")
            try await h.lifecycle.expectRejected(
                h.lifecycle.command("unit.CG", "unit.conclude-matter", notice("坪城终〔2026〕1号", issuedAt: Date().addingTimeInterval(3_600))),
                "invalid")
            var unknown = notice("坪城终〔2026〕1号")
            unknown["ticket_no"] = "PS-19000101-000001"
            try await h.lifecycle.expectRejected(h.lifecycle.command("unit.CG", "unit.conclude-matter", unknown), "not_found")

            // Filed: the outcome, the file, the concluded matter and the history line.
            let concluded = try await h.lifecycle.command("unit.CG", "unit.conclude-matter", notice("坪城终〔2026〕1号"))
            XCTAssertEqual(concluded.string("type"), "ticket.concluded", String(decoding: concluded.body, as: UTF8.self))
            XCTAssertEqual(concluded.string("ticket_no"), ticketNo)
            XCTAssertEqual(concluded.string("unit"), "CG")
            XCTAssertEqual(concluded.string("notice_no"), "坪城终〔2026〕1号")
            XCTAssertEqual(concluded.json["bars_repeats"] as? Bool, true)
            XCTAssertFalse(String(decoding: concluded.body, as: UTF8.self).contains(phone), "no contact data in the event")
            let published = await h.lifecycle.events.wait { $0.routingKey == "ticket.concluded" && $0.string("ticket_no") == ticketNo }
            XCTAssertEqual(published.count, 1, "published on hotline.events once")
            let filed = try await h.lifecycle.scalar(
                "SELECT count(*)::int AS n FROM ticket_conclusions WHERE ticket_no = $1 AND unit = 'CG' AND notice_no = '坪城终〔2026〕1号'",
                [ticketNo])
            XCTAssertEqual(filed, 1)
            let matters = try await h.lifecycle.scalar(
                "SELECT count(*)::int AS n FROM concluded_matters WHERE ticket_no = $1 AND category = 'CG-001'", [ticketNo])
            XCTAssertEqual(matters, 1)
            let history = try await h.lifecycle.scalar(
                "SELECT count(*)::int AS n FROM ticket_history WHERE ticket_no = $1 AND action = 'concluded' AND actor = 'unit.CG'",
                [ticketNo])
            XCTAssertEqual(history, 1)

            // The same citizen raises the same matter at the same place again: not accepted.
            let again = try await h.submit(address: address, description: "小区门口流动摊贩占道经营的问题还是老样子", phone: phone)
            XCTAssertEqual(again.routingKey, "ticket.rejected", String(decoding: again.body, as: UTF8.self))
            XCTAssertEqual(again.string("reason"), "concluded_matter")
            let rejectedNo = try XCTUnwrap(again.string("ticket_no"))
            let rejection = try await h.lifecycle.text(
                "SELECT rejection->>'concluded_ticket' AS t FROM tickets WHERE ticket_no = $1", [rejectedNo])
            XCTAssertEqual(rejection, ticketNo)
            // Another citizen with the same matter is accepted: the conclusion binds its own citizen only.
            let other = try await h.submit(address: address)
            XCTAssertNotEqual(other.string("reason"), "concluded_matter")

            // A ticket is concluded once; hotlinectl files as the unit and exits 3 on the refusal.
            await h.lifecycle.stopObserving("hotline.reply.unit.CG")
            let printed = try await Ctl.run(
                h.lifecycle.stack, ["ticket", "conclude", ticketNo, "--unit", "CG", "--notice", "坪城终〔2026〕2号"])
            XCTAssertEqual(printed.status, 3, printed.output + printed.error)
            XCTAssertTrue((printed.output + printed.error).contains("already concluded"), printed.output + printed.error)
        }
    }
}
