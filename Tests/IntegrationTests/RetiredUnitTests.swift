import Foundation
import HotlineDomain
import XCTest

/// Retired units (docs/rules.md "Retired units"): a jurisdiction loaded without a unit hands that unit's
/// live assignments to the successor it names, in the same role and against the same resolve deadline,
/// or to manual dispatch; the handover is no return, and the SLA timer ends the old clocks. Once
/// drained, `broker prune` deletes the unit's queues and broker user.
final class RetiredUnitTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    func testARetiredUnitsWorkGoesToItsSuccessorOrToManualDispatchAndItsBrokerUserIsPruned() async throws {
        // Closed before the next test starts: its reply queues' consumers must not take others' replies.
        try await withHarness { h in try await retire(h) }
    }

    private func retire(_ h: LifecycleHarness) async throws {
        let stack = h.stack
        try await h.restoreShippedJurisdiction()

        // Three units of this test: RT-A (to be succeeded by RT-B), RT-C (retired without successor).
        let tag = String(UUID().uuidString.prefix(4))
        let (old, successor, orphan) = ("RT-A\(tag)", "RT-B\(tag)", "RT-C\(tag)")
        var file = try await h.loadedJurisdiction()
        let head = OfficialContact(name: "退役测试", phone: "13800000002")
        for code in [old, successor, orphan] {
            file.units.append(JurisdictionUnit(code: code, name: "退役测试\(code)", kind: .department, head: head))
        }
        file.catalogue += [
            CatalogueItem(code: "\(old).001", name: "退役测试独办\(tag)", keywords: ["退役独办\(tag)"], owner: .unit(old)),
            CatalogueItem(code: "\(old).002", name: "退役测试协办\(tag)", keywords: ["退役协办\(tag)"], owner: .unit("CG"), coUnits: [old]),
            CatalogueItem(code: "\(orphan).001", name: "退役测试无承接\(tag)", keywords: ["退役无承接\(tag)"], owner: .unit(orphan)),
            CatalogueItem(
                code: "\(orphan).002", name: "退役测试牵头\(tag)", keywords: ["退役牵头\(tag)"], owner: .unit(orphan), coUnits: ["CG"]),
        ]
        try await h.loadWithUnitUsers(file)

        // RT-A holds a signed sole assignment and a co-unit's part under CG; RT-C a pending one.
        let sole = try await h.submit(category: "\(old).001", description: "退役独办\(tag)：小区路灯坏了很久")
        let soleCreated = try await h.created(sole, unit: old)
        let soleID = try XCTUnwrap(soleCreated.string("assignment_id"))
        let signed = try await h.command("unit.\(old)", "unit.sign", ["assignment_id": soleID])
        XCTAssertEqual(signed.routingKey, "assignment.signed", String(decoding: signed.body, as: UTF8.self))
        let shared = try await h.submit(category: "\(old).002", description: "退役协办\(tag)：道路积水需要协调处理")
        let partCreated = try await h.created(shared, unit: old)
        let partID = try XCTUnwrap(partCreated.string("assignment_id"))
        let leadCreated = try await h.created(shared, unit: "CG")
        let leadID = try XCTUnwrap(leadCreated.string("assignment_id"))
        let done = try await h.submit(category: "\(old).001", description: "退役独办\(tag)：路边垃圾桶破损")
        let doneCreated = try await h.created(done, unit: old)
        let doneID = try XCTUnwrap(doneCreated.string("assignment_id"))
        _ = try await h.command("unit.\(old)", "unit.sign", ["assignment_id": doneID])
        _ = try await h.command("unit.\(old)", "unit.notify-citizen", h.notice(doneID))
        _ = try await h.command("unit.\(old)", "unit.submit-resolution", h.resolution(doneID))
        let resolved = try await h.command(
            "center", "center.decide-resolution", ["assignment_id": doneID, "approve": true, "note": "同意办结"])
        XCTAssertEqual(resolved.string("type"), "ticket.resolved", String(decoding: resolved.body, as: UTF8.self))
        let orphaned = try await h.submit(category: "\(orphan).001", description: "退役无承接\(tag)：门口井盖松动")
        let orphanCreated = try await h.created(orphaned, unit: orphan)
        let orphanID = try XCTUnwrap(orphanCreated.string("assignment_id"))
        let led = try await h.submit(category: "\(orphan).002", description: "退役牵头\(tag)：小区消防通道被占")
        let ledCreated = try await h.created(led, unit: orphan)
        let ledID = try XCTUnwrap(ledCreated.string("assignment_id"))
        let helperCreated = try await h.created(led, unit: "CG")
        let helperID = try XCTUnwrap(helperCreated.string("assignment_id"))
        let resolveBy = try await h.text("SELECT deadlines->>'resolve_by' AS t FROM assignments WHERE assignment_id = $1", [soleID])

        // The next file retires RT-A (to RT-B) and RT-C (to nobody); a dry run says so.
        file.units.removeAll { $0.code == old || $0.code == orphan }
        file.catalogue.removeAll { $0.code.hasPrefix(orphan) }
        for index in file.catalogue.indices where file.catalogue[index].code.hasPrefix(old) {
            if case .unit(old) = file.catalogue[index].owner { file.catalogue[index].owner = .unit(successor) }
            file.catalogue[index].coUnits = file.catalogue[index].coUnits.map { $0 == old ? successor : $0 }
        }
        file.retired = [RetiredUnit(code: old, successor: successor)]
        let second = FileManager.default.temporaryDirectory.appendingPathComponent("retired-\(UUID().uuidString).yaml")
        try HotlineJSON.encode(file).write(to: second)   // JSON is YAML
        defer { try? FileManager.default.removeItem(at: second) }
        let dryRun = try await Ctl.run(stack, ["catalogue", "load", second.path, "--dry-run"])
        XCTAssertEqual(dryRun.status, 0, dryRun.error)
        XCTAssertTrue(dryRun.output.contains("\(old) 退役测试\(old), its assignments to \(successor)"), dryRun.output)
        XCTAssertTrue(dryRun.output.contains("\(orphan) 退役测试\(orphan), its assignments to manual dispatch"), dryRun.output)
        let retired = try await Ctl.run(stack, ["catalogue", "load", second.path])
        XCTAssertEqual(retired.status, 0, retired.error)

        // The sole assignment: cancelled at RT-A, taken over by RT-B with the same resolve deadline.
        let transferred = await h.events.wait {
            $0.routingKey == "assignment.transferred" && $0.string("assignment_id") == soleID
        }
        let event = try XCTUnwrap(transferred.first, "assignment.transferred for \(soleID)")
        XCTAssertEqual(event.string("reason"), "unit_retired")
        XCTAssertEqual(event.string("successor"), successor)
        let cancelled = await h.unit(old).wait {
            $0.properties.type == "assignment.cancelled" && $0.string("assignment_id") == soleID
        }
        XCTAssertEqual(cancelled.first?.string("reason"), "unit_retired")
        let takenOver = try await h.created(sole, unit: successor)
        XCTAssertEqual(takenOver.string("assignment_id"), event.string("successor_assignment_id"))
        XCTAssertEqual(takenOver.string("role"), "sole")
        let deadlines = try XCTUnwrap(takenOver.json["deadlines"] as? [String: Any])
        XCTAssertEqual(
            (deadlines["resolve_by"] as? String).flatMap(RFC3339.date(from:)), resolveBy.flatMap(RFC3339.date(from:)),
            "the citizen's resolve deadline stays")
        let history = try XCTUnwrap(takenOver.json["history"] as? [[String: Any]])
        XCTAssertEqual(history.first { $0["assignment_id"] as? String == soleID }?["state"] as? String, "cancelled")
        let newID = try XCTUnwrap(takenOver.string("assignment_id"))
        let signedByNew = try await h.command("unit.\(successor)", "unit.sign", ["assignment_id": newID])
        XCTAssertEqual(signedByNew.routingKey, "assignment.signed", String(decoding: signedByNew.body, as: UTF8.self))
        try await h.expectRejected(h.command("unit.\(old)", "unit.sign", ["assignment_id": soleID]), "wrong_state")

        // The co-unit's part goes to RT-B under the same lead; CG learns its new co-unit.
        let part = try await h.created(shared, unit: successor)
        XCTAssertEqual(part.string("role"), "co")
        XCTAssertEqual(part.string("lead_unit"), "CG")
        let coUnits = await h.unit("CG").wait {
            $0.properties.type == "assignment.updated" && $0.string("assignment_id") == leadID
        }
        XCTAssertEqual(coUnits.first?.json["co_units"] as? [String], [successor])

        // RT-C's assignment goes to manual dispatch.
        let manual = await h.events.wait { $0.routingKey == "ticket.dispatch-manual" && $0.string("ticket_no") == orphaned }
        XCTAssertEqual(manual.first?.string("reason"), "unit_retired")

        // A ticket RT-A resolved before it was retired, reopened by the survey: RT-B re-handles it.
        try await h.publishEvent("ticket.reopened", [
            "ticket_no": done, "assignment_id": doneID, "reason": "unsatisfied", "survey_id": "SV-\(done)",
        ])
        let rehandled = await h.events.wait {
            $0.routingKey == "assignment.transferred" && $0.string("assignment_id") == doneID
        }
        XCTAssertEqual(rehandled.first?.string("successor"), successor)
        let rehandling = try await h.created(done, unit: successor)
        XCTAssertEqual(rehandling.string("role"), "sole")
        XCTAssertFalse(
            h.unit(old).messages.contains {
                $0.string("assignment_id") == doneID
                    && ["assignment.reopened", "assignment.cancelled"].contains($0.properties.type ?? "")
            },
            "the retired unit hears nothing of the reopening")

        // RT-C led a ticket with CG as co-unit: the ticket goes to manual dispatch, CG's part ends with
        // it, and the center can dispatch the ticket afresh.
        let ledManual = await h.events.wait { $0.routingKey == "ticket.dispatch-manual" && $0.string("ticket_no") == led }
        XCTAssertEqual(ledManual.first?.string("reason"), "unit_retired")
        let helperEnded = await h.unit("CG").wait {
            $0.properties.type == "assignment.cancelled" && $0.string("assignment_id") == helperID
        }
        XCTAssertEqual(helperEnded.first?.string("reason"), "lead_retired")
        let redispatched = try await h.command("center", "center.dispatch", ["ticket_no": led, "mode": "sole", "units": ["CG"]])
        XCTAssertEqual(redispatched.string("type"), "ticket.dispatched", String(decoding: redispatched.body, as: UTF8.self))

        // No return counted against anyone; the old clocks ended as transferred, no timer left on them.
        try await h.poll("the old clocks end") {
            try await h.scalar(
                "SELECT count(*) AS n FROM sla_clocks WHERE subject = ANY(string_to_array($1, ',')) AND state->>'end_reason' = 'unit_retired'",
                [[soleID, partID, orphanID, ledID].joined(separator: ",")]) == 4
        }
        // (The reopened one's clock ended when it was resolved: the reopening went straight to RT-B.)
        try await h.poll("the reopened clock ends") {
            try await h.scalar(
                "SELECT count(*) AS n FROM sla_clocks WHERE subject = $1 AND state->>'ended_at' IS NOT NULL", [doneID]) == 1
        }
        let pending = try await h.scalar(
            "SELECT count(*) AS n FROM sla_timers WHERE subject = ANY(string_to_array($1, ',')) AND state = 'pending'",
            [[soleID, partID, orphanID, doneID, ledID, helperID].joined(separator: ",")])
        XCTAssertEqual(pending, 0)
        let states = try await h.scalar(
            "SELECT count(*) AS n FROM assignments WHERE unit = ANY(string_to_array($1, ',')) AND state = 'cancelled'",
            [[old, orphan].joined(separator: ",")])
        XCTAssertEqual(states, 5)
        let returns = try await h.scalar(
            "SELECT count(*) AS n FROM return_requests r JOIN assignments a USING (assignment_id) WHERE a.unit = $1", [old])
        XCTAssertEqual(returns, 0)

        // Drained once the units have read their cancellations: prune deletes their queues and users.
        for (code, assignmentID) in [(old, partID), (orphan, orphanID), (orphan, ledID)] {
            let cancellation = await h.unit(code).wait {
                $0.properties.type == "assignment.cancelled" && $0.string("assignment_id") == assignmentID
            }
            XCTAssertEqual(cancellation.first?.string("reason"), "unit_retired")
        }
        for code in [old, orphan] { await h.stopObserving("hotline.unit.\(code)") }
        let ctl = "\(stack.stackScript) rabbitmqctl"
        let preview = try await Ctl.run(stack, ["broker", "prune", "--rabbitmqctl", ctl])
        XCTAssertEqual(preview.status, 0, preview.error)
        XCTAssertTrue(preview.output.contains("\(old): drained"), preview.output)
        XCTAssertTrue(try stack.rabbitmqctl("list_users").contains("unit.\(old)"), "nothing removed without --apply")
        let pruned = try await Ctl.run(stack, ["broker", "prune", "--apply", "--rabbitmqctl", ctl])
        XCTAssertEqual(pruned.status, 0, pruned.error + pruned.output)
        XCTAssertTrue(pruned.output.contains("deleted the broker user unit.\(orphan)"), pruned.output)
        let users = try stack.rabbitmqctl("list_users")
        let queues = try stack.rabbitmqctl("list_queues", "name")
        for code in [old, orphan] {
            XCTAssertFalse(users.contains("unit.\(code)\t"), "unit.\(code) removed")
            XCTAssertFalse(queues.contains("hotline.unit.\(code)\n"), "hotline.unit.\(code) deleted")
        }
        XCTAssertTrue(queues.contains("hotline.unit.\(successor)"), "the successor's queue stays")

        try await h.restoreShippedJurisdiction()
    }
}
