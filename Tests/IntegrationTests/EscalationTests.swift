import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage
import Synchronization
import XCTest

/// The escalation notifier through the real broker and database (issue #6): overdue tiers at their
/// boundaries, a resolution between tiers, urging once per warning, every alert kind once per window,
/// quiet hours, two notifier copies, and the quarterly cards at quarter end and from `hotlinectl cards`.
///
/// The notifier under test runs with a shifted clock (`HOTLINE_CLOCK_OFFSET_SECONDS`) so that its
/// "now" is a known working-hours instant (10:00 of a working day two or more days ahead) or a known
/// night (03:00 the same day), whatever the real time; the other services keep the real clock. Overdue ticks are
/// published as the sla-timer publishes them (user `svc.sla-timer`), for made-up assignments.
final class EscalationTests: XCTestCase {
    override class func tearDown() {
        EscalationHarness.closeShared()
        Platform.stopAll()
        super.tearDown()
    }

    // MARK: - Overdue tiers (PS §19)

    func testTierBoundariesAtThreeAndSevenDaysEachTierOnceInOrder() async throws {
        let h = try await EscalationHarness.shared()
        try await h.useNotifier(at: h.daytime)
        let assignment = h.id("A"), ticket = h.id("PS-T")
        // The breach itself (0 days) is no tier, but is recorded for the cards.
        try await h.processed(h.breached(assignment, ticket: ticket, days: 0))
        let overdue = try await h.database.scalar(
            "SELECT count(*)::int AS n FROM overdue_assignments WHERE assignment_id = $1", [assignment])
        XCTAssertEqual(overdue, 1)
        var tiers = try await h.tiersRaised(assignment)
        XCTAssertEqual(tiers, [])
        for (days, expected) in [(1, [1]), (2, [1]), (3, [1]), (4, [1, 2]), (5, [1, 2]), (6, [1, 2]), (7, [1, 2, 3]), (8, [1, 2, 3])] {
            try await h.processed(h.breached(assignment, ticket: ticket, days: days))
            tiers = try await h.tiersRaised(assignment)
            XCTAssertEqual(tiers, expected, "after the tick of day \(days)")
        }
        let raised = await h.events.wait(for: 3) { $0.routingKey == "escalation.raised" && $0.string("assignment_id") == assignment }
        XCTAssertEqual(raised.map { $0.json["tier"] as? Int }, [1, 2, 3], "each tier once, in order")
        let recipients = raised.map { (($0.json["recipients"] as? [[String: Any]])?.first ?? [:]) }
        XCTAssertEqual(recipients.map { $0["role"] as? String }, ["principal_head", "leader_in_charge", "district_principal"])
        XCTAssertEqual(recipients.map { $0["phone"] as? String }, ["13900000101", "13900000003", "13900000001"],
                       "contacts from the jurisdiction file")
        XCTAssertEqual(raised.map { $0.json["days_overdue"] as? Double }, [1, 4, 7])
        // One SMS per tier to its official, never twice.
        let sms = await h.notifications.wait(for: 3) { $0.routingKey == "sms.official" && $0.string("ticket_no") == ticket }
        let period = EscalationHarness.period
        XCTAssertEqual(sms.compactMap { $0.string("dedup_key") }, [
            "escalation:\(assignment):\(period):tier1:principal_head", "escalation:\(assignment):\(period):tier2:leader_in_charge",
            "escalation:\(assignment):\(period):tier3:district_principal",
        ])
        XCTAssertEqual(sms.compactMap { $0.string("template") }, ["escalation.tier1", "escalation.tier2", "escalation.tier3"])
        XCTAssertTrue(sms[0].string("text")?.contains("已超过办结期限1天") ?? false, sms[0].string("text") ?? "")
        XCTAssertTrue(sms[0].string("text")?.hasPrefix("【民情速报】") ?? false)
        XCTAssertEqual(sms.map { $0.properties.type }, ["notification", "notification", "notification"])
    }

    func testEachDeadlinePeriodEscalatesOnItsOwn() async throws {
        let h = try await EscalationHarness.shared()
        try await h.useNotifier(at: h.daytime)
        let assignment = h.id("A"), ticket = h.id("PS-T")
        try await h.processed(h.breached(assignment, ticket: ticket, days: 4))
        var tiers = try await h.tiersRaised(assignment)
        XCTAssertEqual(tiers, [1, 2])
        // Reopened for re-handling with a new deadline, and overdue again: the tiers start over.
        try await h.processed(h.breached(assignment, ticket: ticket, days: 1, dueAt: "2026-11-20T18:00:00+08:00"))
        tiers = try await h.tiersRaised(assignment)
        XCTAssertEqual(tiers, [1, 1, 2])
        let raised = await h.events.wait(for: 3) { $0.routingKey == "escalation.raised" && $0.string("assignment_id") == assignment }
        XCTAssertEqual(raised.map { $0.json["tier"] as? Int }, [1, 2, 1])
        let sms = await h.notifications.wait(for: 3) { $0.routingKey == "sms.official" && $0.string("ticket_no") == ticket }
        XCTAssertEqual(Set(sms.compactMap { $0.string("dedup_key") }).count, 3, "each period's tier 1 is its own SMS")
        // The first period's later ticks raise nothing again.
        try await h.processed(h.breached(assignment, ticket: ticket, days: 5))
        tiers = try await h.tiersRaised(assignment)
        XCTAssertEqual(tiers, [1, 1, 2])
    }

