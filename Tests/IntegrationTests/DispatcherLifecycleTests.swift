import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineStorage
import Synchronization
import XCTest

/// The dispatcher end to end through the broker and the database: every dispatch mode, every
/// assignment transition and refusal, repeated and malformed commands, forged senders, two
/// dispatcher copies racing on a parallel claim, and the `hotlinectl unit|center` commands.
final class DispatcherLifecycleTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    // MARK: - Sole assignment: sign, notices, resolution review, reopen

    func testSoleAssignmentFromSignThroughReviewToReopen() async throws {
        try await withHarness { h in
            let ticketNo = try await h.submit(category: "CG-001")
            let created = try await h.created(ticketNo, unit: "CG")
            let assignmentID = try XCTUnwrap(created.string("assignment_id"))
            XCTAssertEqual(created.string("role"), "sole")
            XCTAssertEqual(created.json["return_allowed"] as? Bool, true)

            // Another unit may not touch it; a center command from anyone but the center is refused.
            try await h.expectRejected(h.command("unit.ZJ", "unit.sign", ["assignment_id": assignmentID]), "forbidden")
            try await h.expectRejected(
                h.command(nil, "center.decide-resolution", ["assignment_id": assignmentID, "approve": true, "note": "x"]),
                "forbidden")
            try await h.expectRejected(
                h.command("guest", "center.decide-resolution", ["assignment_id": assignmentID, "approve": true, "note": "x"]),
                "forbidden")
            // Nothing but signing (or a return) before signing.
            try await h.expectRejected(
                h.command("unit.CG", "unit.notify-citizen", h.notice(assignmentID)), "wrong_state")

            let signID = UUID().uuidString
            let signed = try await h.command("unit.CG", "unit.sign", ["assignment_id": assignmentID], messageID: signID)
            XCTAssertEqual(signed.string("type"), "assignment.signed")
            XCTAssertEqual(signed.json["auto"] as? Bool, false)
            XCTAssertEqual(signed.string("command_id"), signID)
            XCTAssertEqual(signed.string("unit"), "CG")
            XCTAssertNotNil((signed.json["deadlines"] as? [String: Any])?["notify_by"], "signing moves the notice deadline")
            let reply = try await h.reply("unit.CG", correlationID: signID)
            XCTAssertEqual(reply.string("event_id"), signed.string("event_id"))

            // The same command again: the same outcome again on the reply queue, not a second event.
            try await h.command("unit.CG", "unit.sign", ["assignment_id": assignmentID], messageID: signID, waitForOutcome: false)
            let replies = await h.replies("unit.CG").wait(for: 2) { $0.properties.correlationID == signID }
            XCTAssertEqual(replies.count, 2)
            XCTAssertEqual(Set(replies.compactMap { $0.string("event_id") }), [signed.string("event_id")!])
            try await h.expectRejected(h.command("unit.CG", "unit.sign", ["assignment_id": assignmentID]), "wrong_state")
            XCTAssertEqual(h.events.messages.filter { $0.routingKey == "assignment.signed" && $0.string("assignment_id") == assignmentID }.count, 1)
            expectEqual(try await h.scalar("SELECT count(*) AS n FROM command_outcomes WHERE command_id = $1", [signID]), 1)

            let notified = try await h.command("unit.CG", "unit.notify-citizen", h.notice(assignmentID))
            XCTAssertEqual(notified.string("type"), "assignment.citizen-notified")
            XCTAssertEqual(notified.string("stage"), "acceptance")
            expectEqual(try await h.scalar("SELECT count(*) AS n FROM citizen_notices WHERE assignment_id = $1", [assignmentID]), 1)
            // A progress notice is the feedback: the row records it, as it records the acceptance notice.
            var progress = h.notice(assignmentID)
            progress["stage"] = "progress"
            let progressed = try await h.command("unit.CG", "unit.notify-citizen", progress)
            XCTAssertEqual(progressed.string("stage"), "progress")
            expectEqual(try await h.scalar(
                "SELECT count(*) AS n FROM assignments WHERE assignment_id = $1 AND notified_at IS NOT NULL AND feedback_at IS NOT NULL",
                [assignmentID]), 1)

            // Resolution: submitted, rejected (back to the unit, deadline unchanged), submitted again, approved.
            let submitted = try await h.command("unit.CG", "unit.submit-resolution", h.resolution(assignmentID))
            XCTAssertEqual(submitted.string("type"), "assignment.resolution-submitted")
            XCTAssertEqual(submitted.string("resolution_kind"), "final")
            try await h.expectRejected(h.command("unit.CG", "unit.submit-resolution", h.resolution(assignmentID)), "wrong_state")
            let rejected = try await h.command(
                "center", "center.decide-resolution", ["assignment_id": assignmentID, "approve": false, "note": "请补充处理结果"])
            XCTAssertEqual(rejected.string("type"), "ticket.resolution-rejected")
            let update = await h.unit("CG").wait { $0.properties.type == "assignment.updated" && $0.string("assignment_id") == assignmentID }
            XCTAssertEqual(update.first?.string("reason"), "resolution_rejected")
            XCTAssertEqual(
                (update.first?.json["deadlines"] as? [String: Any])?["resolve_by"] as? String,
                (signed.json["deadlines"] as? [String: Any])?["resolve_by"] as? String, "the deadline neither pauses nor resets")
            try await h.expectRejected(
                h.command("center", "center.decide-resolution", ["assignment_id": assignmentID, "approve": true, "note": ""]),
                "wrong_state")
            _ = try await h.command("unit.CG", "unit.submit-resolution", h.resolution(assignmentID))
            let resolved = try await h.command(
                "center", "center.decide-resolution", ["assignment_id": assignmentID, "approve": true, "note": "同意办结"])
            XCTAssertEqual(resolved.string("type"), "ticket.resolved")
            XCTAssertEqual(resolved.string("outcome"), "resolved")
            expectEqual(try await h.text("SELECT status AS t FROM ticket_status WHERE ticket_no = $1", [ticketNo]), "resolved")
            expectEqual(try await h.text("SELECT state AS t FROM assignments WHERE assignment_id = $1", [assignmentID]), "resolved")

            // The survey reopens it: the unit re-handles it with the profile's re-handling deadline,
            // planned from the survey's reopening and published for the sla-timer.
            let reopenedAt = try await h.publishEvent("ticket.reopened", [
                "ticket_no": ticketNo, "assignment_id": assignmentID, "reason": "low_rating", "survey_id": "SV-\(ticketNo)",
            ])
            let reopened = await h.unit("CG").wait { $0.properties.type == "assignment.reopened" && $0.string("assignment_id") == assignmentID }
            let message = try XCTUnwrap(reopened.first)
            XCTAssertEqual(message.string("reason"), "low_rating")
            let deadlines = try XCTUnwrap(message.json["deadlines"] as? [String: String])
            XCTAssertGreaterThan(try XCTUnwrap(deadlines["resolve_by"].flatMap(ISO8601DateFormatter().date(from:))), Date())
            let replanned = await h.events.wait { $0.routingKey == "assignment.replanned" && $0.string("assignment_id") == assignmentID }
            let event = try XCTUnwrap(replanned.first)
            XCTAssertEqual(event.string("reason"), "reopened")
            XCTAssertEqual(event.string("unit"), "CG")
            XCTAssertEqual(event.json["deadlines"] as? [String: String], deadlines, "the unit and the sla-timer get the same deadlines")
            XCTAssertEqual(event.string("reopened_at").flatMap(ISO8601DateFormatter().date(from:)), reopenedAt)
            expectEqual(try await h.text("SELECT state AS t FROM assignments WHERE assignment_id = $1", [assignmentID]), "signed")
            expectEqual(try await h.scalar("SELECT reopen_count AS n FROM assignments WHERE assignment_id = $1", [assignmentID]), 1)
        }
    }

    // MARK: - Malformed, unknown and foreign commands

    func testBadUnknownAndForeignCommands() async throws {
        try await withHarness { h in
            let notJSON = try await h.raw("unit.CG", "unit.sign", Array("{\"assignment_id\": ".utf8))
            try h.expectRejected(notJSON, "invalid")
            XCTAssertTrue(notJSON.string("message")?.contains("JSON") ?? false, notJSON.string("message") ?? "")
            try h.expectRejected(try await h.raw("unit.CG", "unit.sign", [0x7b, 0xff, 0xfe, 0x7d]), "invalid")
            let missing = try await h.raw("unit.CG", "unit.sign", Array("{}".utf8))
            try h.expectRejected(missing, "invalid")
            XCTAssertTrue(missing.string("message")?.contains("assignment_id") ?? false, missing.string("message") ?? "")
            let unknown = try await h.command("unit.CG", "unit.frobnicate", ["assignment_id": "X"])
            try h.expectRejected(unknown, "invalid")
            XCTAssertEqual(unknown.string("command_type"), "unit.frobnicate")
            try await h.expectRejected(h.command("center", "center.foo", ["x": 1]), "invalid")
            try await h.expectRejected(h.command("unit.CG", "unit.sign", ["assignment_id": "PS-NOPE-CG"]), "not_found")
            try await h.expectRejected(
                h.command("center", "center.dispatch", ["ticket_no": "PS-19000101-000001", "mode": "sole", "units": ["CG"]]),
                "not_found")
            let kept = try await h.scalar("SELECT count(*) AS n FROM invalid_messages WHERE consumer = 'dispatcher.commands'")
            XCTAssertGreaterThanOrEqual(kept, 3, "unreadable commands are kept whole")

            // Another service's command gets no outcome from the dispatcher: it is only noted as seen.
            let foreign = UUID().uuidString
            try await h.command(
                "unit.CG", "unit.request-extension", ["assignment_id": "PS-NOPE-CG", "working_days": 2, "reason": "r"],
                messageID: foreign, waitForOutcome: false)
            try await h.poll("the dispatcher saw the foreign command") {
                try await h.scalar(
                    "SELECT count(*) AS n FROM processed_messages WHERE consumer = 'dispatcher.foreign-commands' AND message_id = $1",
                    [foreign]) == 1
            }
            // Its one outcome comes from the sla-timer (`not_found` here); the dispatcher, which has
            // committed its handling above, adds none.
            let answers = await h.events.wait { $0.properties.correlationID == foreign }
            expectEqual(answers.count, 1)
            expectEqual(answers.first?.string("reason"), "not_found")
            expectEqual(try await h.scalar("SELECT count(*) AS n FROM command_outcomes WHERE command_id = $1", [foreign]), 1)
        }
    }

    // MARK: - Lead and co-units

    func testCoUnitsReportTheirPartsToTheLeadBeforeItResolves() async throws {
        try await withHarness { h in
            let ticketNo = try await h.submit(category: "CG-002")
            let lead = try await h.created(ticketNo, unit: "CG")
            XCTAssertEqual(lead.string("role"), "lead")
            XCTAssertEqual(Set(lead.json["co_units"] as? [String] ?? []), ["ZJ", "GT"])
            let zj = try await h.created(ticketNo, unit: "ZJ")
            let gt = try await h.created(ticketNo, unit: "GT")
            XCTAssertEqual(zj.string("role"), "co")
            XCTAssertEqual(zj.string("lead_unit"), "CG")
            let leadID = try XCTUnwrap(lead.string("assignment_id"))
            let zjID = try XCTUnwrap(zj.string("assignment_id")), gtID = try XCTUnwrap(gt.string("assignment_id"))
            for (user, id) in [("unit.CG", leadID), ("unit.ZJ", zjID), ("unit.GT", gtID)] {
                expectEqual(try await h.command(user, "unit.sign", ["assignment_id": id]).string("type"), "assignment.signed")
            }
            let early = try await h.command("unit.CG", "unit.submit-resolution", h.resolution(leadID))
            try h.expectRejected(early, "wrong_state")
            XCTAssertTrue(early.string("message")?.contains("ZJ") ?? false, early.string("message") ?? "")
            try await h.expectRejected(h.command("unit.ZJ", "unit.submit-resolution", h.resolution(zjID)), "not_allowed")
            try await h.expectRejected(
                h.command("unit.CG", "unit.report-part", ["assignment_id": leadID, "result": "x"]), "not_allowed")

            let part = try await h.command("unit.ZJ", "unit.report-part", ["assignment_id": zjID, "result": "已核查无违建审批"])
            XCTAssertEqual(part.string("type"), "assignment.resolution-submitted")
            XCTAssertEqual(part.string("resolution_kind"), "part")
            let toLead = await h.unit("CG").wait { $0.properties.type == "assignment.updated" && $0.string("assignment_id") == leadID }
            XCTAssertEqual(toLead.first?.string("reason"), "part_reported")
            XCTAssertTrue(toLead.first?.string("note")?.contains("已核查无违建审批") ?? false)
            try await h.expectRejected(h.command("unit.CG", "unit.submit-resolution", h.resolution(leadID)), "wrong_state")
            _ = try await h.command("unit.GT", "unit.report-part", ["assignment_id": gtID, "result": "土地权属清楚"])
            _ = try await h.command("unit.CG", "unit.submit-resolution", h.resolution(leadID))
            let resolved = try await h.command("center", "center.decide-resolution", ["assignment_id": leadID, "approve": true, "note": "ok"])
            XCTAssertEqual(resolved.string("type"), "ticket.resolved")
            for (unit, id) in [("ZJ", zjID), ("GT", gtID)] {
                let closed = await h.unit(unit).wait { $0.properties.type == "assignment.cancelled" && $0.string("assignment_id") == id }
                XCTAssertEqual(closed.first?.string("reason"), "closed", unit)
            }
        }
    }

    // MARK: - Parallel dispatch, raced by two dispatcher copies

    func testParallelClaimRacedByTwoDispatchersHasExactlyOneWinner() async throws {
        try await withHarness { h in
            let second = try h.platform.launch("dispatcher", port: h.stack.portBase + 21, key: "dispatcher-race")
            try await second.waitUntilHealthy()
            defer { h.platform.remove("dispatcher-race")?.terminate() }
            let manual = h.observe(queue: "hotline.dispatch.manual", user: "center")
            await manual.waitUntilConnected()
            for round in 0..<4 {
                let ticketNo = try await h.submit(category: nil)
                let queued = await manual.wait { $0.string("ticket_no") == ticketNo }
                XCTAssertEqual(queued.first?.properties.type, "ticket.dispatch-manual")
                XCTAssertEqual(queued.first?.string("reason"), "no_category")
                let dispatched = try await h.command(
                    "center", "center.dispatch", ["ticket_no": ticketNo, "mode": "parallel", "units": ["CG", "ZJ", "JT"]])
                XCTAssertEqual(dispatched.string("type"), "ticket.dispatched")
                XCTAssertEqual(dispatched.string("mode"), "parallel")
                XCTAssertEqual(dispatched.json["manual"] as? Bool, true)
                var found: [String: String] = [:]
                for unit in ["CG", "ZJ", "JT"] {
                    let created = try await h.created(ticketNo, unit: unit)
                    XCTAssertEqual(created.string("role"), "parallel")
                    found[unit] = created.string("assignment_id")
                }
                let ids = found
                // CG and ZJ sign at the same moment.
                async let first = h.command("unit.CG", "unit.sign", ["assignment_id": ids["CG"]!])
                async let other = h.command("unit.ZJ", "unit.sign", ["assignment_id": ids["ZJ"]!])
                let outcomes = try await [first, other]
                let winners = outcomes.filter { $0.string("type") == "assignment.signed" }
                let losers = outcomes.filter { $0.string("type") == "command.rejected" }
                XCTAssertEqual(winners.count, 1, "round \(round): exactly one claim wins")
                XCTAssertEqual(losers.count, 1, "round \(round)")
                XCTAssertEqual(losers.first?.string("reason"), "wrong_state")
                let winner = try XCTUnwrap(winners.first?.string("unit"))
                for unit in ["CG", "ZJ", "JT"] where unit != winner {
                    let cancelled = await h.unit(unit).wait {
                        $0.properties.type == "assignment.cancelled" && $0.string("assignment_id") == ids[unit]
                    }
                    XCTAssertEqual(cancelled.first?.string("reason"), "claimed_by_other", "round \(round), \(unit)")
                }
                expectEqual(
                    try await h.scalar("SELECT count(*) AS n FROM assignments WHERE ticket_no = $1 AND state = 'signed'", [ticketNo]), 1)
                expectEqual(
                    try await h.scalar("SELECT count(*) AS n FROM assignments WHERE ticket_no = $1 AND state = 'cancelled'", [ticketNo]), 2)
                // The ticket is taken: JT can no longer claim it.
                try await h.expectRejected(h.command("unit.JT", "unit.sign", ["assignment_id": ids["JT"]!]), "wrong_state")
            }
        }
    }

    // MARK: - First-responsible, territorial, manual

    func testFirstResponsibleTerritorialAndManualDispatch() async throws {
        try await withHarness { h in
            // Territorial: the street office of the ticket's street.
            let local = try await h.submit(category: "SQ-002", street: "坑梓街道")
            let office = try await h.created(local, unit: "KZ")
            XCTAssertEqual(office.string("role"), "territorial")

            // A street named without its suffix is the same street.
            let short = try await h.submit(category: "SQ-002", street: "坑梓")
            expectEqual((try await h.created(short, unit: "KZ")).string("role"), "territorial")

            // A territorial matter without a street: manual, then the center names the office.
            let unknownStreet = try await h.submit(category: "SQ-002", street: nil)
            let manual = await h.events.wait { $0.routingKey == "ticket.dispatch-manual" && $0.string("ticket_no") == unknownStreet }
            XCTAssertEqual(manual.first?.string("reason"), "unknown_street")
            expectEqual(try await h.text("SELECT status AS t FROM ticket_status WHERE ticket_no = $1", [unknownStreet]), "manual")
            try await h.expectRejected(
                h.command("center", "center.dispatch", ["ticket_no": unknownStreet, "mode": "parallel", "units": ["CG", "NOPE"]]),
                "invalid")
            try await h.expectRejected(
                h.command("center", "center.dispatch", ["ticket_no": unknownStreet, "mode": "sole", "units": ["CG", "ZJ"]]),
                "invalid")
            let territorial = try await h.command(
                "center", "center.dispatch", ["ticket_no": unknownStreet, "mode": "territorial", "units": ["LT"]])
            XCTAssertEqual(territorial.string("type"), "ticket.dispatched")
            expectEqual((try await h.created(unknownStreet, unit: "LT")).string("role"), "territorial")
            try await h.expectRejected(
                h.command("center", "center.dispatch", ["ticket_no": unknownStreet, "mode": "sole", "units": ["CG"]]),
                "wrong_state")

            // First-responsible: the named unit may not return it.
            let firstTicket = try await h.submit(category: nil)
            _ = await h.events.wait { $0.routingKey == "ticket.dispatch-manual" && $0.string("ticket_no") == firstTicket }
            _ = try await h.command(
                "center", "center.dispatch", ["ticket_no": firstTicket, "mode": "first_responsible", "units": ["HB"]])
            let first = try await h.created(firstTicket, unit: "HB")
            XCTAssertEqual(first.string("role"), "first_responsible")
            XCTAssertEqual(first.json["return_allowed"] as? Bool, false)
            try await h.expectRejected(
                h.command("unit.HB", "unit.request-return", h.returnRequest(try XCTUnwrap(first.string("assignment_id")))),
                "not_allowed")

            // Lead and co-units named by the center.
            let leadTicket = try await h.submit(category: nil)
            _ = await h.events.wait { $0.routingKey == "ticket.dispatch-manual" && $0.string("ticket_no") == leadTicket }
            _ = try await h.command("center", "center.dispatch", ["ticket_no": leadTicket, "mode": "lead_co", "units": ["CG", "ZJ"]])
            expectEqual((try await h.created(leadTicket, unit: "CG")).string("role"), "lead")
            expectEqual((try await h.created(leadTicket, unit: "ZJ")).string("lead_unit"), "CG")
        }
    }

    /// An anonymous citizen's name and phone never reach the unit (PS §24): it must not learn who
    /// complained about it. The platform keeps them (its own SMS to the citizen reads them there).
    func testAnAnonymousCitizensContactNeverReachesTheUnit() async throws {
        try await withHarness { h in
            let submissionID = "LC-ANON-\(UUID().uuidString.prefix(8))"
            let phone = "137\(Int.random(in: 10_000_000...99_999_999))"
            let body: [String: Any] = [
                "submission_id": submissionID, "channel": "hotline", "received_at": LifecycleTime.now(),
                "citizen": ["name": "王先生", "phone": phone, "anonymous": true],
                "category": "CG-001", "description": "城管执法队员在秀新路收摊贩的钱不开票",
                "location": ["street": "坑梓街道", "community": "秀新社区", "address": "秀新路\(UUID().uuidString.prefix(13))号"],
            ]
            try await h.publishAs(
                "gateway", exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit",
                body: Array(try JSONSerialization.data(withJSONObject: body)))
            let accepted = await h.events.wait { $0.routingKey == "ticket.accepted" && $0.string("submission_id") == submissionID }
            let ticketNo = try XCTUnwrap(accepted.first?.string("ticket_no"), "ticket.accepted")
            let created = try await h.created(ticketNo, unit: "CG")
            XCTAssertEqual(created.json["citizen"] as? [String: Bool], ["anonymous": true])
            XCTAssertFalse(String(decoding: created.body, as: UTF8.self).contains(phone))
            XCTAssertFalse(String(decoding: created.body, as: UTF8.self).contains("王先生"))
            expectEqual(try await h.text("SELECT citizen->>'phone' AS t FROM tickets WHERE ticket_no = $1", [ticketNo]), phone)
        }
    }

    /// ZS §6: a residents' committee assists as a co-unit and is never the unit responsible, in the
    /// catalogue (the loader refuses it as an owner) or in the center's dispatch (`invalid`).
    func testAResidentsCommitteeAssistsButIsNeverResponsible() async throws {
        try await withHarness { h in
            var file = try await h.loadedJurisdiction()
            let head = file.units[0].head
            file.units.append(JurisdictionUnit(code: "XX-JWH", name: "秀新社区居民委员会", kind: .residentCommittee, head: head))
            var owned = file
            owned.catalogue[0].owner = .unit("XX-JWH")
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("committee-\(UUID().uuidString).yaml")
            defer { try? FileManager.default.removeItem(at: path) }
            try HotlineJSON.encode(owned).write(to: path)
            let refused = try await Ctl.run(h.stack, ["catalogue", "load", path.path])
            XCTAssertNotEqual(refused.status, 0)
            XCTAssertTrue(refused.error.contains("never own an item (ZS §6)"), refused.error)
            try await h.loadWithUnitUsers(file)

            let ticket = try await h.submit(category: "SQ-002", street: nil)
            _ = await h.events.wait { $0.routingKey == "ticket.dispatch-manual" && $0.string("ticket_no") == ticket }
            let alone = try await h.command("center", "center.dispatch", ["ticket_no": ticket, "mode": "sole", "units": ["XX-JWH"]])
            try h.expectRejected(alone, "invalid")
            XCTAssertTrue(alone.string("message")?.contains("ZS §6") == true, alone.string("message") ?? "")
            let assisted = try await h.command(
                "center", "center.dispatch", ["ticket_no": ticket, "mode": "lead_co", "units": ["KZ", "XX-JWH"]])
            XCTAssertEqual(assisted.string("type"), "ticket.dispatched", assisted.string("message") ?? "")
            let roles = (assisted.json["assignments"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) {
                $0[$1["unit"] as? String ?? ""] = $1["role"] as? String
            }
            XCTAssertEqual(roles, ["KZ": "lead", "XX-JWH": "co"])
            try await h.restoreShippedJurisdiction()
        }
    }

    // MARK: - Split

    func testEachChildOfASplitTicketIsDispatchedOnItsOwn() async throws {
        try await withHarness { h in
            let submissionID = "LC-SPLIT-\(UUID().uuidString.prefix(8))"
            let body: [String: Any] = [
                "submission_id": submissionID, "channel": "hotline", "received_at": LifecycleTime.now(),
                "citizen": ["name": "李先生", "phone": "137\(Int.random(in: 10_000_000...99_999_999))", "anonymous": false],
                "description": "门口有人摆摊占道，另外楼上邻居装修噪音很大",
                "location": ["street": "坑梓街道", "community": "秀新社区", "address": "秀新路\(UUID().uuidString.prefix(13))号"],
                "demands": [
                    ["category": "CG-001", "description": "门口有流动摊贩占道经营"],
                    ["category": "SQ-002", "description": "楼上邻居装修噪音扰民"],
                ],
            ]
            try await h.publishAs(
                "gateway", exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit",
                body: Array(try JSONSerialization.data(withJSONObject: body)))
            let split = await h.events.wait { $0.routingKey == "ticket.split" && $0.string("submission_id") == submissionID }
            let children = try XCTUnwrap(split.first?.json["children"] as? [String], "ticket.split with children")
            XCTAssertEqual(children.count, 2)
            var units: Set<String> = []
            for child in children {
                let dispatched = await h.events.wait { $0.routingKey == "ticket.dispatched" && $0.string("ticket_no") == child }
                let assignments = try XCTUnwrap(dispatched.first?.json["assignments"] as? [[String: Any]], child)
                XCTAssertEqual(assignments.count, 1, child)
                units.formUnion(assignments.compactMap { $0["unit"] as? String })
            }
            XCTAssertEqual(units, ["CG", "KZ"], "each child goes to its own unit")
        }
    }

    // MARK: - Returns

    func testReturnsRefusedDeniedApprovedAndRedispatched() async throws {
        try await withHarness { h in
            // Refused without review; denied; not again.
            let t1 = try await h.submit(category: "CG-001")
            let a1 = try unwrapValue(try await h.created(t1, unit: "CG").string("assignment_id"))
            try await h.expectRejected(h.command("unit.CG", "unit.request-return", h.returnRequest(a1, code: "cannot_contact")), "not_allowed")
            try await h.expectRejected(h.command("unit.CG", "unit.request-return", h.returnRequest(a1, basis: "")), "invalid")
            // PS §12(一): the catalogue routed it, so only a claim of misclassification naming the unit responsible.
            let otherReason = try await h.command("unit.CG", "unit.request-return", h.returnRequest(a1, code: "workload"))
            try h.expectRejected(otherReason, "not_allowed")
            XCTAssertTrue(otherReason.string("message")?.contains("PS §12(一)") == true, otherReason.string("message") ?? "")
            try await h.expectRejected(
                h.command("unit.CG", "unit.request-return", h.returnRequest(a1, suggestedUnit: nil)), "invalid")
            try await h.expectRejected(
                h.command("center", "center.decide-return", ["assignment_id": a1, "approve": false, "note": "x"]), "wrong_state")
            let requested = try await h.command("unit.CG", "unit.request-return", h.returnRequest(a1))
            XCTAssertEqual(requested.string("type"), "assignment.return-requested")
            XCTAssertEqual(requested.json["late"] as? Bool, false)
            expectEqual(try await h.text("SELECT state AS t FROM assignments WHERE assignment_id = $1", [a1]), "return_requested")
            try await h.expectRejected(h.command("unit.CG", "unit.request-return", h.returnRequest(a1)), "wrong_state")
            let denied = try await h.command("center", "center.decide-return", ["assignment_id": a1, "approve": false, "note": "属本单位职责"])
            XCTAssertEqual(denied.string("type"), "assignment.return-denied")
            XCTAssertNotNil(denied.json["deadlines"])
            let update = await h.unit("CG").wait { $0.properties.type == "assignment.updated" && $0.string("assignment_id") == a1 }
            XCTAssertEqual(update.first?.string("reason"), "return_denied")
            XCTAssertEqual(update.first?.json["return_allowed"] as? Bool, false)
            expectEqual(try await h.text("SELECT state AS t FROM assignments WHERE assignment_id = $1", [a1]), "pending")
            try await h.expectRejected(h.command("unit.CG", "unit.request-return", h.returnRequest(a1)), "not_allowed")

            // Approved and reassigned: the old unit's assignment is cancelled, the new unit gets the ticket.
            let t2 = try await h.submit(category: "CG-001")
            let a2 = try unwrapValue(try await h.created(t2, unit: "CG").string("assignment_id"))
            _ = try await h.command("unit.CG", "unit.sign", ["assignment_id": a2])
            _ = try await h.command("unit.CG", "unit.request-return", h.returnRequest(a2))
            try await h.expectRejected(
                h.command("center", "center.decide-return", ["assignment_id": a2, "approve": true, "reassign_to": "NOPE", "note": ""]),
                "invalid")
            let returned = try await h.command(
                "center", "center.decide-return", ["assignment_id": a2, "approve": true, "reassign_to": "ZJ", "note": "改派"])
            XCTAssertEqual(returned.string("type"), "assignment.returned")
            XCTAssertEqual(returned.string("reassigned_to"), "ZJ")
            let cancelled = await h.unit("CG").wait { $0.properties.type == "assignment.cancelled" && $0.string("assignment_id") == a2 }
            XCTAssertEqual(cancelled.first?.string("reason"), "returned")
            let successor = try await h.created(t2, unit: "ZJ")
            let history = successor.json["history"] as? [[String: Any]] ?? []
            XCTAssertEqual(history.first?["assignment_id"] as? String, a2)
            XCTAssertEqual(history.first?["state"] as? String, "returned")
            let redispatched = await h.events.wait {
                $0.routingKey == "ticket.dispatched" && $0.string("ticket_no") == t2
                    && (($0.json["assignments"] as? [[String: Any]])?.first?["unit"] as? String) == "ZJ"
            }
            XCTAssertEqual(redispatched.count, 1)

            // Approved without a successor: nobody else in the catalogue, the center dispatches it; the
            // same unit again gets a new assignment id.
            let t3 = try await h.submit(category: "CG-001")
            let a3 = try unwrapValue(try await h.created(t3, unit: "CG").string("assignment_id"))
            _ = try await h.command("unit.CG", "unit.request-return", h.returnRequest(a3))
            _ = try await h.command("center", "center.decide-return", ["assignment_id": a3, "approve": true, "note": "退回"])
            let toManual = await h.events.wait { $0.routingKey == "ticket.dispatch-manual" && $0.string("ticket_no") == t3 }
            XCTAssertEqual(toManual.first?.string("reason"), "nobody_left")
            _ = try await h.command("center", "center.dispatch", ["ticket_no": t3, "mode": "sole", "units": ["CG"]])
            let again = try await h.created(t3, unit: "CG", excluding: [a3])
            XCTAssertEqual(again.string("assignment_id"), "\(a3)-2")

            // A lead's approved return with nobody to take the ticket over: its co-units' parts end too,
            // so that the center can dispatch the ticket afresh.
            let t5 = try await h.submit(category: "CG-002")
            let lead = try unwrapValue(try await h.created(t5, unit: "CG").string("assignment_id"))
            let co = try unwrapValue(try await h.created(t5, unit: "ZJ").string("assignment_id"))
            _ = try await h.command("unit.CG", "unit.request-return", h.returnRequest(lead))
            let leadReturned = try await h.command(
                "center", "center.decide-return", ["assignment_id": lead, "approve": true, "note": "退回"])
            XCTAssertEqual(leadReturned.string("type"), "assignment.returned", String(decoding: leadReturned.body, as: UTF8.self))
            let coCancelled = await h.unit("ZJ").wait { $0.properties.type == "assignment.cancelled" && $0.string("assignment_id") == co }
            XCTAssertEqual(coCancelled.first?.string("reason"), "lead_returned")
            let coEnded = await h.events.wait { $0.routingKey == "assignment.transferred" && $0.string("assignment_id") == co }
            XCTAssertEqual(coEnded.first?.string("reason"), "lead_returned")
            await h.events.wait { $0.routingKey == "ticket.dispatch-manual" && $0.string("ticket_no") == t5 }
            let afresh = try await h.command("center", "center.dispatch", ["ticket_no": t5, "mode": "sole", "units": ["ZJ"]])
            XCTAssertEqual(afresh.string("type"), "ticket.dispatched", String(decoding: afresh.body, as: UTF8.self))

            // Extended assignments and late requests.
            let t4 = try await h.submit(category: "CG-001")
            let a4 = try unwrapValue(try await h.created(t4, unit: "CG").string("assignment_id"))
            try await h.execute("UPDATE assignments SET extended = true WHERE assignment_id = $1", [a4])
            try await h.expectRejected(h.command("unit.CG", "unit.request-return", h.returnRequest(a4)), "not_allowed")
            try await h.execute(
                """
                UPDATE assignments SET extended = false,
                  deadlines = jsonb_set(deadlines, '{return_by}', to_jsonb('2020-01-01T18:00:00+08:00'::text))
                WHERE assignment_id = $1
                """, [a4])
            try await h.expectRejected(h.command("unit.CG", "unit.request-return", h.returnRequest(a4)), "too_late")
        }
    }

    /// PS §9: a clear case (the catalogue names the unit) is due for dispatch within 1 hour, not the
    /// normal ticket's 2: in the assignment's deadlines (the report's) and in the sla-timer's dispatch clock.
    func testAClearCaseIsDueForDispatchWithinAnHour() async throws {
        try await withHarness { h in
            let ticket = try await h.submit(category: "CG-001")
            let assignment = try unwrapValue(try await h.created(ticket, unit: "CG").string("assignment_id"))
            let planned = try await h.scalar(
                """
                SELECT (extract(epoch FROM (a.deadlines->>'dispatch_by')::timestamptz - t.received_at))::int AS n
                FROM assignments a JOIN tickets t ON t.ticket_no = a.ticket_no WHERE a.assignment_id = $1
                """, [assignment])
            XCTAssertEqual(planned, 3600)
            try await h.poll("the sla-timer's dispatch clock") {
                try await h.scalar(
                    """
                    SELECT count(*)::int AS n FROM sla_clocks c JOIN tickets t ON t.ticket_no = c.ticket_no
                    WHERE c.subject = $1 AND c.kind = 'dispatch'
                      AND (c.state->>'dispatch_by')::timestamptz - t.received_at = interval '1 hour'
                    """, [ticket]) == 1
            }
        }
    }

    /// PS §13: a late return request is refused in every shipped profile; a profile may instead take it
    /// for review and count it as an overdue return (`return.late_requests: overdue_return`).
    func testALateReturnIsReviewedAsAnOverdueReturnWhereTheProfileSaysSo() async throws {
        try await withHarness { h in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("profiles-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let shipped = try String(
                contentsOf: URL(fileURLWithPath: h.stack.repoRoot).appendingPathComponent("deploy/profiles/pingshan.yaml"),
                encoding: .utf8)
            XCTAssertTrue(shipped.contains("late_requests: refused"))
            try shipped.replacingOccurrences(of: "late_requests: refused", with: "late_requests: overdue_return")
                .write(to: folder.appendingPathComponent("pingshan.yaml"), atomically: true, encoding: .utf8)
            try await h.restartRouting(environment: ["HOTLINE_PROFILES_DIR": folder.path])

            let ticket = try await h.submit(category: "CG-001")
            let assignment = try unwrapValue(try await h.created(ticket, unit: "CG").string("assignment_id"))
            try await h.execute(
                """
                UPDATE assignments SET deadlines = jsonb_set(deadlines, '{return_by}', to_jsonb('2020-01-01T18:00:00+08:00'::text))
                WHERE assignment_id = $1
                """, [assignment])
            let requested = try await h.command("unit.CG", "unit.request-return", h.returnRequest(assignment))
            XCTAssertEqual(requested.string("type"), "assignment.return-requested", String(decoding: requested.body, as: UTF8.self))
            XCTAssertEqual(requested.json["late"] as? Bool, true)
            let returned = try await h.command(
                "center", "center.decide-return", ["assignment_id": assignment, "approve": true, "reassign_to": "ZJ", "note": "逾期退回，改派"])
            XCTAssertEqual(returned.string("type"), "assignment.returned", String(decoding: returned.body, as: UTF8.self))
            XCTAssertEqual(returned.json["overdue"] as? Bool, true)
            expectEqual(
                try await h.text("SELECT overdue_return::text AS t FROM assignments WHERE assignment_id = $1", [assignment]), "true")
            try await h.restartRouting()
        }
    }

    /// Under the daye profile a return comes with the unit's written explanation (书面退单说明, DY (7)),
    /// which the center sees in `assignment.return-requested` and the request keeps; and a unit replies
    /// only after it has recorded its contact with the citizen (DY (8)).
    func testDayeReturnsAndRepliesNeedTheirWrittenRecords() async throws {
        try await withHarness { h in
            try await h.restartRouting(environment: ["HOTLINE_PROFILE": "daye"])
            let ticket = try await h.submit(category: "CG-001")
            let assignment = try unwrapValue(try await h.created(ticket, unit: "CG").string("assignment_id"))
            let unexplained = try await h.command("unit.CG", "unit.request-return", h.returnRequest(assignment))
            try h.expectRejected(unexplained, "invalid")
            XCTAssertTrue(unexplained.string("message")?.contains("written_explanation") == true, unexplained.string("message") ?? "")
            var explained = h.returnRequest(assignment)
            explained["written_explanation"] = "经核查，该事项属于区住建局职责，特此书面说明。"
            let requested = try await h.command("unit.CG", "unit.request-return", explained)
            XCTAssertEqual(requested.string("type"), "assignment.return-requested", String(decoding: requested.body, as: UTF8.self))
            XCTAssertEqual(requested.string("written_explanation"), "经核查，该事项属于区住建局职责，特此书面说明。")
            expectEqual(try await h.text(
                "SELECT written_explanation AS t FROM return_requests WHERE assignment_id = $1", [assignment]),
                "经核查，该事项属于区住建局职责，特此书面说明。")

            // DY (8): no reply before the unit has recorded its contact with the citizen.
            let other = try await h.submit(category: "CG-001")
            let otherID = try unwrapValue(try await h.created(other, unit: "CG").string("assignment_id"))
            _ = try await h.command("unit.CG", "unit.sign", ["assignment_id": otherID])
            let uncontacted = try await h.command("unit.CG", "unit.submit-resolution", h.resolution(otherID))
            try h.expectRejected(uncontacted, "not_allowed")
            XCTAssertTrue(uncontacted.string("message")?.contains("DY (8)") == true, uncontacted.string("message") ?? "")
            let notified = try await h.command("unit.CG", "unit.notify-citizen", [
                "assignment_id": otherID, "stage": "acceptance", "method": "phone", "at": ISO8601DateFormatter().string(from: Date()),
            ])
            XCTAssertEqual(notified.string("type"), "assignment.citizen-notified", notified.string("message") ?? "")
            let replied = try await h.command("unit.CG", "unit.submit-resolution", h.resolution(otherID))
            XCTAssertEqual(replied.string("type"), "assignment.resolution-submitted", replied.string("message") ?? "")
            try await h.restartRouting()
        }
    }

    /// PL §15(三): under the pingli profile a complaint's resolution says whether a case was filed:
    /// its number and date, or why not and on what legal basis; the center sees it.
    func testAPingliComplaintResolutionSaysWhetherACaseWasFiled() async throws {
        try await withHarness { h in
            try await h.restartRouting(environment: ["HOTLINE_PROFILE": "pingli"])
            let ticket = try await h.submit(category: "CG-001")
            expectEqual(try await h.text("SELECT kind AS t FROM tickets WHERE ticket_no = $1", [ticket]), "complaint")
            let assignment = try unwrapValue(try await h.created(ticket, unit: "CG").string("assignment_id"))
            _ = try await h.command("unit.CG", "unit.sign", ["assignment_id": assignment])
            try await h.expectRejected(h.command("unit.CG", "unit.submit-resolution", h.resolution(assignment)), "invalid")
            var incomplete = h.resolution(assignment)
            incomplete["case_filing"] = ["filed": true]
            let refused = try await h.command("unit.CG", "unit.submit-resolution", incomplete)
            try h.expectRejected(refused, "invalid")
            XCTAssertTrue(refused.string("message")?.contains("case_filing.number") == true, refused.string("message") ?? "")
            var complete = h.resolution(assignment)
            complete["case_filing"] = ["filed": false, "reason": "经调查不构成违法经营", "basis": "《行政处罚法》第三十三条"]
            let submitted = try await h.command("unit.CG", "unit.submit-resolution", complete)
            XCTAssertEqual(submitted.string("type"), "assignment.resolution-submitted", submitted.string("message") ?? "")
            XCTAssertEqual((submitted.json["case_filing"] as? [String: Any])?["basis"] as? String, "《行政处罚法》第三十三条")
            expectEqual(try await h.text(
                "SELECT case_filing->>'reason' AS t FROM resolutions WHERE assignment_id = $1", [assignment]), "经调查不构成违法经营")
            try await h.restartRouting()
        }
    }

    /// PL §19(三): a re-handling's resolution may carry the head's signed statement of duty performed;
    /// not a first handling's, and not under a profile that takes none.
    func testAPingliReHandlingsResolutionCarriesTheSignedStatementOfDutyPerformed() async throws {
        try await withHarness { h in
            var statement: [String: Any] = [
                "statement": "已依法依规办理，诉求超出政策规定，已向诉求人说明", "signed_by": "李局长",
                "signed_at": ISO8601DateFormatter().string(from: Date()),
            ]
            // Pingshan takes none.
            let first = try await h.submit(category: "CG-001")
            let firstID = try unwrapValue(try await h.created(first, unit: "CG").string("assignment_id"))
            _ = try await h.command("unit.CG", "unit.sign", ["assignment_id": firstID])
            var withStatement = h.resolution(firstID)
            withStatement["duty_statement"] = statement
            try await h.expectRejected(h.command("unit.CG", "unit.submit-resolution", withStatement), "not_allowed")

            try await h.restartRouting(environment: ["HOTLINE_PROFILE": "pingli"])
            let ticket = try await h.submit(category: "CG-001")
            let assignment = try unwrapValue(try await h.created(ticket, unit: "CG").string("assignment_id"))
            _ = try await h.command("unit.CG", "unit.sign", ["assignment_id": assignment])
            var resolution = h.resolution(assignment)
            resolution["case_filing"] = ["filed": false, "reason": "经调查不构成违法经营", "basis": "《行政处罚法》第三十三条"]
            var early = resolution
            early["duty_statement"] = statement
            let refused = try await h.command("unit.CG", "unit.submit-resolution", early)
            try h.expectRejected(refused, "not_allowed")
            XCTAssertTrue(refused.string("message")?.contains("re-handling") == true, refused.string("message") ?? "")
            _ = try await h.command("unit.CG", "unit.submit-resolution", resolution)
            let resolved = try await h.command("center", "center.decide-resolution", ["assignment_id": assignment, "approve": true, "note": "同意"])
            XCTAssertEqual(resolved.string("type"), "ticket.resolved", resolved.string("message") ?? "")
            try await h.publishEvent("ticket.reopened", [
                "ticket_no": ticket, "assignment_id": assignment, "reason": "unsatisfied", "survey_id": "SV-\(ticket)",
            ])
            _ = await h.unit("CG").wait { $0.properties.type == "assignment.reopened" && $0.string("assignment_id") == assignment }

            // Re-handled: an unsigned statement is malformed; a signed one goes to the center with the resolution.
            var unsigned = resolution
            statement["signed_by"] = " "
            unsigned["duty_statement"] = statement
            try await h.expectRejected(h.command("unit.CG", "unit.submit-resolution", unsigned), "invalid")
            statement["signed_by"] = "李局长"
            statement["signed_at"] = ISO8601DateFormatter().string(from: Date())
            resolution["duty_statement"] = statement
            let submitted = try await h.command("unit.CG", "unit.submit-resolution", resolution)
            XCTAssertEqual(submitted.string("type"), "assignment.resolution-submitted", submitted.string("message") ?? "")
            XCTAssertEqual((submitted.json["duty_statement"] as? [String: Any])?["signed_by"] as? String, "李局长")
            expectEqual(try await h.text(
                "SELECT duty_statement->>'signed_by' AS t FROM resolutions WHERE assignment_id = $1 AND duty_statement IS NOT NULL",
                [assignment]), "李局长")
            try await h.restartRouting()
        }
    }

    // MARK: - Stage resolution, photos, automatic sign-off

    func testStageResolutionPhotosAndAutomaticSignOff() async throws {
        try await withHarness { h in
            let ticketNo = try await h.submit(category: "CG-003")
            let assignmentID = try unwrapValue(try await h.created(ticketNo, unit: "CG").string("assignment_id"))

            // The SLA timer's breach of the sign deadline signs it automatically.
            try await h.publishEvent("sla.breached", [
                "ticket_no": ticketNo, "assignment_id": assignmentID, "unit": "CG", "deadline": "sign",
                "due_at": "2026-11-23T12:15:00+08:00",
            ])
            let auto = await h.events.wait { $0.routingKey == "assignment.signed" && $0.string("assignment_id") == assignmentID }
            XCTAssertEqual(auto.first?.json["auto"] as? Bool, true)
            XCTAssertNil(auto.first?.properties.correlationID)
            try await h.expectRejected(h.command("unit.CG", "unit.sign", ["assignment_id": assignmentID]), "wrong_state")

            // Garbage collection items need before-and-after photos.
            let withoutPhotos = try await h.command("unit.CG", "unit.submit-resolution", h.resolution(assignmentID))
            try h.expectRejected(withoutPhotos, "invalid")
            XCTAssertTrue(withoutPhotos.string("message")?.contains("photo") ?? false)

            // A stage resolution 45 days out needs the unit head's approval.
            let followUp = Date().addingTimeInterval(45 * 86_400)
            let stage = try await h.command("unit.CG", "unit.submit-stage-resolution", [
                "assignment_id": assignmentID, "reason": "需协调清运车辆", "progress": "已临时清理", "plan": "新增收运点",
                "follow_up_by": ISO8601DateFormatter().string(from: followUp),
            ])
            XCTAssertEqual(stage.string("resolution_kind"), "stage")
            XCTAssertEqual(stage.string("approval_level"), "unit_head")
            let stageResolved = try await h.command(
                "center", "center.decide-resolution", ["assignment_id": assignmentID, "approve": true, "note": "同意阶段性办结"])
            XCTAssertEqual(stageResolved.string("type"), "ticket.stage-resolved")
            XCTAssertNotNil(stageResolved.string("follow_up_by"))
            XCTAssertEqual(stageResolved.string("approval_level"), "unit_head")
            expectEqual(try await h.text("SELECT state AS t FROM assignments WHERE assignment_id = $1", [assignmentID]), "stage_resolved")
            expectEqual(try await h.text("SELECT approval_level AS t FROM assignments WHERE assignment_id = $1", [assignmentID]), "unit_head")

            let photos: [[String: Any]] = [
                ["type": "photo", "stage": "before", "url": "https://files.example/before.jpg"],
                ["type": "photo", "stage": "after", "url": "https://files.example/after.jpg"],
            ]
            let final = try await h.command("unit.CG", "unit.submit-resolution", h.resolution(assignmentID, attachments: photos))
            XCTAssertEqual(final.string("type"), "assignment.resolution-submitted")
            let resolved = try await h.command(
                "center", "center.decide-resolution", ["assignment_id": assignmentID, "approve": true, "note": "同意"])
            XCTAssertEqual(resolved.string("type"), "ticket.resolved")
        }
    }

    // MARK: - hotlinectl

    func testHotlinectlUnitAndCenterCommands() async throws {
        try await withHarness { h in
            let ticketNo = try await h.submit(category: nil)
            _ = await h.events.wait { $0.routingKey == "ticket.dispatch-manual" && $0.string("ticket_no") == ticketNo }

            let dispatch = try await h.hotlinectl(["center", "dispatch", ticketNo, "--mode", "parallel", "--units", "SW,HB"])
            XCTAssertEqual(dispatch.status, 0, dispatch.error)
            XCTAssertTrue(dispatch.output.contains("ticket.dispatched"), dispatch.output)
            let sw = try unwrapValue(try await h.created(ticketNo, unit: "SW").string("assignment_id"))

            let sign = try await h.hotlinectl(["unit", "sign", sw, "--json"])
            XCTAssertEqual(sign.status, 0, sign.error)
            let signed = try JSONSerialization.jsonObject(with: Data(sign.output.utf8)) as? [String: Any]
            XCTAssertEqual(signed?["type"] as? String, "assignment.signed")
            XCTAssertEqual(signed?["unit"] as? String, "SW")

            let again = try await h.hotlinectl(["unit", "sign", sw])
            XCTAssertEqual(again.status, 3, "a rejection exits non-zero")
            XCTAssertTrue(again.error.contains("wrong_state"), again.error)

            let refused = try await h.hotlinectl([
                "unit", "return", sw, "--reason-code", "cannot_contact", "--reason", "联系不上", "--basis", "无",
            ])
            XCTAssertEqual(refused.status, 3)
            XCTAssertTrue(refused.output.contains("not_allowed"), refused.output)

            let asked = try await h.hotlinectl([
                "unit", "return", sw, "--unit", "SW", "--reason-code", "not_our_duty", "--reason", "非供水问题", "--basis", "《职责清单》",
            ])
            XCTAssertEqual(asked.status, 0, asked.error)
            XCTAssertTrue(asked.output.contains("assignment.return-requested"), asked.output)
            let decided = try await h.hotlinectl(["center", "decide-return", sw, "--approve", "--reassign-to", "ZJ", "--note", "改派"])
            XCTAssertEqual(decided.status, 0, decided.error)
            XCTAssertTrue(decided.output.contains("assignment.returned"), decided.output)
            _ = try await h.created(ticketNo, unit: "ZJ")

            let usage = try await h.hotlinectl(["center", "decide-return", sw, "--note", "x"])
            XCTAssertNotEqual(usage.status, 0, "approve or deny must be said")
        }
    }
}

