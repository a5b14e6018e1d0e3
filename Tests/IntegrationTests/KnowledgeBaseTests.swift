import Foundation
import HotlineDomain
import XCTest

/// The knowledge base (docs/rules.md "Knowledge base") through the broker and the database: a unit's
/// editor drafts, its reviewer (never the editor) publishes, a gateway finds the entry in force, the
/// center flags an error, the unit is told and reminded, the sla-timer keeps the correction's deadline
/// and the correction closes it; consultations answered on the call record the entry; the report
/// counts the unit's maintenance.
final class KnowledgeBaseTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    func testAnEntryIsDraftedReviewedFoundFlaggedRemindedAndCorrected() async throws {
        try await withHarness { h in try await lifecycle(h) }
    }

    func testRefusalsNameTheRuleAndChangeNothing() async throws {
        try await withHarness { h in try await refusals(h) }
    }

    private func lifecycle(_ h: LifecycleHarness) async throws {
        let tag = String(UUID().uuidString.prefix(6))
        let unit = "KB\(tag)"
        try await h.restoreShippedJurisdiction()
        var file = try await h.loadedJurisdiction()
        file.units.append(JurisdictionUnit(
            code: unit, name: "知识库测试\(tag)", kind: .department, head: OfficialContact(name: "知识库测试", phone: "13800000003")))
        try await h.loadWithUnitUsers(file)
        let user = "unit.\(unit)"

        // Drafted by the editor: nothing is searchable yet.
        let drafted = try await h.command(user, "unit.draft-knowledge", [
            "kind": "guide", "title": "居住证办理指南\(tag)", "body": "办理居住证需携带身份证、租赁合同，到社区服务中心申请。",
            "keywords": ["居住证\(tag)", "租房"], "editor": "王采编",
        ])
        XCTAssertEqual(drafted.string("type"), "knowledge.drafted", String(decoding: drafted.body, as: UTF8.self))
        let entry = try XCTUnwrap(drafted.string("knowledge_id"))
        XCTAssertTrue(entry.hasPrefix("KB-"), entry)
        XCTAssertEqual(drafted.json["revision"] as? Int, 1)
        XCTAssertEqual(drafted.string("unit"), unit)
        var found = try await search(h, "居住证\(tag)怎么办理")
        XCTAssertEqual(found.count, 0, "a draft answers no search")

        // The editor may not review their own draft; another person publishes it.
        let own = try await h.command(user, "unit.review-knowledge", [
            "knowledge_id": entry, "revision": 1, "approve": true, "reviewer": "王采编",
        ])
        try h.expectRejected(own, "not_allowed")
        let published = try await h.command(user, "unit.review-knowledge", [
            "knowledge_id": entry, "revision": 1, "approve": true, "reviewer": "李审核",
        ])
        XCTAssertEqual(published.string("type"), "knowledge.published", String(decoding: published.body, as: UTF8.self))
        XCTAssertNil(published.json["report_timing"], "a guide is no public-interest policy")
        found = try await search(h, "居住证\(tag)怎么办理")
        XCTAssertEqual(found.map { $0["knowledge_id"] as? String }, [entry])
        // hotlinectl is another gateway client: the test's own consumer of the reply queue steps aside.
        await h.stopObserving("hotline.reply.gateway")
        let printed = try await Ctl.run(h.stack, ["knowledge", "search", "居住证\(tag)"])
        XCTAssertEqual(printed.status, 0, printed.output)
        XCTAssertTrue(printed.output.contains("\(entry)  r1  \(unit)  guide"), printed.output)
        XCTAssertEqual(found.first?["title"] as? String, "居住证办理指南\(tag)")
        XCTAssertGreaterThan(found.first?["score"] as? Int ?? 0, 0)

        // A public-interest policy taking effect tomorrow was reported late (fewer than 3 working days).
        let policy = try await h.command(user, "unit.draft-knowledge", [
            "kind": "policy", "title": "新能源车停车优惠\(tag)", "body": "自明日起新能源车停车首小时免费。", "public_interest": true,
            "effective_from": ISO8601DateFormatter().string(from: Date().addingTimeInterval(86_400)), "editor": "王采编",
        ])
        let policyID = try XCTUnwrap(policy.string("knowledge_id"))
        let policyPublished = try await h.command(user, "unit.review-knowledge", [
            "knowledge_id": policyID, "revision": 1, "approve": true, "reviewer": "李审核",
        ])
        XCTAssertEqual(policyPublished.string("report_timing"), "late", String(decoding: policyPublished.body, as: UTF8.self))
        found = try await search(h, "新能源车停车优惠\(tag)")
        XCTAssertFalse(found.contains { $0["knowledge_id"] as? String == policyID }, "an entry not yet in force answers no search")

        // The center flags an error: the unit is told on its queue, and the deadline is 2 working days.
        let flagged = try await h.command("center", "center.flag-knowledge", [
            "knowledge_id": entry, "problem": "办理地点已改为街道政务服务中心", "operator": "张核查",
        ])
        XCTAssertEqual(flagged.string("type"), "knowledge.flagged", String(decoding: flagged.body, as: UTF8.self))
        let correction = try XCTUnwrap(flagged.string("correction_id"))
        XCTAssertEqual(correction, "\(entry)-C1")
        let requested = await h.unit(unit).wait { $0.properties.type == "knowledge.correction-requested" }
        XCTAssertEqual(requested.first?.string("correction_id"), correction)
        XCTAssertEqual(requested.first?.string("problem"), "办理地点已改为街道政务服务中心")
        let again = try await h.command("center", "center.flag-knowledge", ["knowledge_id": entry, "problem": "再次核查"])
        try h.expectRejected(again, "wrong_state")

        // The sla-timer keeps the deadline; brought forward, its warning and breach reach the unit.
        try await waitForTimer(h, correction)
        var reminders = 0
        var overdue = false
        for _ in 0..<4 where !overdue {
            let action = try await h.text(
                "SELECT action AS t FROM sla_timers WHERE subject = $1 AND state = 'pending'", [correction])
            try await h.database.withConnection { connection in
                connection.write(
                    "UPDATE sla_timers SET due_at = clock_timestamp() WHERE subject = $1 AND state = 'pending'", [correction])
            }
            if action == "warning" {
                reminders += 1
                await h.unit(unit).wait(for: reminders) { $0.properties.type == "knowledge.correction-reminder" }
            } else {
                XCTAssertEqual(action, "breach")
                overdue = !(await h.unit(unit).wait { $0.properties.type == "knowledge.correction-overdue" }).isEmpty
            }
        }
        XCTAssertEqual(reminders, 2, "pingshan warns at 75 % of the time and one working hour before")
        XCTAssertTrue(overdue, "the overdue notice on the unit's queue")
        let notices = await h.unit(unit).wait { $0.properties.type == "knowledge.correction-overdue" }
        XCTAssertEqual(notices.first?.string("knowledge_id"), entry)

        // A new revision, reviewed, corrects it on time and ends its timers.
        let revised = try await h.command(user, "unit.draft-knowledge", [
            "knowledge_id": entry, "kind": "guide", "title": "居住证办理指南\(tag)",
            "body": "办理居住证需携带身份证、租赁合同，到街道政务服务中心申请。", "keywords": ["居住证\(tag)"], "editor": "王采编",
        ])
        XCTAssertEqual(revised.json["revision"] as? Int, 2)
        XCTAssertEqual(revised.string("correction_id"), correction)
        let corrected = try await h.command(user, "unit.review-knowledge", [
            "knowledge_id": entry, "revision": 2, "approve": true, "reviewer": "李审核",
        ])
        XCTAssertEqual(corrected.string("correction_id"), correction)
        XCTAssertEqual(corrected.json["corrected_on_time"] as? Bool, true)
        found = try await search(h, "居住证\(tag)")
        XCTAssertEqual(found.first?["revision"] as? Int, 2, "the search finds the revision in force")
        try await waitUntil("the correction's timers are gone") {
            try await h.scalar("SELECT count(*)::int AS n FROM sla_timers WHERE subject = $1 AND state = 'pending'", [correction]) == 0
        }

        // A consultation answered on the call with the entry records it.
        let submissionID = "KB-\(tag)"
        let body: [String: Any] = [
            "submission_id": submissionID, "channel": "hotline", "received_at": ISO8601DateFormatter().string(from: Date()),
            "citizen": ["name": "测试市民", "phone": "13912345678", "anonymous": false], "kind": "consultation", "description": "咨询居住证怎么办理",
            "answered_on_call": ["answer": "到街道政务服务中心办理", "knowledge_id": entry],
        ]
        try await h.publishAs(
            "gateway", exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit",
            body: Array(try JSONSerialization.data(withJSONObject: body)))
        let answered = await h.events.wait { $0.string("submission_id") == submissionID }
        XCTAssertEqual(answered.first?.routingKey, "ticket.answered")
        let ticketNo = try XCTUnwrap(answered.first?.string("ticket_no"))
        try await waitUntil("the use is recorded") {
            try await h.scalar(
                "SELECT count(*)::int AS n FROM knowledge_uses WHERE ticket_no = $1 AND knowledge_id = $2 AND in_force AND revision = 2",
                [ticketNo, entry]) == 1
        }

        // A revision taking effect tomorrow leaves the one in force searchable until then.
        let tomorrow = ISO8601DateFormatter().string(from: Date().addingTimeInterval(86_400))
        let scheduled = try await h.command(user, "unit.draft-knowledge", [
            "knowledge_id": entry, "kind": "guide", "title": "居住证办理指南\(tag)（新）", "body": "明日起网上办理。",
            "keywords": ["居住证\(tag)"], "effective_from": tomorrow, "editor": "王采编",
        ])
        XCTAssertEqual(scheduled.json["revision"] as? Int, 3)
        _ = try await h.command(user, "unit.review-knowledge", [
            "knowledge_id": entry, "revision": 3, "approve": true, "reviewer": "李审核",
        ])
        found = try await search(h, "居住证\(tag)")
        XCTAssertEqual(found.first?["revision"] as? Int, 2, "revision 3 is not in force yet")

        // The report counts the unit's maintenance: four publications and a policy reported late, a
        // correction due and made on time, one use.
        let today = ReportFixture.localDate(Date())
        let run = try await Ctl.run(h.stack, ["report", "--from", today, "--to", today, "--unit", unit, "--json"])
        let period = try Ctl.periods(run)[0]
        let figures = try XCTUnwrap((period["units"] as? [String: Any])?[unit] as? [String: Any], run.output)
        let counts = try XCTUnwrap(figures["counts"] as? [String: Int])
        XCTAssertEqual(counts["knowledge_published"], 4)
        XCTAssertEqual(counts["policy_reports"], 1)
        XCTAssertEqual(counts["policy_reports_on_time"], 0)
        XCTAssertEqual(counts["corrections_flagged"], 1)
        XCTAssertEqual(counts["corrections_due"], 1)
        XCTAssertEqual(counts["corrections_on_time"], 1)
        XCTAssertEqual(counts["knowledge_uses"], 1)
        let rates = try XCTUnwrap(figures["rates"] as? [String: [String: Any]])
        XCTAssertEqual(rates["correction_on_time_rate"]?["rate"] as? Double, 1)

        // Withdrawn, it answers no search.
        let withdrawn = try await h.command(user, "unit.withdraw-knowledge", [
            "knowledge_id": entry, "reviewer": "李审核", "reason": "政策已废止",
        ])
        XCTAssertEqual(withdrawn.string("type"), "knowledge.withdrawn")
        found = try await search(h, "居住证\(tag)")
        XCTAssertEqual(found.count, 0)
        let listed = try await Ctl.run(h.stack, ["knowledge", "list", "--unit", unit])
        XCTAssertTrue(listed.output.contains("\(entry)  \(unit)  guide  withdrawn  3"), listed.output)
        try await h.restoreShippedJurisdiction()
    }

    private func refusals(_ h: LifecycleHarness) async throws {
        let tag = String(UUID().uuidString.prefix(6))
        let drafted = try await h.command("unit.CG", "unit.draft-knowledge", [
            "kind": "qa", "title": "占道经营怎么投诉\(tag)", "body": "拨打12345或向城管局举报。", "editor": "城管采编",
        ])
        let entry = try XCTUnwrap(drafted.string("knowledge_id"), String(decoding: drafted.body, as: UTF8.self))
        // Another unit may not touch it; an unknown entry, a wrong revision, a blank reason, an unknown
        // category are refused; a flag needs a published entry.
        try h.expectRejected(try await h.command("unit.KZ", "unit.review-knowledge", [
            "knowledge_id": entry, "revision": 1, "approve": true, "reviewer": "坑梓审核",
        ]), "forbidden")
        try h.expectRejected(try await h.command("unit.CG", "unit.review-knowledge", [
            "knowledge_id": "KB-999999", "revision": 1, "approve": true, "reviewer": "城管审核",
        ]), "not_found")
        try h.expectRejected(try await h.command("unit.CG", "unit.review-knowledge", [
            "knowledge_id": entry, "revision": 2, "approve": true, "reviewer": "城管审核",
        ]), "wrong_state")
        try h.expectRejected(try await h.command("unit.CG", "unit.review-knowledge", [
            "knowledge_id": entry, "revision": 1, "approve": false, "reviewer": "城管审核",
        ]), "invalid")
        try h.expectRejected(try await h.command("unit.CG", "unit.draft-knowledge", [
            "kind": "qa", "title": "标题", "body": "正文", "category": "NO-SUCH-\(tag)", "editor": "城管采编",
        ]), "invalid")
        try h.expectRejected(try await h.command("center", "center.flag-knowledge", [
            "knowledge_id": entry, "problem": "未发布的条目",
        ]), "wrong_state")
        // Sent back, the draft stays unpublished.
        let rejected = try await h.command("unit.CG", "unit.review-knowledge", [
            "knowledge_id": entry, "revision": 1, "approve": false, "reviewer": "城管审核", "note": "请补充法律依据",
        ])
        XCTAssertEqual(rejected.string("type"), "knowledge.draft-rejected")
        let stillDraft = try await h.scalar(
            "SELECT count(*)::int AS n FROM knowledge_entries WHERE knowledge_id = $1 AND state = 'draft'", [entry])
        XCTAssertEqual(stillDraft, 1)
        // A query is answered only on the reply queue, and an unreadable one is kept.
        let bad = UUID().uuidString
        try await h.command("gateway", "gateway.search-knowledge", ["query": "  ", "limit": 500], messageID: bad, waitForOutcome: false)
        let refused = try await h.reply("gateway", correlationID: bad)
        try h.expectRejected(refused, "invalid")
        XCTAssertTrue(refused.string("message")?.contains("limit must be 1-50") ?? false, refused.string("message") ?? "")
        let kept = try await h.scalar(
            "SELECT count(*)::int AS n FROM invalid_messages WHERE message_id = $1 AND consumer = 'knowledge.queries'", [bad])
        XCTAssertEqual(kept, 1)
        let outcomes = try await h.scalar("SELECT count(*)::int AS n FROM command_outcomes WHERE command_id = $1", [bad])
        XCTAssertEqual(outcomes, 0, "a query leaves no outcome")
    }

    /// The entries a gateway finds for `query`, best first.
    private func search(_ h: LifecycleHarness, _ query: String) async throws -> [[String: Any]] {
        let id = UUID().uuidString
        try await h.command("gateway", "gateway.search-knowledge", ["query": query], messageID: id, waitForOutcome: false)
        let answer = try await h.reply("gateway", correlationID: id)
        XCTAssertEqual(answer.properties.type, "knowledge.search-results", String(decoding: answer.body, as: UTF8.self))
        return answer.json["results"] as? [[String: Any]] ?? []
    }

    private func waitForTimer(_ h: LifecycleHarness, _ subject: String) async throws {
        try await waitUntil("the sla-timer arms the correction's deadline") {
            try await h.scalar(
                "SELECT count(*)::int AS n FROM sla_timers WHERE subject = $1 AND deadline = 'knowledge_correction' AND state = 'pending'",
                [subject]) == 1
        }
    }

    private func waitUntil(_ what: String, timeout: TimeInterval = 30, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        XCTFail("timed out after \(Int(timeout)) s: \(what)")
    }
}
