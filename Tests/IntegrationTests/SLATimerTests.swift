import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage
import XCTest

/// The SLA timer through the real broker and database: deadlines armed from a dispatch on the real
/// calendar, the sign deadline's automatic sign-off, the dispatcher's deadlines armed after a denied
/// return and a reopen, extensions with their refusals, the overdue tick, two timer copies sharing one
/// table, and a timer killed and restarted.
final class SLATimerTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    // MARK: - Deadlines armed from events

    func testDispatchArmsEveryDeadlineOfTheAssignment() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let events = Observer.bound(to: "hotline.events", routingKeys: ["ticket.#", "sla.#"], stack: stack)
        await events.waitUntilConnected()
        let database = stack.database()
        let ticket = try await SLAFixture.submit(kind: "complaint", urgency: "fast", events: events, stack: stack)

        let row = try await SLAFixture.assignmentDeadlines(ticket.assignmentID, database: database)
        let timers = try await SLAFixture.eventually("the assignment's timers are armed") {
            let timers = try await SLAFixture.pendingTimers(subject: ticket.assignmentID, database: database)
            return timers["resolve.overdue"] != nil && timers["feedback.breach"] != nil ? timers : nil
        }
        XCTAssertEqual(timers["sign.breach"]?.dueAt, row["sign_by"], "sign deadline")
        XCTAssertEqual(timers["notify.breach"]?.dueAt, row["notify_by"], "acceptance notice deadline")
        XCTAssertEqual(timers["feedback.breach"]?.dueAt, row["feedback_by"], "feedback deadline of a fast ticket")
        XCTAssertEqual(timers["resolve.breach"]?.dueAt, row["resolve_by"], "resolve deadline")
        let resolveBy = try XCTUnwrap(row["resolve_by"])
        XCTAssertEqual(timers["resolve.overdue"]?.dueAt, resolveBy.addingTimeInterval(86_400), "first overdue tick a day later")
        XCTAssertEqual(timers["resolve.overdue"]?.days, 1)
        // Warnings at 75 % and one working hour before, both before the deadline.
        for purpose in ["resolve.warning.1", "resolve.warning.2"] {
            let warning = try XCTUnwrap(timers[purpose], purpose)
            XCTAssertLessThan(warning.dueAt, resolveBy)
            XCTAssertEqual(warning.deadlineAt, resolveBy)
        }
        // The ticket was dispatched: its dispatch deadline is disarmed.
        try await SLAFixture.eventually("dispatch timers disarmed") {
            try await SLAFixture.pendingTimers(subject: ticket.ticketNo, database: database).isEmpty ? true : nil
        }
        await database.shutdown()
        await events.close(deleting: true, stack: stack)
    }

    func testSignDeadlineFiresAndTheDispatcherSignsAutomatically() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let events = Observer.bound(to: "hotline.events", routingKeys: ["ticket.#", "sla.#", "assignment.#"], stack: stack)
        await events.waitUntilConnected()
        let database = stack.database()
        let ticket = try await SLAFixture.submit(kind: "complaint", events: events, stack: stack)
        let row = try await SLAFixture.assignmentDeadlines(ticket.assignmentID, database: database)
        let signBy = try XCTUnwrap(row["sign_by"])
        try await SLAFixture.eventually("sign timer armed") {
            try await SLAFixture.pendingTimers(subject: ticket.assignmentID, database: database)["sign.breach"]
        }
        // Let the sign deadline come now rather than in some working hours: the sign deadline's armed
        // timer becomes its breach, due now; the deadline it reports stays.
        let due = Date().addingTimeInterval(2)
        _ = try await database.withConnection { connection in
            try connection.query(
                """
                UPDATE sla_timers SET purpose = 'sign.breach', action = 'breach', days_overdue = 0, later = NULL, due_at = $2
                WHERE subject = $1 AND deadline = 'sign' AND state = 'pending'
                """, [ticket.assignmentID, due])
        }
        let breached = await events.wait(timeout: 20) {
            $0.routingKey == "sla.breached" && $0.string("assignment_id") == ticket.assignmentID && $0.string("deadline") == "sign"
        }
        let received = Date()
        let breach = try XCTUnwrap(breached.first, "sla.breached for the sign deadline")
        XCTAssertEqual(breach.string("unit"), "CG")
        XCTAssertEqual(breach.string("ticket_no"), ticket.ticketNo)
        XCTAssertEqual(breach.string("due_at").flatMap(RFC3339.date(from:)), signBy)
        XCTAssertLessThan(received.timeIntervalSince(due), 2.5, "fired late by at most the poll interval (plus delivery)")

        let signed = await events.wait(timeout: 20) {
            $0.routingKey == "assignment.signed" && $0.string("assignment_id") == ticket.assignmentID
        }
        XCTAssertEqual(signed.first?.json["auto"] as? Bool, true, "the dispatcher signed it automatically")
        // Signing ends the sign timers; the dispatcher re-plans the notice from the signing, the timer arms it.
        let timers = try await SLAFixture.eventually("notice re-planned from the signing") {
            let timers = try await SLAFixture.pendingTimers(subject: ticket.assignmentID, database: database)
            let notifyBy = try await SLAFixture.assignmentDeadlines(ticket.assignmentID, database: database)["notify_by"]
            let signTimers = timers.keys.filter { $0.hasPrefix("sign.") }
            return signTimers.isEmpty && timers["notify.breach"]?.dueAt == notifyBy ? timers : nil
        }
        XCTAssertNotNil(timers["resolve.breach"])
        let fired = try await database.scalar(
            "SELECT count(*) AS n FROM sla_timers WHERE subject = $1 AND purpose = 'sign.breach' AND state = 'fired'",
            [ticket.assignmentID])
        XCTAssertEqual(fired, 1)
        await database.shutdown()
        await events.close(deleting: true, stack: stack)
    }

    func testAFiredWarningArmsItsDeadlinesNextFiring() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let events = Observer.bound(to: "hotline.events", routingKeys: ["ticket.#", "sla.#"], stack: stack)
        await events.waitUntilConnected()
        let database = stack.database()
        let ticket = try await SLAFixture.submit(kind: "complaint", events: events, stack: stack)
        let planned = try await SLAFixture.eventually("the resolve deadline armed") {
            let timers = try await SLAFixture.pendingTimers(subject: ticket.assignmentID, database: database)
            return timers["resolve.warning.2"] != nil ? timers : nil
        }
        let armed = try await database.withConnection { connection in
            try connection.query(
                "SELECT purpose FROM sla_timers WHERE subject = $1 AND deadline = 'resolve' AND state = 'pending'",
                [ticket.assignmentID]
            ).map { try $0.decode("purpose", as: String.self) }
        }
        XCTAssertEqual(armed, ["resolve.warning.1"], "only the deadline's next firing is a timer of its own")
        // Let the first warning come now.
        _ = try await database.withConnection { connection in
            try connection.query(
                "UPDATE sla_timers SET due_at = $2 WHERE subject = $1 AND purpose = 'resolve.warning.1' AND state = 'pending'",
                [ticket.assignmentID, Date().addingTimeInterval(1)])
        }
        let warned = await events.wait(timeout: 20) {
            $0.routingKey == "sla.warning" && $0.string("assignment_id") == ticket.assignmentID
                && $0.string("deadline") == "resolve"
        }
        XCTAssertEqual(warned.count, 1, "sla.warning for the resolve deadline")
        let next = try await SLAFixture.eventually("the second warning armed") { () -> (String, Date, String?)? in
            try await database.withConnection { connection in
                try connection.query(
                    """
                    SELECT purpose, due_at, later::text AS later FROM sla_timers
                    WHERE subject = $1 AND deadline = 'resolve' AND state = 'pending'
                    """, [ticket.assignmentID]
                ).first.map { (try $0.decode("purpose"), try $0.decode("due_at"), try $0.decodeIfPresent("later")) }
            }
        }
        XCTAssertEqual(next.0, "resolve.warning.2")
        XCTAssertEqual(next.1, planned["resolve.warning.2"]?.dueAt, "armed when it was planned")
        XCTAssertEqual(try TimerChain.decode(later: next.2).map(\.purpose), ["resolve.breach", "resolve.overdue"])
        await database.shutdown()
        await events.close(deleting: true, stack: stack)
    }

    func testReturnUnderReviewStopsTheTimersAndADenialRestartsThem() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let events = Observer.bound(to: "hotline.events", routingKeys: ["ticket.#", "assignment.#", "command.#"], stack: stack)
        await events.waitUntilConnected()
        let database = stack.database()
        let ticket = try await SLAFixture.submit(kind: "complaint", events: events, stack: stack)
        try await SLAFixture.eventually("timers armed") {
            try await SLAFixture.pendingTimers(subject: ticket.assignmentID, database: database)["resolve.breach"]
        }
        let unit = TestPublisher(user: "unit.CG", stack: stack)
        let center = TestPublisher(user: "center", stack: stack)
        let request = try await unit.publish(
            exchange: "hotline.commands", routingKey: "unit.request-return", type: "unit.request-return",
            body: SLAFixture.json([
                "assignment_id": ticket.assignmentID, "reason_code": "not_our_duty", "reason": "不属于本单位职责", "suggested_unit": "ZJ",
                "basis": "《坪山区职责清单》第12项",
            ]))
        let answer = await events.wait(timeout: 20) { $0.properties.correlationID == request }
        try XCTSkipUnless(
            answer.first?.routingKey == "assignment.return-requested",
            "the dispatcher did not take the return request: \(answer.first?.string("message") ?? "no answer")")
        try await SLAFixture.eventually("timers stopped under review") {
            try await SLAFixture.pendingTimers(subject: ticket.assignmentID, database: database).isEmpty ? true : nil
        }
        try await Task.sleep(for: .seconds(1))
        let decision = try await center.publish(
            exchange: "hotline.commands", routingKey: "center.decide-return", type: "center.decide-return",
            body: SLAFixture.json(["assignment_id": ticket.assignmentID, "approve": false, "note": "属于本单位职责"]))
        let denied = await events.wait(timeout: 20) { $0.properties.correlationID == decision }
        XCTAssertEqual(denied.first?.routingKey, "assignment.return-denied")
        let timers = try await SLAFixture.eventually("timers re-armed after the denial") {
            let timers = try await SLAFixture.pendingTimers(subject: ticket.assignmentID, database: database)
            let resolveBy = try await SLAFixture.assignmentDeadlines(ticket.assignmentID, database: database)["resolve_by"]
            return timers["resolve.breach"]?.dueAt == resolveBy ? timers : nil
        }
        XCTAssertNotNil(timers["resolve.overdue"])
        await unit.close()
        await center.close()
        await database.shutdown()
        await events.close(deleting: true, stack: stack)
    }

    func testADeniedReturnArmsEveryDeadlineAsTheDispatcherMovedIt() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let events = Observer.bound(to: "hotline.events", routingKeys: ["ticket.#", "assignment.#", "command.#"], stack: stack)
        await events.waitUntilConnected()
        let database = stack.database()
        // Unsigned and never told: the sign, notice, feedback (fast: 24 h of clock time) and resolve
        // deadlines are all unmet.
        let ticket = try await SLAFixture.submit(kind: "complaint", urgency: "fast", events: events, stack: stack)
        let planned = try await SLAFixture.assignmentDeadlines(ticket.assignmentID, database: database)
        try await SLAFixture.eventually("timers armed") {
            try await SLAFixture.pendingTimers(subject: ticket.assignmentID, database: database)["feedback.breach"]
        }
        let unit = TestPublisher(user: "unit.CG", stack: stack)
        let center = TestPublisher(user: "center", stack: stack)
        let requested = try await SLAFixture.command(events, unit, "unit.request-return", [
            "assignment_id": ticket.assignmentID, "reason_code": "not_our_duty", "reason": "不属于本单位职责", "suggested_unit": "ZJ",
            "basis": "《坪山区职责清单》第12项",
        ])
        try XCTSkipUnless(
            requested?.routingKey == "assignment.return-requested",
            "the dispatcher did not take the return request: \(requested?.string("message") ?? "no answer")")
        try await SLAFixture.eventually("timers stopped under review") {
            try await SLAFixture.pendingTimers(subject: ticket.assignmentID, database: database).isEmpty ? true : nil
        }
        try await Task.sleep(for: .seconds(2))
        let denied = try await SLAFixture.command(events, center, "center.decide-return", [
            "assignment_id": ticket.assignmentID, "approve": false, "note": "属于本单位职责",
        ])
        XCTAssertEqual(denied?.routingKey, "assignment.return-denied")

        let row = try await SLAFixture.assignmentDeadlines(ticket.assignmentID, database: database)
        XCTAssertEqual(SLAFixture.deadlines(of: denied), row, "the event carries the row's deadlines")
        for key in ["sign_by", "notify_by", "feedback_by", "resolve_by"] {
            XCTAssertGreaterThanOrEqual(try XCTUnwrap(row[key], key), try XCTUnwrap(planned[key], key), "\(key) moves later")
        }
        XCTAssertGreaterThan(
            try XCTUnwrap(row["feedback_by"]), try XCTUnwrap(planned["feedback_by"]),
            "a clock-time limit moves by the review's clock time")
        let breaches = ["sign.breach": "sign_by", "notify.breach": "notify_by", "feedback.breach": "feedback_by",
                        "resolve.breach": "resolve_by"]
        try await SLAFixture.eventually("the sla-timer arms the dispatcher's deadlines") {
            let timers = try await SLAFixture.pendingTimers(subject: ticket.assignmentID, database: database)
            return breaches.allSatisfy { timers[$0.key]?.dueAt == row[$0.value] } ? true : nil
        }
        await unit.close()
        await center.close()
        await database.shutdown()
        await events.close(deleting: true, stack: stack)
    }

    func testNoticeResolutionReviewAndResolvedTicketDisarmTheTimers() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let events = Observer.bound(to: "hotline.events", routingKeys: ["ticket.#", "assignment.#", "command.#"], stack: stack)
        await events.waitUntilConnected()
        let database = stack.database()
        let ticket = try await SLAFixture.submit(kind: "complaint", urgency: "fast", events: events, stack: stack)
        let unit = TestPublisher(user: "unit.CG", stack: stack)
        let center = TestPublisher(user: "center", stack: stack)
        @Sendable func timers() async throws -> [String: SLAFixture.Timer] {
            try await SLAFixture.pendingTimers(subject: ticket.assignmentID, database: database)
        }
        let signed = try await SLAFixture.command(events, unit, "unit.sign", ["assignment_id": ticket.assignmentID])
        XCTAssertEqual(signed?.routingKey, "assignment.signed")
        let noticed = try await SLAFixture.command(events, unit, "unit.notify-citizen", [
            "assignment_id": ticket.assignmentID, "stage": "acceptance", "method": "phone",
            "at": RFC3339.string(from: Date()),
        ])
        XCTAssertEqual(noticed?.routingKey, "assignment.citizen-notified")
        let armed = try await SLAFixture.eventually("sign and notice timers disarmed") {
            let timers = try await timers()
            let done = !timers.keys.contains { $0.hasPrefix("sign.") || $0.hasPrefix("notify.") }
            return done && timers["resolve.breach"] != nil && timers["feedback.breach"] != nil ? timers : nil
        }
        let resolveBy = try XCTUnwrap(armed["resolve.breach"]?.dueAt)

        let resolution: [String: Any] = [
            "assignment_id": ticket.assignmentID, "outcome": "resolved", "reply": "已清理占道摊贩，并安排巡查",
            "handled_at": RFC3339.string(from: Date()), "handler": "王科员",
        ]
        let submitted = try await SLAFixture.command(events, unit, "unit.submit-resolution", resolution)
        try XCTSkipUnless(
            submitted?.routingKey == "assignment.resolution-submitted",
            "the dispatcher did not take the resolution: \(submitted?.string("message") ?? "no answer")")
        try await SLAFixture.eventually("resolve and feedback timers suspended under review") {
            try await timers().keys.contains { $0.hasPrefix("resolve.") || $0.hasPrefix("feedback.") } ? nil : true
        }
        let rejected = try await SLAFixture.command(events, center, "center.decide-resolution", [
            "assignment_id": ticket.assignmentID, "approve": false, "note": "答复不完整",
        ])
        XCTAssertEqual(rejected?.routingKey, "ticket.resolution-rejected")
        let back = try await SLAFixture.eventually("a rejection re-arms the same deadline") {
            let timers = try await timers()
            return timers["resolve.breach"] != nil ? timers : nil
        }
        XCTAssertEqual(back["resolve.breach"]?.dueAt, resolveBy, "neither paused nor reset")

        _ = try await SLAFixture.command(events, unit, "unit.submit-resolution", resolution)
        let approved = try await SLAFixture.command(events, center, "center.decide-resolution", [
            "assignment_id": ticket.assignmentID, "approve": true, "note": "同意办结",
        ])
        XCTAssertEqual(approved?.routingKey, "ticket.resolved")
        try await SLAFixture.eventually("no timer left once resolved") { try await timers().isEmpty ? true : nil }
        await unit.close()
        await center.close()
        await database.shutdown()
        await events.close(deleting: true, stack: stack)
    }

    func testStageResolutionArmsItsFollowUpDate() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let events = Observer.bound(to: "hotline.events", routingKeys: ["ticket.#", "assignment.#", "command.#"], stack: stack)
        await events.waitUntilConnected()
        let database = stack.database()
        let ticket = try await SLAFixture.submit(kind: "complaint", events: events, stack: stack)
        let unit = TestPublisher(user: "unit.CG", stack: stack)
        let center = TestPublisher(user: "center", stack: stack)
        _ = try await SLAFixture.command(events, unit, "unit.sign", ["assignment_id": ticket.assignmentID])
        let followUpBy = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 12 * 86_400).rounded(.down))
        let submitted = try await SLAFixture.command(events, unit, "unit.submit-stage-resolution", [
            "assignment_id": ticket.assignmentID, "reason": "需等待管线改造工程完工", "progress": "已设置临时围挡",
            "plan": "工程完工后恢复通行", "follow_up_by": RFC3339.string(from: followUpBy),
        ])
        try XCTSkipUnless(
            submitted?.routingKey == "assignment.resolution-submitted",
            "the dispatcher did not take the stage resolution: \(submitted?.string("message") ?? "no answer")")
        let approved = try await SLAFixture.command(events, center, "center.decide-resolution", [
            "assignment_id": ticket.assignmentID, "approve": true, "note": "同意阶段性办结",
        ])
        XCTAssertEqual(approved?.routingKey, "ticket.stage-resolved")
        let timers = try await SLAFixture.eventually("follow-up timers armed") {
            let timers = try await SLAFixture.pendingTimers(subject: ticket.assignmentID, database: database)
            return timers["follow_up.breach"] != nil ? timers : nil
        }
        XCTAssertEqual(timers["follow_up.breach"]?.dueAt, followUpBy)
        XCTAssertEqual(timers["follow_up.overdue"]?.dueAt, followUpBy.addingTimeInterval(86_400))
        XCTAssertNotNil(timers["follow_up.warning.1"], "75 % of the follow-up period")
        XCTAssertFalse(timers.keys.contains { $0.hasPrefix("resolve.") }, "the follow-up date replaces the resolve deadline")
        await unit.close()
        await center.close()
        await database.shutdown()
        await events.close(deleting: true, stack: stack)
    }

    func testAReopenIsPlannedByTheDispatcherAndTheTimerArmsItsDeadlines() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let events = Observer.bound(to: "hotline.events", routingKeys: ["ticket.#", "assignment.#", "command.#"], stack: stack)
        await events.waitUntilConnected()
        let database = stack.database()
        let ticket = try await SLAFixture.submit(kind: "complaint", events: events, stack: stack)
        let unit = TestPublisher(user: "unit.CG", stack: stack)
        let center = TestPublisher(user: "center", stack: stack)
        let survey = TestPublisher(user: "svc.survey", stack: stack)
        _ = try await SLAFixture.command(events, unit, "unit.sign", ["assignment_id": ticket.assignmentID])
        _ = try await SLAFixture.command(events, unit, "unit.notify-citizen", [
            "assignment_id": ticket.assignmentID, "stage": "acceptance", "method": "phone", "at": RFC3339.string(from: Date()),
        ])
        let submitted = try await SLAFixture.command(events, unit, "unit.submit-resolution", [
            "assignment_id": ticket.assignmentID, "outcome": "resolved", "reply": "已清理占道摊贩，并安排巡查",
            "handled_at": RFC3339.string(from: Date()), "handler": "王科员",
        ])
        try XCTSkipUnless(
            submitted?.routingKey == "assignment.resolution-submitted",
            "the dispatcher did not take the resolution: \(submitted?.string("message") ?? "no answer")")
        let resolved = try await SLAFixture.command(events, center, "center.decide-resolution", [
            "assignment_id": ticket.assignmentID, "approve": true, "note": "同意办结",
        ])
        XCTAssertEqual(resolved?.routingKey, "ticket.resolved")
        try await SLAFixture.eventually("no timer left once resolved") {
            try await SLAFixture.pendingTimers(subject: ticket.assignmentID, database: database).isEmpty ? true : nil
        }

        // The survey sends the ticket back; its time, not the dispatcher's, starts the re-handling.
        let reopenedAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 600).rounded(.down))
        try await survey.publish(
            exchange: "hotline.events", routingKey: "ticket.reopened", type: "ticket.reopened",
            body: SLAFixture.json([
                "event_id": UUID().uuidString, "type": "ticket.reopened", "occurred_at": RFC3339.string(from: reopenedAt),
                "ticket_no": ticket.ticketNo, "assignment_id": ticket.assignmentID, "unit": "CG", "reason": "low_rating",
                "survey_id": "SV-\(ticket.ticketNo)",
            ]))
        let replanned = await events.wait(timeout: 20) {
            $0.routingKey == "assignment.replanned" && $0.string("assignment_id") == ticket.assignmentID
        }
        let event = try XCTUnwrap(replanned.first, "assignment.replanned for the reopened assignment")
        XCTAssertEqual(event.string("reason"), "reopened")
        XCTAssertEqual(event.string("unit"), "CG")
        XCTAssertEqual(event.string("reopened_at").flatMap(RFC3339.date(from:)), reopenedAt)
        let deadlines = SLAFixture.deadlines(of: event)
        let row = try await SLAFixture.assignmentDeadlines(ticket.assignmentID, database: database)
        XCTAssertEqual(deadlines, row, "the event carries the row's deadlines")
        let resolveBy = try XCTUnwrap(deadlines["resolve_by"])
        let timers = try await SLAFixture.eventually("the sla-timer arms the re-handling deadline") {
            let timers = try await SLAFixture.pendingTimers(subject: ticket.assignmentID, database: database)
            return timers["resolve.breach"]?.dueAt == resolveBy ? timers : nil
        }
        XCTAssertEqual(timers["resolve.overdue"]?.dueAt, resolveBy.addingTimeInterval(86_400))
        XCTAssertFalse(timers.keys.contains { $0.hasPrefix("sign.") || $0.hasPrefix("notify.") }, "signed and notified before")
        await unit.close()
        await center.close()
        await survey.close()
        await database.shutdown()
        await events.close(deleting: true, stack: stack)
    }

    // MARK: - Extensions

    func testExtensionIsCheckedDecidedAndAnnounced() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let events = Observer.bound(to: "hotline.events", routingKeys: ["ticket.#", "assignment.#", "command.#"], stack: stack)
        let sms = Observer.bound(to: "hotline.notifications", routingKeys: ["sms.citizen"], stack: stack)
        let unitQueue = Observer.existing(queue: "hotline.unit.CG", user: "unit.CG", stack: stack)
        let replies = Observer.existing(queue: "hotline.reply.unit.CG", user: "unit.CG", stack: stack)
        let centerReplies = Observer.existing(queue: "hotline.reply.center", user: "center", stack: stack)
        for observer in [events, sms, unitQueue, replies, centerReplies] { await observer.waitUntilConnected() }
        let database = stack.database()
        let ticket = try await SLAFixture.submit(kind: "suggestion", events: events, stack: stack)
        let unit = TestPublisher(user: "unit.CG", stack: stack)
        let otherUnit = TestPublisher(user: "unit.HB", stack: stack)
        let center = TestPublisher(user: "center", stack: stack)
        // The broker lets only `center` publish `center.*`; the administrator may, and the timer still refuses.
        let administrator = try XCTUnwrap(URLComponents(string: stack.adminAMQPURL)?.user)
        let service = TestPublisher(user: administrator, url: stack.adminAMQPURL)
        func ask(_ publisher: TestPublisher, days: Int, replyTo: String? = nil) async throws -> String {
            try await publisher.publish(
                exchange: "hotline.commands", routingKey: "unit.request-extension", type: "unit.request-extension",
                body: SLAFixture.json(["assignment_id": ticket.assignmentID, "working_days": days, "reason": "需协调燃气公司现场勘查"]),
                replyTo: replyTo)
        }
        func outcome(_ commandID: String) async -> Observer.Message? {
            await events.wait(timeout: 20) { $0.properties.correlationID == commandID }.first
        }

        // pingshan: a suggestion gets at most 3 more working days.
        let tooMany = await outcome(try await ask(unit, days: 5))
        XCTAssertEqual(tooMany?.routingKey, "command.rejected")
        XCTAssertEqual(tooMany?.string("reason"), "not_allowed")
        XCTAssertTrue(tooMany?.string("message")?.contains("at most 3 working days") ?? false, tooMany?.string("message") ?? "")
        XCTAssertEqual(tooMany?.string("command_type"), "unit.request-extension")
        // Only the assignment's own unit may ask.
        let foreign = await outcome(try await ask(otherUnit, days: 1))
        XCTAssertEqual(foreign?.string("reason"), "forbidden")

        let asked = try await ask(unit, days: 2, replyTo: "hotline.reply.unit.CG")
        let requestedOutcome = await outcome(asked)
        let requested = try XCTUnwrap(requestedOutcome)
        XCTAssertEqual(requested.routingKey, "assignment.extension-requested")
        XCTAssertEqual(requested.string("command_id"), asked)
        XCTAssertEqual(requested.json["working_days"] as? Int, 2)
        XCTAssertEqual(requested.string("unit"), "CG")
        let requestID = try XCTUnwrap(requested.string("request_id"))
        let reply = await replies.wait(timeout: 20) { $0.properties.correlationID == asked }
        XCTAssertEqual(reply.first?.string("request_id"), requestID, "the outcome also goes to reply_to")
        let pending = await outcome(try await ask(unit, days: 1))
        XCTAssertEqual(pending?.string("reason"), "wrong_state", "one request at a time")

        @discardableResult
        func decide(_ publisher: TestPublisher, approve: Bool, messageID: String = UUID().uuidString) async throws -> String {
            try await publisher.publish(
                exchange: "hotline.commands", routingKey: "center.decide-extension", type: "center.decide-extension",
                body: SLAFixture.json(["request_id": requestID, "approve": approve, "note": "同意延期"]), messageID: messageID,
                replyTo: publisher.user == "center" ? "hotline.reply.center" : nil)
        }
        let notCenter = await outcome(try await decide(service, approve: true))
        XCTAssertEqual(notCenter?.string("reason"), "forbidden", "only the center decides")

        let before = try await SLAFixture.assignmentDeadlines(ticket.assignmentID, database: database)
        let decisionID = UUID().uuidString
        try await decide(center, approve: true, messageID: decisionID)
        let extendedOutcome = await outcome(decisionID)
        let extended = try XCTUnwrap(extendedOutcome)
        XCTAssertEqual(extended.routingKey, "assignment.extended")
        XCTAssertEqual(extended.string("request_id"), requestID)
        let reference = try await ReferenceData.load(
            database: database, profileFile: URL(fileURLWithPath: stack.repoRoot).appendingPathComponent("deploy/profiles/pingshan.yaml"))
        let expected = try reference.calendar.addingWorkingDays(2, to: try XCTUnwrap(before["resolve_by"]))
        XCTAssertEqual(extended.string("resolve_by").flatMap(RFC3339.date(from:)), expected, "2 working days added")

        let update = await unitQueue.wait(timeout: 20) {
            $0.properties.type == "assignment.updated" && $0.string("assignment_id") == ticket.assignmentID
        }
        let updated = try XCTUnwrap(update.first, "assignment.updated to the unit")
        XCTAssertEqual(updated.string("reason"), "extended")
        XCTAssertEqual(((updated.json["deadlines"] as? [String: Any])?["resolve_by"] as? String).flatMap(RFC3339.date(from:)), expected)
        XCTAssertEqual(updated.json["return_allowed"] as? Bool, false, "an extended assignment cannot be returned")
        XCTAssertEqual(updated.json["extension_allowed"] as? Bool, false, "pingshan: one extension")

        let notice = await sms.wait(timeout: 20) { $0.string("ticket_no") == ticket.ticketNo }
        let citizenNotice = try XCTUnwrap(notice.first, "the citizen is told")
        XCTAssertEqual((citizenNotice.json["recipient"] as? [String: Any])?["phone"] as? String, ticket.phone)
        XCTAssertEqual(citizenNotice.string("audience"), "citizen")
        let text = citizenNotice.string("text") ?? ""
        XCTAssertTrue(text.contains("需协调燃气公司现场勘查"), text)
        XCTAssertTrue(text.contains(SLAFixture.chineseDate(expected)), text)
        XCTAssertFalse(String(decoding: extended.body, as: UTF8.self).contains(ticket.phone), "events carry no contact data")

        // The dispatcher records it in its row from assignment.extended.
        try await SLAFixture.eventually("assignments.deadlines and extended updated by the dispatcher") {
            let after = try await SLAFixture.assignmentDeadlines(ticket.assignmentID, database: database)
            let flagged = try await database.scalar(
                "SELECT count(*) AS n FROM assignments WHERE assignment_id = $1 AND extended AND extensions = 1",
                [ticket.assignmentID])
            return after["resolve_by"] == expected && flagged == 1 ? true : nil
        }
        try await SLAFixture.eventually("resolve timers moved") {
            try await SLAFixture.pendingTimers(subject: ticket.assignmentID, database: database)["resolve.breach"]?.dueAt == expected
                ? true : nil
        }

        // An extended assignment cannot be returned (PS §14).
        let returnID = try await unit.publish(
            exchange: "hotline.commands", routingKey: "unit.request-return", type: "unit.request-return",
            body: SLAFixture.json([
                "assignment_id": ticket.assignmentID, "reason_code": "not_our_duty", "reason": "不属于本单位职责", "suggested_unit": "ZJ",
                "basis": "《坪山区职责清单》第12项",
            ]))
        let noReturn = await outcome(returnID)
        XCTAssertEqual(noReturn?.routingKey, "command.rejected")
        XCTAssertEqual(noReturn?.string("reason"), "not_allowed", noReturn?.string("message") ?? "")

        // The same decision again: the same outcome again; a new one: the request is decided.
        try await decide(center, approve: true, messageID: decisionID)
        let repeated = await centerReplies.wait(for: 2, timeout: 20) { $0.properties.correlationID == decisionID }
        XCTAssertEqual(repeated.count, 2)
        XCTAssertEqual(Set(repeated.compactMap { $0.string("event_id") }), [extended.string("event_id")!])
        let again = await outcome(try await decide(center, approve: false))
        XCTAssertEqual(again?.string("reason"), "wrong_state")
        let second = await outcome(try await ask(unit, days: 1))
        XCTAssertEqual(second?.string("reason"), "not_allowed", "pingshan allows one extension")
        XCTAssertTrue(second?.string("message")?.contains("at most 1 extension") ?? false)

        for publisher in [unit, otherUnit, center, service] { await publisher.close() }
        await database.shutdown()
        for observer in [events, sms] { await observer.close(deleting: true, stack: stack) }
        for observer in [unitQueue, replies, centerReplies] { await observer.close(deleting: false, stack: stack) }
    }

    func testDeniedExtensionAndTicketsThatCannotBeExtended() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let events = Observer.bound(to: "hotline.events", routingKeys: ["ticket.#", "assignment.#", "command.#"], stack: stack)
        await events.waitUntilConnected()
        let unit = TestPublisher(user: "unit.CG", stack: stack)
        let center = TestPublisher(user: "center", stack: stack)
        func ask(_ assignmentID: String, days: Int) async throws -> Observer.Message? {
            let id = try await unit.publish(
                exchange: "hotline.commands", routingKey: "unit.request-extension", type: "unit.request-extension",
                body: SLAFixture.json(["assignment_id": assignmentID, "working_days": days, "reason": "需现场核查"]))
            return await events.wait(timeout: 20) { $0.properties.correlationID == id }.first
        }
        let national = try await SLAFixture.submit(kind: "suggestion", channel: "national", events: events, stack: stack)
        let refused = try await ask(national.assignmentID, days: 1)
        XCTAssertEqual(refused?.string("reason"), "not_allowed")
        XCTAssertTrue(refused?.string("message")?.contains("national") ?? false, refused?.string("message") ?? "")

        let complaint = try await SLAFixture.submit(kind: "complaint", events: events, stack: stack)
        let early = try await ask(complaint.assignmentID, days: 2)
        XCTAssertEqual(early?.string("reason"), "wrong_state", "a complaint not within 3 working days of signing")
        let missing = try await ask("PS-19990101-000001-CG", days: 1)
        XCTAssertEqual(missing?.string("reason"), "not_found")

        let suggestion = try await SLAFixture.submit(kind: "suggestion", events: events, stack: stack)
        let requested = try await ask(suggestion.assignmentID, days: 1)
        let requestID = try XCTUnwrap(requested?.string("request_id"))
        let decision = try await center.publish(
            exchange: "hotline.commands", routingKey: "center.decide-extension", type: "center.decide-extension",
            body: SLAFixture.json(["request_id": requestID, "approve": false, "note": "理由不充分"]))
        let denied = await events.wait(timeout: 20) { $0.properties.correlationID == decision }
        XCTAssertEqual(denied.first?.routingKey, "assignment.extension-denied")
        XCTAssertEqual(denied.first?.string("request_id"), requestID)
        let malformed = try await unit.publish(
            exchange: "hotline.commands", routingKey: "unit.request-extension", type: "unit.request-extension",
            body: Array(#"{"assignment_id": 12}"#.utf8))
        let invalid = await events.wait(timeout: 20) { $0.properties.correlationID == malformed }
        XCTAssertEqual(invalid.first?.string("reason"), "invalid")
        await unit.close()
        await center.close()
        await events.close(deleting: true, stack: stack)
    }

    // MARK: - Firing

    func testOverdueTickReportsWholeDaysOnceEach() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let events = Observer.bound(to: "hotline.events", routingKeys: ["sla.breached"], stack: stack)
        await events.waitUntilConnected()
        let database = stack.database()
        let run = "TICK-\(UUID().uuidString.prefix(6))"
        let deadline = Date().addingTimeInterval(-2 * 86_400 - 5)
        _ = try await database.withConnection { connection in
            try connection.query(
                """
                INSERT INTO sla_timers (subject, ticket_no, assignment_id, unit, deadline, action, purpose, due_at, deadline_at,
                                        days_overdue, created_at)
                VALUES ($1, $1, $1, 'CG', 'resolve', 'overdue', 'resolve.overdue', $2, $3, 2, $2)
                """, [run, Date(), deadline])
        }
        let ticks = await events.wait(timeout: 15) { $0.string("ticket_no") == run }
        XCTAssertEqual(ticks.first?.json["days_overdue"] as? Int, 2)
        XCTAssertEqual(ticks.first?.string("deadline"), "resolve")
        let next = try await database.withConnection { connection in
            try connection.query("SELECT due_at, days_overdue, state, fired_count FROM sla_timers WHERE subject = $1", [run])
        }
        XCTAssertEqual(next.count, 1)
        XCTAssertEqual(try next.first?.decode("state", as: String.self), "pending", "the tick stays armed")
        XCTAssertEqual(try next.first?.decode("days_overdue", as: Int.self), 3)
        XCTAssertEqual(try next.first?.decode("fired_count", as: Int.self), 1)
        let nextDue = try XCTUnwrap(try next.first?.decode("due_at", as: Date.self))
        XCTAssertEqual(nextDue.timeIntervalSince(deadline), 3 * 86_400, accuracy: 0.01)
        try await Task.sleep(for: .seconds(2))
        XCTAssertEqual(events.messages.filter { $0.string("ticket_no") == run }.count, 1, "each day once")
        _ = try await database.withConnection { try $0.query("DELETE FROM sla_timers WHERE subject = $1", [run]) }
        await database.shutdown()
        await events.close(deleting: true, stack: stack)
    }

    func testTwoTimerCopiesFireEveryTimerExactlyOnce() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let second = try platform.launch("sla-timer", port: stack.portBase + 13, key: "sla-timer-2")
        try await second.waitUntilHealthy()
        let events = Observer.bound(to: "hotline.events", routingKeys: ["sla.warning"], stack: stack)
        await events.waitUntilConnected()
        let database = stack.database()
        let run = "PAIR-\(UUID().uuidString.prefix(6))"
        let total = 3_000
        try await SLAFixture.insertTimers(run: run, count: total, spread: 6, database: database)

        let observed = await events.wait(forDistinct: total, timeout: 60, key: { $0.string("assignment_id") }) {
            $0.string("ticket_no")?.hasPrefix(run) == true
        }
        var eventIDs: [String: Set<String>] = [:]
        for message in observed { eventIDs[message.string("assignment_id") ?? "", default: []].insert(message.string("event_id") ?? "") }
        XCTAssertEqual(eventIDs.count, total, "every timer fired")
        XCTAssertTrue(eventIDs.values.allSatisfy { $0.count == 1 }, "no timer fired twice")
        let fired = try await database.withConnection { connection in
            try connection.query(
                """
                SELECT count(*) AS n, count(DISTINCT fired_by) AS copies, max(fired_count) AS most,
                       coalesce(max(extract(epoch FROM fired_at - due_at)), 0)::float8 AS worst
                FROM sla_timers WHERE subject LIKE $1 AND state = 'fired'
                """, ["\(run)-%"]).first
        }
        XCTAssertEqual(try fired?.decode("n", as: Int.self), total)
        XCTAssertEqual(try fired?.decode("most", as: Int.self), 1)
        XCTAssertEqual(try fired?.decode("copies", as: Int.self), 2, "both copies fired timers")
        XCTAssertLessThan(try fired?.decode("worst", as: Double.self) ?? 99, 1.5, "late by at most the poll interval")
        try await Task.sleep(for: .seconds(1))
        let extra = events.messages.filter { $0.string("ticket_no")?.hasPrefix(run) == true }
        XCTAssertEqual(Set(extra.compactMap { $0.string("event_id") }).count, total, "nothing more fired afterwards")
        platform.remove("sla-timer-2")?.terminate()
        try await SLAFixture.deleteTimers(run: run, database: database)
        await database.shutdown()
        await events.close(deleting: true, stack: stack)
    }

    func testKilledTimerRestartedLosesNothing() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let events = Observer.bound(to: "hotline.events", routingKeys: ["sla.warning"], stack: stack)
        await events.waitUntilConnected()
        let database = stack.database()
        let run = "KILL-\(UUID().uuidString.prefix(6))"
        let total = 2_000
        try await SLAFixture.insertTimers(run: run, count: total, spread: 8, database: database)
        try await SLAFixture.eventually("some timers fired before the crash") {
            try await database.scalar(
                "SELECT count(*) AS n FROM sla_timers WHERE subject LIKE $1 AND state = 'fired'", ["\(run)-%"]) > 100 ? true : nil
        }
        let timer = try XCTUnwrap(platform.process("sla-timer"))
        timer.kill()
        let firedAtCrash = try await database.scalar(
            "SELECT count(*) AS n FROM sla_timers WHERE subject LIKE $1 AND state = 'fired'", ["\(run)-%"])
        XCTAssertLessThan(firedAtCrash, total, "the crash came mid-stream")
        try await Task.sleep(for: .seconds(3))
        let restarted = try platform.launch("sla-timer", port: timer.httpPort)
        try await restarted.waitUntilHealthy()

        let observed = await events.wait(forDistinct: total, timeout: 90, key: { $0.string("assignment_id") }) {
            $0.string("ticket_no")?.hasPrefix(run) == true
        }
        var eventIDs: [String: Set<String>] = [:]
        for message in observed { eventIDs[message.string("assignment_id") ?? "", default: []].insert(message.string("event_id") ?? "") }
        XCTAssertEqual(eventIDs.count, total, "every timer fired, before or after the crash")
        XCTAssertTrue(eventIDs.values.allSatisfy { $0.count == 1 }, "none fired twice (a redelivery keeps its event id)")
        let wrong = try await database.scalar(
            "SELECT count(*) AS n FROM sla_timers WHERE subject LIKE $1 AND (state <> 'fired' OR fired_count <> 1)", ["\(run)-%"])
        XCTAssertEqual(wrong, 0)
        try await SLAFixture.deleteTimers(run: run, database: database)
        await database.shutdown()
        await events.close(deleting: true, stack: stack)
    }
}

