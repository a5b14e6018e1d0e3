import Foundation
import HotlineDomain
import HotlineMessaging
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

            let foreign = try await web.post("/logout", [], csrf: queues.csrf, origin: "https://evil.example")
            XCTAssertEqual(foreign.status, 403, "a post from another site is refused")
            let unnamed = try await web.post("/logout", [], csrf: queues.csrf, origin: "")
            XCTAssertEqual(unnamed.status, 403, "a post that names no origin is refused")
            try await web.expect("/queues", status: 200)

            // A new password ends the sessions begun with the old one.
            let other = browser(h)
            try await other.signIn(person.name, person.password)
            let changed = try await Ctl.run(h.stack, ["console", "user", "passwd", person.name])
            XCTAssertEqual(changed.status, 0, changed.error)
            try await other.expect("/queues", status: 303, location: "/login")
            try await web.expect("/queues", status: 303, location: "/login")
            let newPassword = String(try XCTUnwrap(changed.output.split(separator: "\n").first { $0.contains("(shown once): ") })
                .split(separator: " ").last ?? "")
            let oldRefused = try await web.post(
                "/login", [("name", person.name), ("password", person.password)], csrf: (try await web.get("/login")).csrf)
            XCTAssertEqual(oldRefused.status, 401)
            try await web.signIn(person.name, newPassword)
            let queuesAgain = try await web.get("/queues")
            XCTAssertEqual(queuesAgain.status, 200)

            // Signing out ends the session; disabling the account ends it too.
            let out = try await web.post("/logout", [], csrf: queuesAgain.csrf)
            XCTAssertEqual(out.status, 303)
            try await web.expect("/queues", status: 303, location: "/login")
            try await web.signIn(person.name, newPassword)
            try await web.expect("/queues", status: 200)
            let disabled = try await Ctl.run(h.stack, ["console", "user", "disable", person.name])
            XCTAssertEqual(disabled.status, 0, disabled.error)
            try await web.expect("/queues", status: 303, location: "/login")
            let signInForm = try await web.get("/login")
            let refused = try await web.post("/login", [("name", person.name), ("password", newPassword)], csrf: signInForm.csrf)
            XCTAssertEqual(refused.status, 401, "a disabled account cannot sign in")

            // Five failures within 15 minutes refuse the name, even with its password.
            let guessed = try await ConsoleEndpoint.account(h.stack, role: "dispatcher", displayName: "派单员乙")
            let guesser = browser(h)
            let guessForm = try await guesser.get("/login")
            for _ in 0..<5 {
                let wrongGuess = try await guesser.post("/login", [("name", guessed.name), ("password", "guess-guess-guess")], csrf: guessForm.csrf)
                XCTAssertEqual(wrongGuess.status, 401)
            }
            let locked = try await guesser.post("/login", [("name", guessed.name), ("password", guessed.password)], csrf: guessForm.csrf)
            XCTAssertEqual(locked.status, 401)
            XCTAssertTrue(locked.html.contains("登录失败次数过多"), locked.html)

            // A supervisor reads but decides nothing.
            let supervisor = try await ConsoleEndpoint.account(h.stack, role: "supervisor", displayName: "督办员乙")
            let watcher = browser(h)
            try await watcher.signIn(supervisor.name, supervisor.password)
            try await watcher.expect("/", status: 303, location: "/dashboard")
            try await watcher.expect("/queues", status: 403)
            try await watcher.expect("/operations/audit", status: 200)

            // A session ends after 30 minutes without a request, and after 12 hours in any case.
            let idled = try await h.scalar(
                """
                WITH idled AS (UPDATE console_sessions SET last_seen_at = last_seen_at - interval '31 minutes'
                               WHERE user_name = $1 AND ended_at IS NULL RETURNING 1)
                SELECT count(*) AS n FROM idled
                """, [supervisor.name])
            XCTAssertEqual(idled, 1)
            try await watcher.expect("/dashboard", status: 303, location: "/login")
            try await watcher.signIn(supervisor.name, supervisor.password)
            try await watcher.expect("/dashboard", status: 200)
            let expired = try await h.scalar(
                """
                WITH expired AS (UPDATE console_sessions SET expires_at = created_at
                                 WHERE user_name = $1 AND ended_at IS NULL AND last_seen_at >= created_at RETURNING 1)
                SELECT count(*) AS n FROM expired
                """, [supervisor.name])
            XCTAssertEqual(expired, 1, "only the new session is still in use")
            try await watcher.expect("/dashboard", status: 303, location: "/login")
        }
    }

    /// Sign-ins are checked two at a time by a copy: a burst beyond what it checks in 3 seconds is
    /// told to try again, and the pages go on answering meanwhile.
    func testABurstOfSignInsIsCheckedAFewAtATime() async throws {
        try await withHarness { h in
            let person = try await ConsoleEndpoint.account(h.stack, role: "supervisor", displayName: "督办员辛")
            let reader = browser(h)
            try await reader.signIn(person.name, person.password)
            let base = ConsoleEndpoint.baseURL(h.stack)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for n in 0..<60 {
                    group.addTask {
                        let guesser = ConsoleBrowser(baseURL: base)
                        let form = try await guesser.get("/login")
                        return try await guesser.post(
                            "/login", [("name", "guess-\(n)-\(UUID().uuidString.prefix(6))"), ("password", "guess-guess-guess")],
                            csrf: form.csrf
                        ).status
                    }
                }
                group.addTask { try await reader.get("/dashboard").status }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            XCTAssertEqual(statuses.filter { $0 == 200 }.count, 1, "the pages answer during the burst")
            XCTAssertEqual(statuses.filter { $0 == 401 || $0 == 503 }.count, 60, "\(statuses)")
            XCTAssertGreaterThan(statuses.filter { $0 == 503 }.count, 0, "more than it checks in 3 seconds are told to try again")
            try await browser(h).signIn(person.name, person.password)
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

            // Both submit at once: exactly one decides, the other is told who did.
            async let mine = web.post(
                "/queues/dispatch/\(ticketNo)", [("round", item.round ?? ""), ("mode", "sole"), ("units", "CG"), ("note", "按职责派")],
                csrf: item.csrf)
            async let theirs = other.post(
                "/queues/dispatch/\(ticketNo)", [("round", otherItem.round ?? ""), ("mode", "sole"), ("units", "ZJ")], csrf: otherItem.csrf)
            let pages = try await [mine, theirs]
            let decided = pages.filter { $0.html.contains("id=\"outcome\" class=\"ok\">已派单") }
            let told = pages.filter { $0.html.contains("该事项已由 ") }
            XCTAssertEqual(decided.count, 1, pages.map(\.html).joined(separator: "\n----\n"))
            XCTAssertEqual(told.count, 1)
            let winner = decided.first.map { $0.html == pages[0].html } == true ? "派单员丙" : "值班长丁"
            let unit = winner == "派单员丙" ? "CG" : "ZJ"
            let created = try await h.created(ticketNo, unit: unit)
            XCTAssertEqual(created.string("role"), "sole")
            let operatorName = try await h.text(
                "SELECT operator AS t FROM ticket_history WHERE ticket_no = $1 AND action = 'dispatched'", [ticketNo])
            XCTAssertEqual(operatorName, winner, "the decision is recorded under the person's name")
            XCTAssertTrue(told.first?.html.contains("该事项已由 \(winner)") == true, told.first?.html ?? "")
            let late = try await web.post(
                "/queues/dispatch/\(ticketNo)", [("round", item.round ?? ""), ("mode", "sole"), ("units", "ZJ")], csrf: item.csrf)
            XCTAssertTrue(late.html.contains("该事项已由 \(winner)"), "after the decision the item is gone: \(late.html)")
            let dispatches = try await h.scalar("SELECT count(*) AS n FROM assignments WHERE ticket_no = $1", [ticketNo])
            XCTAssertEqual(dispatches, 1, "the second person dispatched nothing")
            let audited = try await h.scalar(
                "SELECT count(*) AS n FROM console_audit WHERE action = 'center.dispatch' AND subject = $1", [ticketNo])
            XCTAssertEqual(audited, 1, "only the decision that was sent is in the audit log")
        }
    }

    /// A claim left without an outcome for ten minutes may be taken again only when its command was
    /// never confirmed by the broker: a confirmed one waits in its queue to be answered.
    func testAClaimWhoseCommandWentOutIsNotTakenAgain() async throws {
        try await withHarness { h in
            let ticketNo = try await h.submit(category: nil)
            _ = await h.events.wait { $0.routingKey == "ticket.dispatch-manual" && $0.string("ticket_no") == ticketNo }
            let person = try await ConsoleEndpoint.account(h.stack, role: "dispatcher", displayName: "派单员庚")
            let web = browser(h)
            try await web.signIn(person.name, person.password)
            let item = try await web.get("/queues/dispatch/\(ticketNo)")
            let round = try XCTUnwrap(item.round)
            // Another copy claimed it eleven minutes ago and the broker confirmed its command, which
            // has no outcome yet (its service is behind).
            let planted = try await h.scalar(
                """
                WITH c AS (INSERT INTO console_claims (item, subject, user_name, display_name, command_id, command_type, claimed_at, confirmed_at)
                           VALUES ($1, $2, 'ghost', '前任派单员', $3, 'center.dispatch', now() - interval '11 minutes', now() - interval '11 minutes')
                           RETURNING 1)
                SELECT count(*) AS n FROM c
                """, [WorkQueue.dispatch.claimKey(ticketNo, round: round), WorkQueue.dispatch.claimPrefix(ticketNo), UUID().uuidString])
            XCTAssertEqual(planted, 1)
            let form = [("round", round), ("mode", "sole"), ("units", "CG")]
            let refused = try await web.post("/queues/dispatch/\(ticketNo)", form, csrf: item.csrf)
            XCTAssertTrue(refused.html.contains("该事项已由 前任派单员"), refused.html)
            // Never confirmed (the copy stopped before it was sure the command went out): taken again.
            _ = try await h.scalar("WITH c AS (UPDATE console_claims SET confirmed_at = NULL WHERE subject = $1 RETURNING 1) SELECT count(*) AS n FROM c",
                                   [WorkQueue.dispatch.claimPrefix(ticketNo)])
            let decided = try await web.post("/queues/dispatch/\(ticketNo)", form, csrf: item.csrf)
            XCTAssertTrue(decided.html.contains("id=\"outcome\" class=\"ok\">已派单"), decided.html)
            let confirmed = try await h.scalar(
                "SELECT count(*) AS n FROM console_claims WHERE subject = $1 AND user_name = $2 AND confirmed_at IS NOT NULL",
                [WorkQueue.dispatch.claimPrefix(ticketNo), person.name])
            XCTAssertEqual(confirmed, 1, "the new claim records its command's confirmation")
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
            let approve = try await web.decide(
                "/queues/returns/\(assignment)", [("decision", "approve"), ("reassign_to", "ZJ"), ("note", "改派住建局")])
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
            let missingNote = try await web.decide("/queues/extensions/\(requestID)", [("decision", "deny")])
            XCTAssertEqual(missingNote.status, 400, "a denial needs its reason")
            let stale = try await web.post(
                "/queues/extensions/\(requestID)", [("round", "0"), ("decision", "deny"), ("note", "理由不充分")], csrf: extensions.csrf)
            XCTAssertEqual(stale.status, 409, "a form decides only the round it showed")
            let deny = try await web.decide("/queues/extensions/\(requestID)", [("decision", "deny"), ("note", "理由不充分")])
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
            let byPhone = try await web.post("/tickets", [("phone", "+86 " + phone)], csrf: byNumber.csrf)
            XCTAssertTrue(byPhone.html.contains("/tickets/\(ticketNo)"))
            XCTAssertEqual(byPhone.html.components(separatedBy: phone).count - 1, 1, "only the search field repeats the number asked for")
            let inURL = try await web.get("/tickets?phone=\(phone)")
            XCTAssertFalse(inURL.html.contains("/tickets/\(ticketNo)\""), "a phone number in a URL is not searched for")
            let searched = try await h.scalar(
                "SELECT count(*) AS n FROM console_audit WHERE user_name = $1 AND action = 'tickets_searched_by_phone' AND detail->>'phone' = $2",
                [person.name, masked])
            XCTAssertEqual(searched, 1, "a search by phone is recorded, with the number masked")

            let page = try await web.get("/tickets/\(ticketNo)")
            XCTAssertEqual(page.status, 200)
            XCTAssertTrue(page.html.contains(phone), "the ticket page shows the citizen's phone")
            XCTAssertTrue(page.html.contains("办结时限") && page.html.contains("签收时限"), "the deadlines are on the page")
            XCTAssertFalse(page.html.contains("延期0次"), "an assignment never extended says nothing of extensions")
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

    func testAnAdministratorSeesADeadLetterMaskedAndRequeuesIt() async throws {
        try await withHarness { h in
            let admin = h.stack.admin()
            let key = "console.test.\(UUID().uuidString.prefix(8))"
            let dying = "hotline.test.dying-\(UUID().uuidString.prefix(8))"
            try await admin.declare(AMQPTopology(
                queues: [.init(dying, arguments: ["x-message-ttl": .int(1), "x-dead-letter-exchange": .string("hotline.dlx")])],
                bindings: [.init(queue: dying, exchange: "hotline.events", routingKey: key)]))
            let publisher = AMQPPublisher(configuration: try AMQPConfiguration(url: h.stack.adminAMQPURL), logger: TestStack.logger)
            let messageID = "DEAD-\(UUID().uuidString)"
            // A contract event (the requeued copy is checked against docs/asyncapi.yaml like every
            // message a service's user publishes), with a phone number in a field of its own.
            let body: [String: Any] = [
                "event_id": messageID, "type": "reference.changed", "occurred_at": RFC3339.string(from: Date()),
                "reference": "calendar", "years": [2026], "note": "市民13800001234来电，座机+86 75512345678",
            ]
            let outcome = try await publisher.publish([OutgoingMessage(
                exchange: "hotline.events", routingKey: key,
                properties: AMQPProperties(messageID: messageID, type: "reference.changed", timestamp: Date()),
                body: Array(try JSONSerialization.data(withJSONObject: body)), mandatory: true)])
            XCTAssertEqual(outcome, [.confirmed])
            await publisher.shutdown()

            let person = try await ConsoleEndpoint.account(h.stack, role: "administrator", displayName: "管理员癸")
            let web = browser(h)
            try await web.signIn(person.name, person.password)
            var page = try await web.get("/operations/dead?id=\(messageID)")
            let deadline = Date().addingTimeInterval(30)
            while !page.html.contains(messageID), Date() < deadline {
                try await Task.sleep(for: .milliseconds(200))
                page = try await web.get("/operations/dead?id=\(messageID)")
            }
            XCTAssertTrue(page.html.contains(messageID), "the dead letter is listed")
            XCTAssertTrue(page.html.contains("138****1234") && !page.html.contains("13800001234"), "its body is shown with the phone masked")
            XCTAssertTrue(page.html.contains("+86 755****5678") && !page.html.contains("75512345678"), "a landline too")

            try await admin.deleteQueue(dying)
            let observer = Observer.bound(to: "hotline.events", routingKeys: [key], stack: h.stack)
            await observer.waitUntilConnected()
            let requeued = try await web.post("/operations/dead/requeue", [("id", messageID)], csrf: page.csrf)
            XCTAssertEqual(requeued.status, 303, requeued.html)
            let arrived = await observer.wait { $0.properties.messageID == messageID }
            XCTAssertEqual(arrived.first?.properties.type, "reference.changed", "republished where it was first published")
            let after = try await web.get("/operations/dead?id=\(messageID)")
            XCTAssertFalse(after.html.contains("letter-"), "the dead copy is gone")
            let audited = try await h.scalar(
                "SELECT count(*) AS n FROM console_audit WHERE action = 'dead_letter_requeued' AND subject = $1", [messageID])
            XCTAssertEqual(audited, 1)
            await observer.close(deleting: true, stack: h.stack)
        }
    }
}