    func testANotifierThatMissedTheEarlierTicksRaisesEveryTierInOrder() async throws {
        let h = try await EscalationHarness.shared()
        try await h.useNotifier(at: h.daytime)
        let assignment = h.id("A"), ticket = h.id("PS-T")
        try await h.processed(h.breached(assignment, ticket: ticket, days: 9))
        let raised = await h.events.wait(for: 3) { $0.routingKey == "escalation.raised" && $0.string("assignment_id") == assignment }
        XCTAssertEqual(raised.map { $0.json["tier"] as? Int }, [1, 2, 3])
        try await h.processed(h.breached(assignment, ticket: ticket, days: 10))
        let tiers = try await h.tiersRaised(assignment)
        XCTAssertEqual(tiers, [1, 2, 3])
    }

    func testAResolutionBetweenTiersStopsTheEscalation() async throws {
        let h = try await EscalationHarness.shared()
        try await h.useNotifier(at: h.daytime)
        let assignment = h.id("A"), ticket = h.id("PS-T")
        try await h.processed(h.breached(assignment, ticket: ticket, days: 2))
        var tiers = try await h.tiersRaised(assignment)
        XCTAssertEqual(tiers, [1])
        let resolved = TicketResolved(
            eventID: UUID().uuidString, occurredAt: Date(), ticketNo: ticket, assignmentID: assignment, unit: "CG")
        try await h.processed(h.publishEvent("ticket.resolved", try HotlineJSON.encode(resolved), by: h.dispatcher))
        for days in [4, 7] {
            try await h.processed(h.breached(assignment, ticket: ticket, days: days))
        }
        tiers = try await h.tiersRaised(assignment)
        XCTAssertEqual(tiers, [1], "resolved after tier 1: no tier 2 or 3")
        // The later breaches are committed (above) without a notification: tier 1's is the only one.
        let rows = try await h.database.scalar("SELECT count(*)::int AS n FROM notifications WHERE ticket_no = $1", [ticket])
        XCTAssertEqual(rows, 1)
        let sms = await h.notifications.wait { $0.string("ticket_no") == ticket }
        XCTAssertEqual(sms.count, 1)
    }

    // MARK: - Urging (PS §18(一))

    func testTheSameWarningDeliveredTwiceUrgesTheUnitOnce() async throws {
        let h = try await EscalationHarness.shared()
        try await h.useNotifier(at: h.daytime)
        let unitQueue = Observer.existing(queue: "hotline.unit.CG", user: "unit.CG", stack: h.stack)
        await unitQueue.waitUntilConnected()
        let assignment = h.id("A"), ticket = h.id("PS-T")
        let due = Date().addingTimeInterval(3600)
        let warning = SLAWarning(
            eventID: UUID().uuidString, occurredAt: Date(), ticketNo: ticket, assignmentID: assignment, unit: "CG",
            deadline: .resolve, dueAt: due)
        let body = try HotlineJSON.encode(warning)
        let first = try await h.publishEvent("sla.warning", body)
        // The broker's redelivery of the same message, and a second copy under another message id.
        try await h.publishEvent("sla.warning", body, messageID: first)
        let second = try await h.publishEvent("sla.warning", body)
        try await h.processed(first)
        try await h.processed(second)
        let reminders = await unitQueue.wait { $0.properties.type == "assignment.reminder" && $0.string("assignment_id") == assignment }
        let reminder = try XCTUnwrap(reminders.first, "assignment.reminder in the unit's queue")
        XCTAssertEqual(reminder.string("ticket_no"), ticket)
        XCTAssertEqual(reminder.string("deadline"), "resolve")
        XCTAssertEqual(reminder.string("due_at").flatMap(RFC3339.date(from:))?.timeIntervalSince1970.rounded(),
                       due.timeIntervalSince1970.rounded(.down), "due_at in whole seconds, as the event carried it")
        let letters = await h.notifications.wait { $0.routingKey == "oa.unit" && $0.string("ticket_no") == ticket }
        let letter = try XCTUnwrap(letters.first, "an OA letter to the unit")
        XCTAssertEqual((letter.json["recipient"] as? [String: Any])?["unit_code"] as? String, "CG")
        XCTAssertTrue(letter.string("text")?.contains("催办") ?? false)
        // Both copies were handled before these counts: nothing more can come.
        XCTAssertEqual(unitQueue.messages.filter { $0.string("assignment_id") == assignment }.count, 1)
        XCTAssertEqual(h.notifications.messages.filter { $0.string("ticket_no") == ticket }.count, 1)
        await unitQueue.close(deleting: false, stack: h.stack)
    }

