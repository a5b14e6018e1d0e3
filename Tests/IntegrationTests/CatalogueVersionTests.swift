import Foundation
import HotlineDomain
import XCTest

/// A ticket keeps the catalogue version it was routed under (docs/operations.md "Changing reference
/// data while the platform runs"): a catalogue loaded later moves none of its deadlines, while tickets
/// routed afterwards take the new item.
final class CatalogueVersionTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    func testALaterCatalogueMovesNoDeadlineOfATicketRoutedBefore() async throws {
        // Closed before the next test starts: its reply queues' consumers must not take others' replies.
        try await withHarness { h in try await loadLater(h) }
    }

    private func loadLater(_ h: LifecycleHarness) async throws {
        try await h.restoreShippedJurisdiction()
        var file = try await h.loadedJurisdiction()
        let index = try XCTUnwrap(file.catalogue.firstIndex { $0.code == "CG-001" })
        XCTAssertNil(file.catalogue[index].handleWorkingDays, "CG-001 takes its kind's limit in the shipped catalogue")

        // Routed under the shipped catalogue, not yet signed.
        let before = try await h.submit(category: "CG-001")
        let beforeCreated = try await h.created(before, unit: "CG")
        let beforeID = try XCTUnwrap(beforeCreated.string("assignment_id"))

        // CG-001 gets 30 working days, longer than every kind's limit: refused until it names its kinds
        // (PS §11(一)); then loaded and announced to the running services.
        file.catalogue[index].handleWorkingDays = 30
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("catalogue-version-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: path) }
        try HotlineJSON.encode(file).write(to: path)   // JSON is YAML
        let refused = try await Ctl.run(h.stack, ["catalogue", "load", path.path])
        XCTAssertNotEqual(refused.status, 0, refused.output)
        XCTAssertTrue(
            refused.error.contains("catalogue[\(index)].handle_working_days: 30 working days is longer than the profile's limit of every kind"),
            refused.error)
        file.catalogue[index].handleKinds = [.complaint]
        try HotlineJSON.encode(file).write(to: path)
        let loaded = try await Ctl.run(h.stack, ["catalogue", "load", path.path])
        XCTAssertEqual(loaded.status, 0, loaded.error)
        let version = try h.catalogueVersion(printed: loaded.output)
        try await h.waitForCatalogueVersion(version, services: ["intake", "dispatcher", "sla-timer"])

        let after = try await h.submit(category: "CG-001")
        let afterCreated = try await h.created(after, unit: "CG")
        let afterID = try XCTUnwrap(afterCreated.string("assignment_id"))

        // Both signed now: the handling deadline counts from signing by each ticket's own item.
        let signedBefore = try await h.command("unit.CG", "unit.sign", ["assignment_id": beforeID])
        let signedAfter = try await h.command("unit.CG", "unit.sign", ["assignment_id": afterID])
        func resolveBy(_ signed: Observer.Message) throws -> Date {
            let text = try XCTUnwrap((signed.json["deadlines"] as? [String: Any])?["resolve_by"] as? String)
            return try XCTUnwrap(RFC3339.date(from: text))
        }
        let calendarDays = try resolveBy(signedAfter).timeIntervalSince(try resolveBy(signedBefore)) / 86_400
        XCTAssertGreaterThan(calendarDays, 14, "30 working days end weeks after the kind's limit")

        // A consultation on the same item keeps its own one working day: the item names complaints only.
        let question = try await h.submit(category: "CG-001", description: "请问小区门口的流动摊贩占道经营归哪个部门管？")
        let questionKind = try await h.text("SELECT kind AS t FROM tickets WHERE ticket_no = $1", [question])
        XCTAssertEqual(questionKind, "consultation")
        let questionCreated = try await h.created(question, unit: "CG")
        let questionID = try XCTUnwrap(questionCreated.string("assignment_id"))
        let signedQuestion = try await h.command("unit.CG", "unit.sign", ["assignment_id": questionID])
        XCTAssertLessThan(
            try resolveBy(signedQuestion).timeIntervalSinceNow / 86_400, 5, "one working day, not 30")

        /// Waits (up to 15 s) until `sql` counts one row.
        func eventuallyOne(_ sql: String, _ parameters: [String], line: UInt = #line) async throws {
            var count = 0
            for _ in 0..<75 {
                count = try await h.scalar(sql, parameters)
                if count == 1 { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            XCTAssertEqual(count, 1, sql, line: line)
        }
        try await eventuallyOne(
            "SELECT count(*) AS n FROM ticket_progress WHERE ticket_no = $1 AND catalogue_version < $2 AND routed_item->>'handle_working_days' IS NULL",
            [before, String(version)])
        try await eventuallyOne(
            "SELECT count(*) AS n FROM ticket_progress WHERE ticket_no = $1 AND catalogue_version = $2 AND routed_item->>'handle_working_days' = '30'",
            [after, String(version)])
        // The SLA timer's clocks hold the same items.
        try await eventuallyOne(
            "SELECT count(*) AS n FROM sla_clocks WHERE subject = $1 AND state->>'item_working_days' IS NULL", [beforeID])
        try await eventuallyOne(
            "SELECT count(*) AS n FROM sla_clocks WHERE subject = $1 AND (state->>'item_working_days')::int = 30", [afterID])
        try await eventuallyOne(
            "SELECT count(*) AS n FROM sla_clocks WHERE subject = $1 AND state->>'item_working_days' IS NULL", [questionID])

        // `ticket show` says which version a ticket is held to, and masks the citizen's phone.
        let shown = try await Ctl.run(h.stack, ["ticket", "show", after, "--json"])
        XCTAssertEqual(shown.status, 0, shown.error)
        let report = try HotlineJSON.decode(JSONValue.self, from: Data(shown.output.utf8))
        XCTAssertEqual(report["catalogue_version"]?.intValue, version)
        XCTAssertEqual(report["citizen"]?["phone"]?.stringValue?.contains("****"), true, shown.output)
        let text = try await Ctl.run(h.stack, ["ticket", "show", after])
        XCTAssertTrue(text.output.contains("catalogue version \(version)"), text.output)

        try await h.restoreShippedJurisdiction()
    }
}
