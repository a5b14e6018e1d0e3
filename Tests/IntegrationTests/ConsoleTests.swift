import Foundation
import HotlineStorage
import XCTest

/// The center's console over real HTTP against the running platform (docs/console.md): signing in,
/// sessions and CSRF, the roles, deciding work items with the contract's center commands, the
/// ticket search and page, the dashboard and the operations pages.
final class ConsoleTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    private func browser(_ h: LifecycleHarness) -> ConsoleBrowser { ConsoleBrowser(baseURL: ConsoleEndpoint.baseURL(h.stack)) }

    func testSignInSessionsCSRFAndRoles() async throws {
        try await withHarness { h in
            let person = try await ConsoleEndpoint.account(h.stack, role: "dispatcher", displayName: "派单员甲")
            let web = browser(h)
            let unsigned = try await web.get("/queues")
            XCTAssertEqual(unsigned.status, 303)
            XCTAssertEqual(unsigned.location, "/login")

            let form = try await web.get("/login")
            let wrong = try await web.post("/login", [("name", person.name), ("password", "not-the-password")], csrf: form.csrf)
            XCTAssertEqual(wrong.status, 401)
            XCTAssertTrue(wrong.html.contains("用户名或密码错误"), wrong.html)
            XCTAssertNil(web.sessionCookie)
            let failures = try await h.scalar(
                "SELECT count(*) AS n FROM console_audit WHERE user_name = $1 AND action = 'sign_in_failed'", [person.name])
            XCTAssertEqual(failures, 1)
            let forged = try await web.post("/login", [("name", person.name), ("password", person.password)], csrf: "0")
            XCTAssertEqual(forged.status, 400, "a sign-in without its page's token is refused")

            try await web.signIn(person.name, person.password)
            let queues = try await web.get("/queues")
            XCTAssertEqual(queues.status, 200)
            XCTAssertTrue(queues.html.contains("派单员甲") && queues.html.contains("待派单"), queues.html)
            XCTAssertFalse(queues.html.contains("/operations/dead"), "a dispatcher is not shown the operations pages")
            let stored = try await h.scalar(
                "SELECT count(*) AS n FROM console_sessions WHERE token_sha256 = $1", [web.sessionCookie ?? ""])
            XCTAssertEqual(stored, 0, "the database keeps the token's hash, never the token")

            // Every form needs the session's token; a post from another site is refused outright.
            let noToken = try await web.post("/queues/dispatch/PS-NONE", [("mode", "sole"), ("units", "CG")], csrf: "forged")
            XCTAssertEqual(noToken.status, 400)
            XCTAssertTrue(noToken.html.contains("CSRF"), noToken.html)
            try await web.expect("/operations/dead", status: 403)
            try await web.expect("/operations/audit", status: 403)

            // Signing out ends the session; disabling the account ends it too.
            let out = try await web.post("/logout", [], csrf: queues.csrf)
            XCTAssertEqual(out.status, 303)
            try await web.expect("/queues", status: 303, location: "/login")
            try await web.signIn(person.name, person.password)
            try await web.expect("/queues", status: 200)
            let disabled = try await Ctl.run(h.stack, ["console", "user", "disable", person.name])
            XCTAssertEqual(disabled.status, 0, disabled.error)
            try await web.expect("/queues", status: 303, location: "/login")
            let signInForm = try await web.get("/login")
            let refused = try await web.post("/login", [("name", person.name), ("password", person.password)], csrf: signInForm.csrf)
            XCTAssertEqual(refused.status, 401, "a disabled account cannot sign in")

            // A supervisor reads but decides nothing.
            let supervisor = try await ConsoleEndpoint.account(h.stack, role: "supervisor", displayName: "督办员乙")
            let watcher = browser(h)
            try await watcher.signIn(supervisor.name, supervisor.password)
            try await watcher.expect("/", status: 303, location: "/dashboard")
            try await watcher.expect("/queues", status: 403)
            try await watcher.expect("/operations/audit", status: 200)
        }
    }

    func testDispatchFromTheManualQueueOnceEvenWhenTwoPeopleTry() async throws {
        try await withHarness { h in
            let ticketNo = try await h.submit(category: nil)
            _ = await h.events.wait { $0.routingKey == "ticket.dispatch-manual" && $0.string("ticket_no") == ticketNo }
            let first = try await ConsoleEndpoint.account(h.stack, role: "dispatcher", displayName: "派单员丙")
            let second = try await ConsoleEndpoint.account(h.stack, role: "administrator", displayName: "值班长丁")
            let web = browser(h), other = browser(h)
            try await web.signIn(first.name, first.password)
            try await other.signIn(second.name, second.password)

            let queue = try await web.get("/queues?queue=dispatch")
            XCTAssertTrue(queue.html.contains("待派单"), queue.html)
            let item = try await web.get("/queues/dispatch/\(ticketNo)")
            XCTAssertEqual(item.status, 200, "the ticket waits in the manual queue")
            XCTAssertTrue(item.html.contains("派单时限") || item.html.contains("时限"), item.html)
            let otherItem = try await other.get("/queues/dispatch/\(ticketNo)")

            let done = try await web.post("/queues/dispatch/\(ticketNo)", [("mode", "sole"), ("units", "CG"), ("note", "按职责派")], csrf: item.csrf)
            XCTAssertEqual(done.status, 200)
            XCTAssertTrue(done.html.contains("已派单"), done.html)
            let created = try await h.created(ticketNo, unit: "CG")
            XCTAssertEqual(created.string("role"), "sole")
            let operatorName = try await h.text(
                "SELECT operator AS t FROM ticket_history WHERE ticket_no = $1 AND action = 'dispatched'", [ticketNo])
            XCTAssertEqual(operatorName, "派单员丙", "the decision is recorded under the person's name")

            let late = try await other.post("/queues/dispatch/\(ticketNo)", [("mode", "sole"), ("units", "ZJ")], csrf: otherItem.csrf)
            XCTAssertTrue(late.html.contains("该事项已由 派单员丙"), late.html)
            let dispatches = try await h.scalar("SELECT count(*) AS n FROM assignments WHERE ticket_no = $1", [ticketNo])
            XCTAssertEqual(dispatches, 1, "the second person dispatched nothing")
            let audited = try await h.scalar(
                "SELECT count(*) AS n FROM console_audit WHERE action = 'center.dispatch' AND subject = $1 AND user_name = $2",
                [ticketNo, first.name])
            XCTAssertEqual(audited, 1)
        }
    }

    func testApproveAReturnAndDenyAnExtension() async throws {
        try await withHarness { h in
            let person = try await ConsoleEndpoint.account(h.stack, role: "administrator", displayName: "审核员戊")
            let web = browser(h)
            try await web.signIn(person.name, person.password)

            let returned = try await h.submit(category: "CG-001")
            let returnedCreated = try await h.created(returned, unit: "CG")
            let assignment = try XCTUnwrap(returnedCreated.string("assignment_id"))
            _ = try await h.command("unit.CG", "unit.request-return", h.returnRequest(assignment))
            let returns = try await web.get("/queues?queue=returns")
            XCTAssertTrue(returns.html.contains("/queues/returns/\(assignment)"), "the return waits for the center")
            let approve = try await web.post(
                "/queues/returns/\(assignment)", [("decision", "approve"), ("reassign_to", "ZJ"), ("note", "改派住建局")], csrf: returns.csrf)
            XCTAssertTrue(approve.html.contains("已批准退回"), approve.html)
            _ = try await h.created(returned, unit: "ZJ")

            let extended = try await h.submit(category: "CG-001", kind: "suggestion")
            let extendedCreated = try await h.created(extended, unit: "CG")
            let second = try XCTUnwrap(extendedCreated.string("assignment_id"))
            _ = try await h.command("unit.CG", "unit.sign", ["assignment_id": second])
            let asked = try await h.command(
                "unit.CG", "unit.request-extension", ["assignment_id": second, "working_days": 2, "reason": "需协调燃气公司现场勘查"])
            let requestID = try XCTUnwrap(asked.string("request_id"), asked.string("message") ?? "")
            let extensions = try await web.get("/queues?queue=extensions")
            XCTAssertTrue(extensions.html.contains("/queues/extensions/\(requestID)"), "the extension waits for the center")
            let missingNote = try await web.post("/queues/extensions/\(requestID)", [("decision", "deny")], csrf: extensions.csrf)
            XCTAssertEqual(missingNote.status, 400, "a denial needs its reason")
            let deny = try await web.post(
                "/queues/extensions/\(requestID)", [("decision", "deny"), ("note", "理由不充分")], csrf: extensions.csrf)
            XCTAssertTrue(deny.html.contains("已驳回延期申请"), deny.html)
            let state = try await h.text("SELECT state AS t FROM sla_extension_requests WHERE request_id = $1", [requestID])
            XCTAssertEqual(state, "denied")
            let after = try await web.get("/queues?queue=extensions")
            XCTAssertFalse(after.html.contains("/queues/extensions/\(requestID)"), "a decided request leaves the queue")
        }
    }

    func testTicketSearchMasksPhonesAndTheTicketPageRecordsItsViewers() async throws {
        try await withHarness { h in
            let ticketNo = try await h.submit(category: "CG-001")
            _ = try await h.created(ticketNo, unit: "CG")
            let storedPhone = try await h.text("SELECT citizen->>'phone' AS t FROM tickets WHERE ticket_no = $1", [ticketNo])
            let phone = try XCTUnwrap(storedPhone)
            let masked = String(phone.prefix(3)) + "****" + String(phone.suffix(4))
            let person = try await ConsoleEndpoint.account(h.stack, role: "supervisor", displayName: "督办员己")
            let web = browser(h)
            try await web.signIn(person.name, person.password)

            let byNumber = try await web.get("/tickets?no=\(ticketNo)")
            XCTAssertTrue(byNumber.html.contains("/tickets/\(ticketNo)"), byNumber.html)
            XCTAssertTrue(byNumber.html.contains(masked), "the list shows the phone masked")
            XCTAssertFalse(byNumber.html.contains(phone), "the list never shows the full phone")
            let byPhone = try await web.get("/tickets?phone=\(phone)")
            XCTAssertTrue(byPhone.html.contains("/tickets/\(ticketNo)"))
            XCTAssertEqual(byPhone.html.components(separatedBy: phone).count - 1, 1, "only the search field repeats the number asked for")
            let searched = try await h.scalar(
                "SELECT count(*) AS n FROM console_audit WHERE user_name = $1 AND action = 'tickets_searched_by_phone' AND detail->>'phone' = $2",
                [person.name, masked])
            XCTAssertEqual(searched, 1, "a search by phone is recorded, with the number masked")

            let page = try await web.get("/tickets/\(ticketNo)")
            XCTAssertEqual(page.status, 200)
            XCTAssertTrue(page.html.contains(phone), "the ticket page shows the citizen's phone")
            XCTAssertTrue(page.html.contains("办结时限") && page.html.contains("签收时限"), "the deadlines are on the page")
            XCTAssertTrue(page.html.contains("id=\"viewers\"><li>\(person.name)"), "the page lists who viewed it")
            let viewed = try await h.scalar(
                "SELECT count(*) AS n FROM console_audit WHERE action = 'ticket_viewed' AND subject = $1 AND user_name = $2",
                [ticketNo, person.name])
            XCTAssertEqual(viewed, 1)

            let dashboard = try await web.get("/dashboard")
            XCTAssertEqual(dashboard.status, 200)
            for word in ["响应率", "解决率", "满意率", "按时办结率", "<svg", "超期升级"] {
                XCTAssertTrue(dashboard.html.contains(word), "the dashboard shows \(word)")
            }
            let unitOnly = try await web.get("/dashboard?unit=CG&from=2026-01-01&to=2026-12-31")
            XCTAssertTrue(unitOnly.html.contains("区城市管理和综合执法局"), "a unit's own dashboard")
            let wrongPeriod = try await web.get("/dashboard?from=2026-12-31&to=2026-01-01")
            XCTAssertEqual(wrongPeriod.status, 400)
            let again = try await web.get("/dashboard")
            XCTAssertFalse(again.html.contains(phone))
        }
    }

    func testAReviewerFlagsAnErrorInAPublishedKnowledgeEntry() async throws {
        try await withHarness { h in
            let tag = String(UUID().uuidString.prefix(6))
            let drafted = try await h.command("unit.CG", "unit.draft-knowledge", [
                "kind": "guide", "title": "占道经营投诉指南\(tag)", "body": "占道经营可拨打12345投诉，城管部门两日内处理。", "editor": "王采编",
            ])
            let entry = try XCTUnwrap(drafted.string("knowledge_id"), drafted.string("message") ?? "")
            let published = try await h.command("unit.CG", "unit.review-knowledge", [
                "knowledge_id": entry, "revision": 1, "approve": true, "reviewer": "李审核",
            ])
            XCTAssertEqual(published.string("type"), "knowledge.published")
            let person = try await ConsoleEndpoint.account(h.stack, role: "reviewer", displayName: "审核员辛")
            let web = browser(h)
            try await web.signIn(person.name, person.password)
            let shelf = try await web.get("/operations/knowledge")
            XCTAssertTrue(shelf.html.contains("/operations/knowledge/\(entry)/flag"), "the published entry can be flagged")
            let flagged = try await web.post(
                "/operations/knowledge/\(entry)/flag", [("problem", "处理时限应为三个工作日")], csrf: shelf.csrf)
            XCTAssertTrue(flagged.html.contains("已要求单位更正"), flagged.html)
            let operatorName = try await h.text(
                "SELECT operator AS t FROM knowledge_corrections WHERE knowledge_id = $1 AND state = 'open'", [entry])
            XCTAssertEqual(operatorName, "审核员辛")
            let after = try await web.get("/operations/knowledge")
            XCTAssertFalse(after.html.contains("/operations/knowledge/\(entry)/flag"), "an entry with an open correction is not flagged twice")
            XCTAssertTrue(after.html.contains("处理时限应为三个工作日"), "the open correction is listed with its deadline")
            let dispatcher = try await ConsoleEndpoint.account(h.stack, role: "dispatcher", displayName: "派单员壬")
            let other = browser(h)
            try await other.signIn(dispatcher.name, dispatcher.password)
            try await other.expect("/operations/knowledge", status: 403)
        }
    }
}