/// Tickets, timers and checks for the SLA timer tests.
enum SLAFixture {
    struct Ticket {
        let ticketNo: String
        let assignmentID: String
        let phone: String
    }

    struct Timer: Equatable {
        let dueAt: Date
        let deadlineAt: Date
        let days: Int?
    }

    static func json(_ object: [String: Any]) -> [UInt8] {
        Array(try! JSONSerialization.data(withJSONObject: object))
    }

    /// Submits a demand for CG (占道经营) received now, and waits for its dispatch.
    static func submit(
        kind: String, urgency: String = "normal", channel: String = "hotline", events: Observer, stack: TestStack
    ) async throws -> Ticket {
        let id = "SLA-\(UUID().uuidString.prefix(12))"
        let phone = "139" + String(format: "%08d", Int.random(in: 0..<100_000_000))
        let gateway = TestPublisher(user: "gateway", stack: stack)
        defer { Task { await gateway.close() } }
        try await gateway.publish(
            exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit",
            body: json([
                "submission_id": id, "channel": channel, "received_at": RFC3339.string(from: Date().addingTimeInterval(-1)),
                "citizen": ["name": "李先生", "phone": phone, "anonymous": false], "kind": kind, "urgency": urgency,
                "category": "CG-001", "title": "路边摊贩占道", "description": "\(id) 门口流动摊贩占道经营，影响行人通行",
                "location": ["street": "坑梓街道", "community": "秀新社区", "address": "秀新路\(Int.random(in: 1...9999))号 \(id)"],
            ]))
        let accepted = await events.wait(timeout: 30) { $0.routingKey == "ticket.accepted" && $0.string("submission_id") == id }
        let ticketNo = try XCTUnwrap(accepted.first?.string("ticket_no"), "ticket.accepted for \(id)")
        let dispatched = await events.wait(timeout: 30) { $0.routingKey == "ticket.dispatched" && $0.string("ticket_no") == ticketNo }
        let assignments = try XCTUnwrap(dispatched.first?.json["assignments"] as? [[String: Any]], "ticket.dispatched for \(ticketNo)")
        let assignmentID = try XCTUnwrap(assignments.first?["assignment_id"] as? String)
        return Ticket(ticketNo: ticketNo, assignmentID: assignmentID, phone: phone)
    }