/// Runs a test body with a harness that is closed afterwards, also when the body fails (an observer
/// left open would take the next test's messages from the shared queues).
func withHarness(_ body: (LifecycleHarness) async throws -> Void) async throws {
    let harness = try await LifecycleHarness.start()
    do {
        try await body(harness)
    } catch {
        await harness.close()
        throw error
    }
    await harness.close()
}

// MARK: - Assertions on awaited values (XCTest's autoclosures cannot await)

private func expectEqual<T: Equatable>(
    _ value: T, _ expected: T, _ message: String = "", file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(value, expected, message, file: file, line: line)
}

private func unwrapValue<T>(_ value: T?, file: StaticString = #filePath, line: UInt = #line) throws -> T {
    try XCTUnwrap(value, file: file, line: line)
}

enum LifecycleTime {
    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return formatter.string(from: Date())
    }
}

// MARK: - Harness

/// The platform plus the observers and publishers the lifecycle tests share.
final class LifecycleHarness: Sendable {
    let platform: Platform
    let stack: TestStack
    let events: Observer
    let database: Database
    private let publishers = Mutex<[String: AMQPPublisher]>([:])
    private let observers = Mutex<[String: Observer]>([:])

    private init(platform: Platform) {
        self.platform = platform
        stack = platform.stack
        events = Observer.bound(to: "hotline.events", stack: platform.stack)
        database = platform.stack.database()
    }