    // MARK: - Two copies

    func testTwoNotifierCopiesNeverSendANotificationTwice() async throws {
        let h = try await EscalationHarness.shared()
        try await h.useNotifier(at: h.daytime)
        let second = try h.startNotifier(at: h.daytime, port: h.stack.portBase + 12)
        defer { _ = second.terminate() }
        try await second.waitUntilHealthy()
        let batch = h.id("B")
        var messages: [OutgoingMessage] = []
        var ids: [String] = []
        var expectedKeys = Set<String>()
        for index in 0..<30 {
            let assignment = "\(batch)-W\(index)", ticket = "\(batch)-TW\(index)"
            let warning = SLAWarning(
                eventID: UUID().uuidString, occurredAt: Date(), ticketNo: ticket, assignmentID: assignment, unit: "CG",
                deadline: .resolve, dueAt: Date().addingTimeInterval(7200))
            let body = try HotlineJSON.encode(warning)
            for _ in 0..<2 {
                let (message, id) = h.eventMessage("sla.warning", body)
                messages.append(message)
                ids.append(id)
            }
            expectedKeys.insert("reminder:\(assignment):resolve:\(Int(warning.dueAt.timeIntervalSince1970)):\(Int(warning.occurredAt.timeIntervalSince1970))")
        }
        for index in 0..<10 {
            let assignment = "\(batch)-O\(index)", ticket = "\(batch)-TO\(index)"
            let breach = SLABreached(
                eventID: UUID().uuidString, occurredAt: Date(), ticketNo: ticket, assignmentID: assignment, unit: "CG",
                deadline: .resolve, dueAt: Date().addingTimeInterval(-8 * 86_400), daysOverdue: 8)
            let body = try HotlineJSON.encode(breach)
            for _ in 0..<2 {
                let (message, id) = h.eventMessage("sla.breached", body)
                messages.append(message)
                ids.append(id)
            }
            let period = "resolve@\(Int(breach.dueAt.timeIntervalSince1970))"
            for (tier, role) in [(1, "principal_head"), (2, "leader_in_charge"), (3, "district_principal")] {
                expectedKeys.insert("escalation:\(assignment):\(period):tier\(tier):\(role)")
            }
        }
        await h.sla.publishAll(messages.shuffled())
        for id in ids { try await h.processed(id) }
        let prefix = batch
        let seen = await h.notifications.wait(for: expectedKeys.count, timeout: 60) {
            $0.string("ticket_no")?.hasPrefix(prefix) ?? false
        }
        let keys = seen.compactMap { $0.string("dedup_key") }
        XCTAssertEqual(Set(keys), expectedKeys)
        XCTAssertEqual(keys.count, expectedKeys.count, "no dedup_key twice")
        let escalations = try await h.database.scalar(
            "SELECT count(*)::int AS n FROM escalations WHERE assignment_id LIKE $1", ["\(batch)-%"])
        XCTAssertEqual(escalations, 30)
        let allIDs = ids
        let handledBy = try await h.database.withConnection { connection in
            try connection.query(
                "SELECT count(*)::int AS n FROM processed_messages WHERE consumer = 'escalation-notifier' AND message_id = ANY($1)",
                [allIDs]).first?.decode("n", as: Int.self) ?? 0
        }
        XCTAssertEqual(handledBy, ids.count)
    }

    // MARK: - Early warnings (PS §17, DY (12))