    /// The assignment's deadlines as the row of `assignments` holds them.
    static func assignmentDeadlines(_ assignmentID: String, database: Database) async throws -> [String: Date] {
        let text = try await database.withConnection { connection in
            try connection.query("SELECT deadlines::text AS d FROM assignments WHERE assignment_id = $1", [assignmentID])
                .first?.decode("d", as: String.self)
        }
        let object = (try? JSONSerialization.jsonObject(with: Data((text ?? "{}").utf8))) as? [String: Any] ?? [:]
        return object.compactMapValues { ($0 as? String).flatMap(RFC3339.date(from:)) }
    }

    /// The `deadlines` an event carries.
    static func deadlines(of message: Observer.Message?) -> [String: Date] {
        (message?.json["deadlines"] as? [String: Any] ?? [:]).compactMapValues { ($0 as? String).flatMap(RFC3339.date(from:)) }
    }

    /// Sends a command as the publisher's user and returns its outcome on `events`.
    static func command(
        _ events: Observer, _ publisher: TestPublisher, _ type: String, _ body: [String: Any]
    ) async throws -> Observer.Message? {
        let id = try await publisher.publish(exchange: "hotline.commands", routingKey: type, type: type, body: json(body))
        return await events.wait(timeout: 20) { $0.properties.correlationID == id }.first
    }