    static func start() async throws -> LifecycleHarness {
        let harness = LifecycleHarness(platform: try await Platform.start())
        await harness.events.waitUntilConnected()
        return harness
    }

    func close() async {
        for publisher in publishers.withLock({ Array($0.values) }) { await publisher.shutdown() }
        for observer in observers.withLock({ Array($0.values) }) { await observer.close(deleting: false, stack: stack) }
        await events.close(deleting: true, stack: stack)
        await database.shutdown()
    }

    // MARK: Observers

    /// Any existing queue, read as `user` (closed with the harness).
    func observe(queue: String, user: String) -> Observer { cached(queue, user: user) }

    private func cached(_ queue: String, user: String) -> Observer {
        observers.withLock { observers in
            if let observer = observers[queue] { return observer }
            let observer = Observer.existing(queue: queue, user: user, stack: stack)
            observers[queue] = observer
            return observer
        }
    }

    /// The unit's assignment queue.
    func unit(_ code: String) -> Observer { cached("hotline.unit.\(code)", user: "unit.\(code)") }

    /// Stops reading `queue` (it stays).
    func stopObserving(_ queue: String) async {
        guard let observer = observers.withLock({ $0.removeValue(forKey: queue) }) else { return }
        await observer.close(deleting: false, stack: stack)
    }