    func testEveryAlertKindOncePerWindow() async throws {
        let h = try await EscalationHarness.shared()
        try await h.useNotifier(at: h.daytime)
        let safetyPlace = "安全\(h.runID)社区", hotPlace = "热点\(h.runID)社区", repeatPlace = "重复\(h.runID)社区"
        let sensitivePlace = "敏感\(h.runID)社区"

        // Urgent: the units the jurisdiction lists; fast: the street office of the street.
        let urgent = try await h.submit(h.id("U"), community: safetyPlace, urgency: "urgent", description: "楼下燃气泄漏，气味很重")
        let fast = try await h.submit(h.id("F"), community: safetyPlace, urgency: "fast", description: "路口井盖松动有安全隐患")
        let urgentAlert = try await h.alert("safety", ticket: urgent)
        XCTAssertEqual(urgentAlert.json["units"] as? [String], ["ZFW", "YJ", "XF"])
        let fastAlert = try await h.alert("safety", ticket: fast)
        XCTAssertEqual(fastAlert.json["units"] as? [String], ["KZ"])
        let warned = await h.notifications.wait(for: 6) { $0.string("ticket_no") == urgent }
        XCTAssertEqual(Set(warned.map(\.routingKey)), ["oa.unit", "sms.official"])
        XCTAssertEqual(Set(warned.compactMap { ($0.json["recipient"] as? [String: Any])?["unit_code"] as? String }), ["ZFW", "YJ", "XF"])
        XCTAssertTrue(warned.allSatisfy { $0.string("text")?.contains("紧急预警") ?? false })

        // Sensitive wording.
        let sensitive = try await h.submit(h.id("S"), community: sensitivePlace, description: "小区门口占道经营，业主准备集体上访")
        let sensitiveAlert = try await h.alert("sensitive", ticket: sensitive)
        XCTAssertEqual(sensitiveAlert.json["units"] as? [String], ["CG"])
        XCTAssertTrue(sensitiveAlert.string("note")?.contains("集体上访") ?? false)

        // Hotspot (3 citizens in 24 h) and high frequency (5 in 30 days): one alert each for five tickets.
        var hot: [String] = []
        for index in 0..<5 {
            hot.append(try await h.submit(h.id("H\(index)"), community: hotPlace))
        }
        for ticket in hot { try await h.accepted(ticket) }
        let hotspot = try await h.alert("hotspot", community: hotPlace)
        XCTAssertGreaterThanOrEqual(hotspot.json["count"] as? Int ?? 0, 3)
        XCTAssertEqual(hotspot.json["units"] as? [String], ["CG"])
        let frequent = try await h.alert("high_frequency", community: hotPlace)
        XCTAssertEqual(frequent.json["count"] as? Int, 5)

        // Repeat caller: one citizen, the same matter, three times (merged into the open ticket).
        let phone = "139" + String(format: "%08d", Int.random(in: 0..<100_000_000))
        var repeated: [String] = []
        for index in 0..<4 {
            repeated.append(try await h.submit(
                h.id("R\(index)"), community: repeatPlace, phone: phone, address: "重复路\(index)号", outcome: index == 0 ? "ticket.accepted" : nil))
        }
        let repeatAlert = try await h.alert("repeat_caller", community: repeatPlace)
        XCTAssertGreaterThanOrEqual(repeatAlert.json["count"] as? Int ?? 0, 3)
        XCTAssertTrue(repeatAlert.string("note")?.contains("现场督办") ?? false)
        XCTAssertFalse(String(decoding: repeatAlert.body, as: UTF8.self).contains(phone), "no phone number in the event")

        // Every submission handled by the notifier: still one alert per kind and window.
        for ticket in hot + repeated + [urgent, fast, sensitive] { try await h.noticed(ticket) }
        let places = [safetyPlace, hotPlace, repeatPlace, sensitivePlace]
        let alerts = h.events.messages.filter { $0.routingKey == "alert.raised" && places.contains($0.string("community") ?? "") }
        let kinds = alerts.compactMap { m in m.string("alert_kind").map { "\($0)@\(m.string("community") ?? "")" } }.sorted()
        XCTAssertEqual(kinds, [
            "high_frequency@\(hotPlace)", "hotspot@\(hotPlace)", "repeat_caller@\(repeatPlace)", "safety@\(safetyPlace)",
            "safety@\(safetyPlace)", "sensitive@\(sensitivePlace)",
        ])
        let keys = try await h.database.withConnection { connection in
            try connection.query(
                "SELECT window_key FROM alerts WHERE community = ANY($1) ORDER BY window_key", [places]
            ).map { try $0.decode("window_key", as: String.self) }
        }
        XCTAssertEqual(keys.count, 6)
        XCTAssertTrue(keys.contains { $0.hasPrefix("hotspot:CG-001:\(hotPlace):") }, "\(keys)")
        XCTAssertTrue(keys.contains("safety:\(urgent)"))
    }

    // MARK: - Quiet hours

    func testQuietHoursHoldOfficialsNotificationsUntilTheNextWorkingHour() async throws {
        let h = try await EscalationHarness.shared()
        try await h.useNotifier(at: h.night)
        let assignment = h.id("A"), ticket = h.id("PS-T")
        try await h.processed(h.breached(assignment, ticket: ticket, days: 1))
        let raised = await h.events.wait { $0.routingKey == "escalation.raised" && $0.string("assignment_id") == assignment }
        XCTAssertEqual(raised.first?.json["tier"] as? Int, 1, "the event goes at once")
        let key = "escalation:\(assignment):\(EscalationHarness.period):tier1:principal_head"
        let held = try await h.notificationRow(key)
        XCTAssertNil(held.sentAt, "held at night")
        XCTAssertEqual(held.sendAfter, h.morning, "the next working hour")
        XCTAssertTrue(h.notifications.messages.filter { $0.string("dedup_key") == key }.isEmpty)

        // An urgent ticket warns at once, night or not.
        let urgent = try await h.submit(h.id("U"), community: "夜间\(h.runID)社区", urgency: "urgent", description: "道路塌陷，车辆无法通行")
        let warned = await h.notifications.wait(for: 6) { $0.string("ticket_no") == urgent }
        XCTAssertEqual(warned.count, 6, "urgent: OA letters and SMS to the three warned units at once")

        // The working hour comes (the row's time is moved rather than the clock): released once.
        _ = try await h.database.withConnection { connection in
            try connection.query(
                "UPDATE notifications SET send_after = $2 WHERE dedup_key = $1",
                [key, h.night.addingTimeInterval(-3600)])
        }
        let released = await h.notifications.wait(timeout: 20) { $0.string("dedup_key") == key }
        XCTAssertEqual(released.count, 1)
        XCTAssertEqual(released.first?.routingKey, "sms.official")
        let sent = try await h.notificationRow(key)
        XCTAssertNotNil(sent.sentAt)
        try await h.useNotifier(at: h.daytime)
    }

