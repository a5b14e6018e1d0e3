import Foundation
import HotlineDomain
import XCTest

/// The assessment (docs/rules.md "Assessment"): a unit appeals one ticket's counting and the center
/// decides it (PL §31), the center awards points (DY (15)), both answered by the escalation notifier;
/// `hotlinectl report --assessment` scores and ranks the units with them applied, and pingshan's
/// 问题解决率 counts the star surveys (PS §20).
final class AssessmentTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    func testAppealsAndAwardsReachTheScoreAndEveryRefusalIsNamed() async throws {
        try await withSurveyHarness { h in
            let l = h.lifecycle
            let outcome = try await h.submit(address: "秀新路\(Int.random(in: 100_000...999_999))号")
            let ticketNo = try XCTUnwrap(outcome.string("ticket_no"), String(decoding: outcome.body, as: UTF8.self))
            _ = try await h.resolveFirst(ticketNo, unit: "CG")
            let surveyID = try await h.surveyID(ticketNo, round: 1)
            let answered = try await l.command("survey", "survey.response", h.stars(surveyID, ticketNo, 2, 4, 2, 3))
            XCTAssertEqual(answered.string("type"), "survey.completed", answered.string("message") ?? "")
            // Pingshan's stars say whether it was solved: effect at 3 or more.
            expectEqual(try await l.text("SELECT solved::text AS t FROM surveys WHERE survey_id = $1", [surveyID]), "true")

            // Pingshan takes no appeals.
            func appeal(_ unit: String, _ indicator: String, ticket: String? = nil) async throws -> Observer.Message {
                try await l.command("unit.\(unit)", "unit.appeal-assessment", [
                    "ticket_no": ticket ?? ticketNo, "indicator": indicator, "reason": "市民诉求超出本单位法定职责",
                ])
            }
            try await l.expectRejected(appeal("CG", "satisfaction_rate"), "not_allowed")

            // Pingli does (PL §31), per ticket, in its own indicators, by a unit that handled the ticket.
            try await restartNotifier(l, profile: "pingli")
            try await l.expectRejected(appeal("CG", "response_rate"), "not_allowed")
            try await l.expectRejected(appeal("JJ", "satisfaction_rate"), "forbidden")
            try await l.expectRejected(appeal("CG", "satisfaction_rate", ticket: "PS-19000101-000001"), "not_found")
            let filed = try await appeal("CG", "satisfaction_rate")
            XCTAssertEqual(filed.string("type"), "assessment.appealed", filed.string("message") ?? "")
            let appealID = try XCTUnwrap(filed.string("appeal_id"))
            XCTAssertEqual(filed.string("indicator"), "satisfaction_rate")
            XCTAssertFalse(String(decoding: filed.body, as: UTF8.self).contains("法定职责"), "the reason stays in the record")
            try await l.expectRejected(appeal("CG", "satisfaction_rate"), "wrong_state")

            let decided = try await l.command("center", "center.decide-appeal", [
                "appeal_id": appealID, "uphold": true, "note": "经核实，诉求超出法定职责", "operator": "王五",
            ])
            XCTAssertEqual(decided.string("type"), "assessment.appeal-decided", decided.string("message") ?? "")
            XCTAssertEqual(decided.json["upheld"] as? Bool, true)
            let told = await l.unit("CG").wait { $0.properties.type == "assessment.appeal-decided" && $0.string("appeal_id") == appealID }
            XCTAssertEqual(told.count, 1, "the unit is told on its queue")
            try await l.expectRejected(
                l.command("center", "center.decide-appeal", ["appeal_id": appealID, "uphold": false, "note": "again"]), "wrong_state")
            expectEqual(try await l.text(
                "SELECT state || '/' || decided_by AS t FROM assessment_appeals WHERE appeal_id = $1", [appealID]), "upheld/王五")
            try await l.expectRejected(
                l.command("center", "center.award-points", ["unit": "CG", "kind": "typical_case", "note": "典型案例"]), "not_allowed")

            // Daye rewards typical cases (DY (15)).
            try await restartNotifier(l, profile: "daye")
            try await l.expectRejected(
                l.command("center", "center.award-points", ["unit": "NOPE", "kind": "typical_case", "note": "典型案例"]), "not_found")
            let awarded = try await l.command("center", "center.award-points", [
                "unit": "CG", "kind": "typical_case", "ticket_no": ticketNo, "note": "占道经营整治典型案例", "operator": "王五",
            ])
            XCTAssertEqual(awarded.string("type"), "assessment.points-awarded", awarded.string("message") ?? "")
            XCTAssertEqual(awarded.json["points"] as? Double, 2)
            let awardID = try XCTUnwrap(awarded.string("award_id"))
            let toUnit = await l.unit("CG").wait { $0.properties.type == "assessment.points-awarded" && $0.string("award_id") == awardID }
            XCTAssertEqual(toUnit.count, 1)
            try await restartNotifier(l, profile: nil)

            // The report scores every unit under the profile asked for, with the appeal and the award applied.
            func assessed(_ profile: String) async throws -> [String: Any] {
                let formatter = DateFormatter()
                formatter.dateFormat = "yyyy-MM-dd"
                formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
                let today = formatter.string(from: Date())
                let run = try await Ctl.run(
                    l.stack, ["report", "--from", today, "--to", today, "--assessment", "--profile", profile, "--json"])
                XCTAssertEqual(run.status, 0, run.output + run.error)
                let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], run.output)
                let period = try XCTUnwrap((report["periods"] as? [[String: Any]])?.first)
                let assessment = try XCTUnwrap(period["assessment"] as? [String: Any])
                XCTAssertEqual(assessment["profile"] as? String, profile)
                let units = try XCTUnwrap(assessment["units"] as? [[String: Any]])
                let ranks = units.compactMap { $0["rank"] as? Int }
                XCTAssertEqual(ranks, ranks.sorted(), "ranked best first")
                return try XCTUnwrap(units.first { $0["unit"] as? String == "CG" }, "CG is assessed")
            }
            func indicator(_ unit: [String: Any], _ rate: String) throws -> [String: Any] {
                try XCTUnwrap((unit["indicators"] as? [[String: Any]])?.first { $0["rate"] as? String == rate })
            }
            let pingli = try await assessed("pingli")
            XCTAssertGreaterThanOrEqual(try indicator(pingli, "satisfaction_rate")["appealed"] as? Int ?? 0, 1)
            XCTAssertEqual(try indicator(pingli, "satisfaction_rate")["weight"] as? Double, 40)
            XCTAssertNotNil(pingli["score"] as? Double)
            let daye = try await assessed("daye")
            let award = (daye["adjustments"] as? [[String: Any]])?.first { $0["name"] as? String == "typical_case" }
            XCTAssertGreaterThanOrEqual(award?["points"] as? Double ?? 0, 2)
            let pingshan = try await assessed("pingshan")
            XCTAssertGreaterThanOrEqual(try indicator(pingshan, "resolution_rate")["denominator"] as? Int ?? 0, 1,
                                        "pingshan's star surveys count in 问题解决率")

            // hotlinectl lists the appeal, and refuses --unit with --assessment.
            let listed = try await Ctl.run(l.stack, ["assessment", "appeals", "--state", "upheld", "--unit", "CG"])
            XCTAssertEqual(listed.status, 0, listed.output + listed.error)
            XCTAssertTrue(listed.output.contains(appealID), listed.output)
            let both = try await Ctl.run(l.stack, ["report", "--from", "2026-01-01", "--to", "2026-01-02", "--assessment", "--unit", "CG"])
            XCTAssertNotEqual(both.status, 0)
        }
    }

    /// Replaces the escalation notifier by one with `HOTLINE_PROFILE` = `profile` (nil: the default).
    private func restartNotifier(_ l: LifecycleHarness, profile: String?) async throws {
        l.platform.remove("escalation-notifier")?.terminate()
        let port = l.stack.portBase + 1 + (Platform.services.firstIndex(of: "escalation-notifier") ?? 3)
        try await l.platform.launch(
            "escalation-notifier", port: port, environment: profile.map { ["HOTLINE_PROFILE": $0] } ?? [:]
        ).waitUntilHealthy()
    }
}

private func expectEqual<T: Equatable>(
    _ value: T, _ expected: T, _ message: String = "", file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(value, expected, message, file: file, line: line)
}