    /// A client's reply queue.
    func replies(_ user: String) -> Observer { cached("hotline.reply.\(user)", user: user) }

    // MARK: Publishing

    private func publisher(_ user: String?) -> AMQPPublisher {
        let key = user ?? "(admin)"
        return publishers.withLock { publishers in
            if let publisher = publishers[key] { return publisher }
            let url = (user == nil || user == "guest") ? stack.adminAMQPURL : stack.amqpURL(user: user!)
            let publisher = AMQPPublisher(configuration: try! AMQPConfiguration(url: url), logger: TestStack.logger)
            publishers[key] = publisher
            return publisher
        }
    }

    /// Publishes any message as `user` (with `user_id`), with a fresh `message_id` unless told otherwise.
    func publishAs(
        _ user: String, exchange: String, routingKey: String, type: String, body: [UInt8],
        messageID: String? = UUID().uuidString
    ) async throws {
        try await publish(user, exchange: exchange, routingKey: routingKey, type: type, body: body, messageID: messageID, replyTo: nil)
    }

    private func publish(
        _ user: String?, exchange: String, routingKey: String, type: String, body: [UInt8], messageID: String?,
        replyTo: String?
    ) async throws {
        let message = OutgoingMessage(
            exchange: exchange, routingKey: routingKey,
            properties: AMQPProperties(messageID: messageID, type: type, replyTo: replyTo, userID: user, timestamp: Date()),
            body: body, mandatory: false)
        let outcomes = try await publisher(user).publish([message])
        guard outcomes == [.confirmed] else { throw AMQPError(.unconfirmed, "publish \(type): \(outcomes)") }
    }