    // MARK: - Red and yellow cards (PS §20(二))

    func testCardsAtQuarterEndAndOnDemandIdempotently() async throws {
        let h = try await EscalationHarness.shared()
        let letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        func unitCode() -> String { "Q" + String((0..<6).map { _ in letters.randomElement()! }) }
        // Quarters relative to the notifier's clock: `ended` is the quarter before its own.
        let ended = Quarter(containing: h.calendar.localDate(of: h.daytime)).previous
        let asked = ended.previous, before = asked.previous, below = before.previous
        func inside(_ quarter: Quarter) -> Date { h.calendar.instant(quarter.firstDay.adding(days: 40), secondsIntoDay: 36_000) }
        // Ten overdue assignments: the yellow threshold of pingshan.
        let endedUnit = unitCode(), onDemand = unitCode()
        try await h.overdue(unit: endedUnit, count: 10, at: inside(ended))
        try await h.overdue(unit: onDemand, count: 10, at: inside(asked))
        try await h.overdue(unit: onDemand, count: 10, at: inside(before))
        try await h.overdue(unit: onDemand, count: 9, at: inside(below))   // below the threshold

        // Quarter end: the quarter before the notifier's clock is computed once, when not done yet.
        _ = try await h.database.withConnection { try $0.query("DELETE FROM card_runs WHERE quarter = $1", [ended.description]) }
        try await h.restartNotifier(at: h.daytime)
        let endCards = await h.events.wait { $0.routingKey == "card.issued" && $0.string("unit") == endedUnit }
        XCTAssertEqual(endCards.first?.string("color"), "yellow")
        XCTAssertEqual(endCards.first?.string("quarter"), ended.description)
        let runs = try await h.database.scalar("SELECT count(*)::int AS n FROM card_runs WHERE quarter = $1", [ended.description])
        XCTAssertEqual(runs, 1)

        // On demand: yellow after a yellow quarter → yellow and red.
        let run = try await h.hotlinectl(["cards", "--quarter", asked.description, "--json"])
        XCTAssertEqual(run.status, 0, run.error)
        let cards = try h.cards(run.output, unit: onDemand)
        XCTAssertEqual(cards.map(\.color), ["yellow", "red"])
        XCTAssertEqual(cards.map(\.new), [true, true])
        let issued = await h.events.wait(for: 2) { $0.routingKey == "card.issued" && $0.string("unit") == onDemand }
        XCTAssertEqual(Set(issued.compactMap { $0.string("color") }), ["yellow", "red"])
        XCTAssertEqual(Set(issued.compactMap { $0.string("quarter") }), [asked.description])
        // Again: the same cards, nothing new, nothing issued twice.
        let again = try await h.hotlinectl(["cards", "--quarter", asked.description, "--json"])
        XCTAssertEqual(again.status, 0, again.error)
        let cardsAgain = try h.cards(again.output, unit: onDemand)
        XCTAssertEqual(cardsAgain.map(\.color), ["yellow", "red"])
        XCTAssertEqual(cardsAgain.map(\.new), [false, false])
        let outboxRows = try await h.database.scalar(
            "SELECT count(*)::int AS n FROM outbox WHERE type = 'card.issued' AND convert_from(body, 'UTF8') LIKE '%' || $1 || '%'",
            [onDemand])
        XCTAssertEqual(outboxRows, 2)
        // A unit outside the jurisdiction has no queue for a supervision notice: its red card opens no case.
        let noCase = try await h.database.scalar("SELECT count(*)::int AS n FROM supervisions WHERE unit = $1", [onDemand])
        XCTAssertEqual(noCase, 0)
        // The quarter before alone: yellow only (the one before it was below the threshold).
        let q1 = try await h.hotlinectl(["cards", "--quarter", before.description, "--json"])
        XCTAssertEqual(try h.cards(q1.output, unit: onDemand).map(\.color), ["yellow"])
        let bad = try await h.hotlinectl(["cards", "--quarter", "2026Q5"])
        XCTAssertNotEqual(bad.status, 0)
    }