    /// The subject's pending timers by purpose: each armed timer and the later firings it carries.
    static func pendingTimers(subject: String, database: Database) async throws -> [String: Timer] {
        try await database.withConnection { connection in
            var timers: [String: Timer] = [:]
            for row in try connection.query(
                """
                SELECT purpose, due_at, deadline_at, days_overdue, later::text AS later
                FROM sla_timers WHERE subject = $1 AND state = 'pending'
                """, [subject])
            {
                timers[try row.decode("purpose")] = Timer(
                    dueAt: try row.decode("due_at"), deadlineAt: try row.decode("deadline_at"),
                    days: try row.decodeIfPresent("days_overdue"))
                for later in try TimerChain.decode(later: row.decodeIfPresent("later")) {
                    timers[later.purpose] = Timer(dueAt: later.dueAt, deadlineAt: later.deadlineAt, days: later.daysOverdue)
                }
            }
            return timers
        }
    }

    /// Inserts `count` warning timers due over the next `spread` seconds (subjects `<run>-<n>`).
    static func insertTimers(run: String, count: Int, spread: Double, database: Database) async throws {
        _ = try await database.withConnection { connection in
            try connection.query(
                """
                INSERT INTO sla_timers (subject, ticket_no, assignment_id, unit, deadline, action, purpose, due_at, deadline_at,
                                        created_at)
                SELECT $1 || '-' || g, $1 || '-' || g, $1 || '-' || g, 'CG', 'resolve', 'warning', 'resolve.warning.1',
                       $2::timestamptz + (g * $3::float8 / $4::int) * interval '1 second',
                       $2::timestamptz + interval '1 day', $2::timestamptz
                FROM generate_series(1, $4::int) AS g
                """, [run, Date().addingTimeInterval(0.5), spread, count])
        }
    }

    static func deleteTimers(run: String, database: Database) async throws {
        _ = try await database.withConnection { connection in
            try connection.query("DELETE FROM sla_timers WHERE subject LIKE $1", ["\(run)-%"])
        }
    }

    /// Polls `check` until it gives a value (or fails the test after `timeout` seconds).
    @discardableResult
    static func eventually<T: Sendable>(
        _ what: String, timeout: TimeInterval = 30, file: StaticString = #filePath, line: UInt = #line,
        _ check: @Sendable () async throws -> T?
    ) async throws -> T {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let value = try await check() { return value }
            if Date() >= deadline {
                XCTFail("timed out waiting: \(what)", file: file, line: line)
                throw TimedOut(what: what)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    struct TimedOut: Error {
        let what: String
    }

    /// `2026年12月3日18:00` in China Standard Time, as the citizen's SMS writes it.
    static func chineseDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%d年%d月%d日%02d:%02d", p.year!, p.month!, p.day!, p.hour!, p.minute!)
    }
}