    /// A description that names no catalogue item (the ticket gets no category).
    static let vague = "我家门口的事情一直没人处理，希望尽快安排人员上门了解"
    static let descriptions = [
        "CG-001": "小区门口有流动摊贩占道经营，影响通行", "CG-002": "隔壁楼顶有人私搭乱建，加盖楼层",
        "CG-003": "小区垃圾堆积好几天没人清运，气味很大", "SQ-002": "楼上邻居装修噪音很大，晚上也不停",
    ]

    /// Submits a ticket as the gateway; returns its number once accepted. Every submission has its
    /// own citizen and house number, so that intake never merges two tests' tickets.
    func submit(
        category: String?, street: String? = "坑梓街道", description: String? = nil, kind: String? = nil
    ) async throws -> String {
        let submissionID = "LC-\(UUID().uuidString.prefix(12))"
        var location: [String: Any] = ["community": "秀新社区", "address": "秀新路\(UUID().uuidString.prefix(13))号"]
        if let street { location["street"] = street }
        var body: [String: Any] = [
            "submission_id": submissionID, "channel": "hotline", "received_at": LifecycleTime.now(),
            "citizen": ["name": "测试市民", "phone": "139\(Int.random(in: 10_000_000...99_999_999))", "anonymous": false],
            "description": description ?? Self.descriptions[category ?? ""] ?? Self.vague,
            "location": location,
        ]
        if let category { body["category"] = category }
        if let kind { body["kind"] = kind }
        try await publish(
            "gateway", exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit",
            body: Array(try JSONSerialization.data(withJSONObject: body)), messageID: UUID().uuidString, replyTo: nil)
        let outcome = await events.wait { $0.string("submission_id") == submissionID && $0.routingKey != "ticket.split" }
        let first = try XCTUnwrap(outcome.first, "an intake outcome for \(submissionID)")
        XCTAssertEqual(first.routingKey, "ticket.accepted", String(decoding: first.body, as: UTF8.self))
        return try XCTUnwrap(first.string("ticket_no"), "ticket.accepted for \(submissionID)")
    }