    /// PS §20(二): a red card puts a unit of the jurisdiction under supervision (pingshan: `joint_notice`),
    /// once, and the unit gets the notice on its queue.
    func testARedCardPutsTheUnitUnderSupervision() async throws {
        let h = try await EscalationHarness.shared()
        // Two quarters long past, cleared of earlier runs' cards and cases; ten overdue assignments each.
        let red = Quarter(containing: h.calendar.localDate(of: h.daytime)).previous.previous.previous.previous.previous
        let yellow = red.previous
        _ = try await h.database.withConnection { connection in
            try connection.query("DELETE FROM supervisions WHERE unit = 'CG' AND card_quarter = $1", [red.description])
            try connection.query("DELETE FROM cards WHERE unit = 'CG' AND quarter IN ($1, $2)", [red.description, yellow.description])
        }
        for quarter in [red, yellow] {
            try await h.overdue(
                unit: "CG", count: 10, at: h.calendar.instant(quarter.firstDay.adding(days: 40), secondsIntoDay: 36_000))
        }
        let run = try await h.hotlinectl(["cards", "--quarter", red.description, "--json"])
        XCTAssertEqual(run.status, 0, run.error)
        XCTAssertTrue(try h.cards(run.output, unit: "CG").contains { $0.color == "red" && $0.new })
        let opened = await h.events.wait { $0.routingKey == "supervision.opened" && $0.string("unit") == "CG" && $0.string("ground") == "red_card" }
        XCTAssertEqual(opened.count, 1)
        XCTAssertEqual(opened.first?.string("mode"), "joint_notice")
        XCTAssertNil(opened.first?.string("ticket_no"))
        let cases = try await h.database.scalar(
            "SELECT count(*)::int AS n FROM supervisions WHERE unit = 'CG' AND card_quarter = $1 AND state = 'open'", [red.description])
        XCTAssertEqual(cases, 1)
        let outbox = try await h.database.scalar(
            """
            SELECT count(*)::int AS n FROM outbox WHERE type = 'supervision.opened' AND exchange = 'hotline.assignments'
              AND routing_key = 'CG' AND convert_from(body, 'UTF8') LIKE '%' || $1 || '%'
            """, [try XCTUnwrap(opened.first?.string("supervision_id"))])
        XCTAssertEqual(outbox, 1, "the notice to the unit's queue")
        // Computing the quarter again opens nothing more.
        let again = try await h.hotlinectl(["cards", "--quarter", red.description, "--json"])
        XCTAssertEqual(again.status, 0, again.error)
        let still = try await h.database.scalar("SELECT count(*)::int AS n FROM supervisions WHERE unit = 'CG' AND card_quarter = $1", [red.description])
        XCTAssertEqual(still, 1)
    }
}