    /// The `assignment.created` of the ticket in the unit's queue.
    func created(_ ticketNo: String, unit code: String, excluding: Set<String> = []) async throws -> Observer.Message {
        let found = await unit(code).wait {
            $0.properties.type == "assignment.created" && $0.string("ticket_no") == ticketNo
                && !excluding.contains($0.string("assignment_id") ?? "")
        }
        return try XCTUnwrap(found.first, "assignment.created for \(ticketNo) at \(code)")
    }

    /// Sends a command as `user` (nil: the admin user without `user_id`) with `reply_to`, and
    /// returns its outcome event from `hotline.events`.
    @discardableResult
    func command(
        _ user: String?, _ type: String, _ body: [String: Any], messageID: String = UUID().uuidString,
        replyTo: String? = nil, waitForOutcome: Bool = true
    ) async throws -> Observer.Message {
        try await raw(
            user, type, Array(try JSONSerialization.data(withJSONObject: body)), messageID: messageID, replyTo: replyTo,
            waitForOutcome: waitForOutcome)
    }

    /// Sends a command's bytes; `reply_to` is the user's own reply queue unless `replyTo` names another.
    @discardableResult
    func raw(
        _ user: String?, _ type: String, _ body: [UInt8], messageID: String = UUID().uuidString, replyTo: String? = nil,
        waitForOutcome: Bool = true
    ) async throws -> Observer.Message {
        let replyTo = replyTo ?? user.flatMap { $0 == "guest" ? nil : "hotline.reply.\($0)" }
        if let user, user != "guest" { await replies(user).waitUntilConnected() }
        try await publish(
            user, exchange: "hotline.commands", routingKey: type, type: type, body: body, messageID: messageID, replyTo: replyTo)
        guard waitForOutcome else { return Observer.Message(routingKey: "", properties: AMQPProperties(), body: []) }
        let outcome = await events.wait { $0.properties.correlationID == messageID }
        return try XCTUnwrap(outcome.first, "an outcome for \(type) from \(user ?? "admin")")
    }