extension EscalationTests {
    /// `center.compute-cards` that cannot be read is answered `invalid` once, by the notifier alone,
    /// and kept whole; one that can is answered with `cards.computed` (checked above through hotlinectl).
    func testCardsCommandRefusesAQuarterThatDoesNotExist() async throws {
        let h = try await EscalationHarness.shared()
        let center = TestPublisher(user: "center", stack: h.stack)
        let commandID = try await center.publish(
            exchange: "hotline.commands", routingKey: "center.compute-cards", type: "center.compute-cards",
            body: Array(#"{"quarter": "2026Q5"}"#.utf8))
        let rejected = await h.events.wait { $0.routingKey == "command.rejected" && $0.properties.correlationID == commandID }
        XCTAssertEqual(rejected.first?.string("reason"), "invalid")
        XCTAssertEqual(rejected.first?.string("message"), "malformed center.compute-cards: quarter must look like 2026Q3")
        let kept = try await h.database.scalar(
            "SELECT count(*)::int AS n FROM invalid_messages WHERE message_id = $1 AND consumer = 'escalation-notifier.commands'",
            [commandID])
        XCTAssertEqual(kept, 1)
        // Proof the platform got past it: a readable one after it is answered; still one rejection.
        let run = try await h.hotlinectl(["cards", "--quarter", "2020Q1", "--json"])
        XCTAssertEqual(run.status, 0, run.error)
        XCTAssertEqual(h.events.messages.filter { $0.properties.correlationID == commandID }.count, 1)
    }
}

// MARK: - Harness

/// The notifier under test, the observers and the publishers, shared by the tests of the class.
final class EscalationHarness: Sendable {
    private static let instance = Mutex<EscalationHarness?>(nil)

    /// 10:00 of the first working day after tomorrow's date (local): working hours. The notifier's
    /// clock is set ahead of the real one, never behind: the outbox relays of the other services
    /// (real clock) then leave the rows it claims alone, as they would with one clock.
    let daytime: Date
    /// 03:00 of the same day: outside working hours.
    let night: Date
    /// 09:00 of the same day: when notifications held at night go.
    let morning: Date
    let calendar: WorkingCalendar

    let platform: Platform
    let stack: TestStack
    let runID: String
    let events: Observer
    let notifications: Observer
    let sla: TestPublisher
    /// Publishes what the dispatcher publishes (`ticket.resolved`), as user `svc.dispatcher`.
    let dispatcher: TestPublisher
    let gateway: TestPublisher
    let database: Database
    private let notifier = Mutex<(process: ServiceProcess, target: Date)?>(nil)
    private let counter = Mutex(0)

    private init(platform: Platform, calendar: WorkingCalendar) throws {
        self.platform = platform
        self.calendar = calendar
        var day = calendar.localDate(of: Date()).adding(days: 2)
        while !(try calendar.checkedIsWorkingDay(day)) { day = day.adding(days: 1) }
        daytime = calendar.instant(day, secondsIntoDay: 10 * 3600)
        night = calendar.instant(day, secondsIntoDay: 3 * 3600)
        morning = calendar.instant(day, secondsIntoDay: 9 * 3600)
        stack = platform.stack
        runID = String(UUID().uuidString.prefix(6))
        events = Observer.bound(
            to: "hotline.events", routingKeys: ["escalation.raised", "alert.raised", "card.issued", "supervision.opened", "ticket.#", "command.rejected"],
            stack: stack)
        notifications = Observer.bound(to: "hotline.notifications", stack: stack)
        sla = TestPublisher(user: "svc.sla-timer", stack: stack)
        dispatcher = TestPublisher(user: "svc.dispatcher", stack: stack)
        gateway = TestPublisher(user: "gateway", stack: stack)
        database = stack.database()
    }

    static func shared() async throws -> EscalationHarness {
        let platform = try await Platform.start()
        if let harness = instance.withLock({ $0 }) { return harness }
        let referenceDatabase = platform.stack.database()
        let reference = try await ReferenceData.load(
            database: referenceDatabase,
            profileFile: URL(fileURLWithPath: platform.stack.repoRoot).appendingPathComponent("deploy/profiles/pingshan.yaml"))
        await referenceDatabase.shutdown()
        let harness = try EscalationHarness(platform: platform, calendar: reference.calendar)
        // The platform's own notifier runs on the real clock: this class runs its own instead.
        _ = platform.remove("escalation-notifier")?.terminate()
        await harness.events.waitUntilConnected()
        await harness.notifications.waitUntilConnected()
        instance.withLock { $0 = harness }
        return harness
    }

    static func closeShared() {
        guard let harness = instance.withLock({ value -> EscalationHarness? in defer { value = nil }; return value }) else { return }
        if let current = harness.notifier.withLock({ $0 }) { _ = current.process.terminate() }
        let done = DispatchSemaphore(value: 0)
        Task {
            await harness.events.close(deleting: true, stack: harness.stack)
            await harness.notifications.close(deleting: true, stack: harness.stack)
            await harness.sla.close()
            await harness.dispatcher.close()
            await harness.gateway.close()
            await harness.database.shutdown()
            done.signal()
        }
        _ = done.wait(timeout: .now() + 20)
    }

    func id(_ prefix: String) -> String {
        let n = counter.withLock { $0 += 1; return $0 }
        return "\(prefix)-\(runID)-\(n)"
    }

    // MARK: Notifier processes

    func startNotifier(at target: Date, port: Int) throws -> ServiceProcess {
        let offset = target.timeIntervalSince(Date())
        return try ServiceProcess(
            "escalation-notifier", stack: stack, httpPort: port,
            extraEnvironment: ["HOTLINE_CLOCK_OFFSET_SECONDS": String(offset), "HOTLINE_NOTIFY_POLL_SECONDS": "0.2"])
    }

    /// Makes sure the notifier under test runs with its clock at `target`.
    func useNotifier(at target: Date) async throws {
        if notifier.withLock({ $0?.target }) == target, notifier.withLock({ $0?.process.isRunning }) == true { return }
        try await restartNotifier(at: target)
    }

    func restartNotifier(at target: Date) async throws {
        if let current = notifier.withLock({ $0 }) { _ = current.process.terminate() }
        let process = try startNotifier(at: target, port: stack.portBase + 11)
        notifier.withLock { $0 = (process, target) }
        try await process.waitUntilHealthy()
    }

    // MARK: Publishing

    func eventMessage(_ type: String, _ body: Data, messageID: String = UUID().uuidString) -> (OutgoingMessage, String) {
        (OutgoingMessage(
            exchange: "hotline.events", routingKey: type,
            properties: AMQPProperties(messageID: messageID, type: type, userID: sla.user, timestamp: Date()),
            body: Array(body), mandatory: false), messageID)
    }

    @discardableResult
    func publishEvent(
        _ type: String, _ body: Data, messageID: String = UUID().uuidString, by publisher: TestPublisher? = nil
    ) async throws -> String {
        try await (publisher ?? sla).publish(exchange: "hotline.events", routingKey: type, type: type, body: Array(body), messageID: messageID)
    }

    /// A daily overdue tick of the resolve deadline, as the sla-timer sends it.
    /// The resolve deadline the overdue ticks of `breached` report by default.
    static let dueAt = "2026-11-10T18:00:00+08:00"
    /// Its period in the escalation SMS's dedup keys.
    static let period = "resolve@\(Int(RFC3339.date(from: dueAt)!.timeIntervalSince1970))"

    func breached(
        _ assignment: String, ticket: String, days: Int, unit: String = "CG", dueAt: String = EscalationHarness.dueAt
    ) async throws -> String {
        let event = SLABreached(
            eventID: UUID().uuidString, occurredAt: Date(), ticketNo: ticket, assignmentID: assignment, unit: unit,
            deadline: .resolve, dueAt: RFC3339.date(from: dueAt)!, daysOverdue: days)
        return try await publishEvent("sla.breached", try HotlineJSON.encode(event))
    }

    /// Submits a demand as the gateway; returns the ticket number of its outcome (`outcome`:
    /// `ticket.accepted` by default, any ticket outcome when nil).
    func submit(
        _ submissionID: String, community: String, urgency: String? = nil, description: String = "小区门口有流动摊贩占道经营，影响通行",
        phone: String? = nil, address: String? = nil, outcome: String? = "ticket.accepted"
    ) async throws -> String {
        var object: [String: Any] = [
            "submission_id": submissionID, "channel": "hotline",
            "received_at": RFC3339.string(from: Date().addingTimeInterval(-60)),
            "citizen": ["name": "市民", "phone": phone ?? SampleSubmission.phone(for: submissionID), "anonymous": false],
            "kind": "complaint", "category": "CG-001", "title": "占道经营", "description": description,
            "location": ["street": "坑梓街道", "community": community, "address": address ?? "测试路\(submissionID)号"],
        ]
        if let urgency { object["urgency"] = urgency }
        let messageID = try await gateway.publish(
            exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit",
            body: Array(try JSONSerialization.data(withJSONObject: object)))
        let outcomes = await events.wait(timeout: 30) {
            $0.properties.correlationID == messageID && (outcome == nil ? $0.routingKey.hasPrefix("ticket.") : $0.routingKey == outcome)
        }
        guard let ticketNo = outcomes.first?.string("ticket_no") else {
            throw Failure("no \(outcome ?? "ticket") outcome for \(submissionID)")
        }
        return ticketNo
    }

    func accepted(_ ticketNo: String) async throws {
        let seen = await events.wait { $0.routingKey == "ticket.accepted" && $0.string("ticket_no") == ticketNo }
        guard !seen.isEmpty else { throw Failure("ticket.accepted for \(ticketNo) not seen") }
    }

    /// Waits until the notifier handled the intake outcome event of a ticket.
    func noticed(_ ticketNo: String) async throws {
        let outcome = events.messages.first {
            ["ticket.accepted", "ticket.merged"].contains($0.routingKey) && $0.string("ticket_no") == ticketNo
        }
        guard let id = outcome?.properties.messageID else { throw Failure("no outcome event for \(ticketNo)") }
        try await processed(id)
    }

    func alert(_ kind: String, ticket: String? = nil, community: String? = nil) async throws -> Observer.Message {
        let found = await events.wait {
            $0.routingKey == "alert.raised" && $0.string("alert_kind") == kind
                && (ticket == nil || $0.string("ticket_no") == ticket) && (community == nil || $0.string("community") == community)
        }
        guard let first = found.first else { throw Failure("no \(kind) alert for \(ticket ?? community ?? "?")") }
        return first
    }

    // MARK: Database

    /// Waits until the notifier recorded the message as processed.
    func processed(_ messageID: String, timeout: TimeInterval = 30) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let n = try await database.scalar(
                "SELECT count(*)::int AS n FROM processed_messages WHERE consumer = 'escalation-notifier' AND message_id = $1",
                [messageID])
            if n > 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Failure("the notifier did not handle \(messageID) within \(timeout) s")
    }

    func tiersRaised(_ assignment: String) async throws -> [Int] {
        try await database.withConnection { connection in
            try connection.query("SELECT tier FROM escalations WHERE assignment_id = $1 ORDER BY tier", [assignment])
                .map { try $0.decode("tier", as: Int.self) }
        }
    }

    func notificationRow(_ key: String) async throws -> (sendAfter: Date?, sentAt: Date?) {
        try await database.withConnection { connection in
            guard let row = try connection.query(
                "SELECT send_after, sent_at FROM notifications WHERE dedup_key = $1", [key]).first
            else { throw Failure("no notification \(key)") }
            return (try row.decodeIfPresent("send_after", as: Date.self), try row.decodeIfPresent("sent_at", as: Date.self))
        }
    }

    func overdue(unit: String, count: Int, at deadline: Date) async throws {
        let prefix = id("OA")
        _ = try await database.withConnection { connection in
            for index in 0..<count {
                try connection.query(
                    """
                    INSERT INTO overdue_assignments (assignment_id, deadline, ticket_no, unit, deadline_at, recorded_at)
                    VALUES ($1, 'resolve', NULL, $2, $3, $3)
                    """, ["\(prefix)-\(index)", unit, deadline])
            }
        }
    }

    // MARK: hotlinectl

    /// Runs the built `hotlinectl` with the sandbox's environment.
    func hotlinectl(_ arguments: [String], timeout: TimeInterval = 60) async throws -> Ctl.Run {
        try await Ctl.run(stack, arguments, timeout: timeout)
    }

    func cards(_ json: String, unit: String) throws -> [(color: String, new: Bool)] {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let cards = object?["cards"] as? [[String: Any]] ?? []
        return cards.filter { $0["unit"] as? String == unit }.map { ($0["color"] as? String ?? "", $0["new"] as? Bool ?? false) }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