    /// Sends `user` a command that is answered at once (`not_found`) and waits for its answer on the
    /// user's reply queue: everything sent to that queue before has arrived by then.
    func provePassed(replies user: String) async throws {
        let messageID = UUID().uuidString
        var body: [String: Any] = ["assignment_id": "PS-NONE-\(messageID.prefix(8))"]
        if user == "center" { body["approve"] = true }
        try await command(
            user, user == "center" ? "center.decide-return" : "unit.sign", body, messageID: messageID, waitForOutcome: false)
        _ = try await reply(user, correlationID: messageID)
    }

    /// The outcome on the user's reply queue.
    func reply(_ user: String, correlationID: String) async throws -> Observer.Message {
        let found = await replies(user).wait { $0.properties.correlationID == correlationID }
        return try XCTUnwrap(found.first, "a reply on hotline.reply.\(user)")
    }

    func expectRejected(
        _ outcome: Observer.Message, _ reason: String, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        XCTAssertEqual(outcome.string("type"), "command.rejected", outcome.string("message") ?? "", file: file, line: line)
        XCTAssertEqual(outcome.string("reason"), reason, outcome.string("message") ?? "", file: file, line: line)
        XCTAssertEqual(outcome.string("command_id"), outcome.properties.correlationID, file: file, line: line)
        XCTAssertFalse((outcome.string("message") ?? "").isEmpty, file: file, line: line)
    }

    /// Publishes a platform event on `hotline.events` as the admin user (what the sla-timer or the
    /// survey service would publish); returns its `occurred_at` (now, in whole seconds).
    @discardableResult
    func publishEvent(_ type: String, _ fields: [String: Any]) async throws -> Date {
        var body = fields
        let eventID = UUID().uuidString
        let occurredAt = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        body["event_id"] = eventID
        body["type"] = type
        body["occurred_at"] = ISO8601DateFormatter().string(from: occurredAt)
        try await publish(
            nil, exchange: "hotline.events", routingKey: type, type: type,
            body: Array(try JSONSerialization.data(withJSONObject: body)), messageID: eventID, replyTo: nil)
        return occurredAt
    }

    // MARK: Bodies

    func notice(_ assignmentID: String) -> [String: Any] {
        ["assignment_id": assignmentID, "stage": "acceptance", "method": "phone", "at": ISO8601DateFormatter().string(from: Date())]
    }

    func resolution(_ assignmentID: String, attachments: [[String: Any]]? = nil) -> [String: Any] {
        var body: [String: Any] = [
            "assignment_id": assignmentID, "outcome": "resolved", "reply": "已现场处置并回复诉求人", "handler": "王工",
            "handled_at": ISO8601DateFormatter().string(from: Date()),
        ]
        if let attachments { body["attachments"] = attachments }
        return body
    }

    func returnRequest(
        _ assignmentID: String, code: String = "not_our_duty", basis: String = "《职责清单》第12条", suggestedUnit: String? = "ZJ"
    ) -> [String: Any] {
        var body: [String: Any] = ["assignment_id": assignmentID, "reason_code": code, "reason": "该事项不属于本单位职责", "basis": basis]
        if let suggestedUnit { body["suggested_unit"] = suggestedUnit }
        return body
    }

    // MARK: Database

    func scalar(_ sql: String, _ parameters: [String] = []) async throws -> Int {
        try await database.scalar(sql, parameters)
    }

    func text(_ sql: String, _ parameters: [String]) async throws -> String? {
        try await database.withConnection { connection in
            try connection.query(sql, parameters).first?.decodeIfPresent("t", as: String.self)
        }
    }

    func execute(_ sql: String, _ parameters: [String]) async throws {
        try await database.withConnection { connection in _ = try connection.query(sql, parameters) }
    }

    func poll(_ what: String, timeout: TimeInterval = 30, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        XCTFail("timed out: \(what)")
    }

    // MARK: hotlinectl

    /// Runs the built `hotlinectl` with the sandbox's environment.
    func hotlinectl(_ arguments: [String], timeout: TimeInterval = 60) async throws -> Ctl.Run {
        try await Ctl.run(stack, arguments, timeout: timeout)
    }
}
