import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage
import XCTest

/// `hotlinectl report` over the real database: exact figures on a handful of tickets with known
/// facts (written straight into the tables, in March 2024 where nothing else lives), the same
/// numbers in the table and the JSON, and the report following tickets that went through the
/// platform.
final class ReportTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    /// The report of the fixture's two weeks, straight from `ReportQuery`.
    private static func report(_ stack: TestStack, grouping: ReportGrouping?) async throws -> HotlineReport {
        let database = stack.database()
        let query = ReportQuery(
            from: CalendarDate("2024-03-04")!, to: CalendarDate("2024-03-17")!, grouping: grouping, unit: nil, top: 10, asOf: Date())
        let report = try await database.withConnection { try query.run(on: $0) }
        await database.shutdown()
        return report
    }

    func testKnownFactsGiveKnownFigures() async throws {
        let stack = try TestStack.fromEnvironment()
        let database = stack.database()
        let surveys = try await ReportFixture.load(on: database)
        await database.shutdown()

        let run = try await Ctl.run(stack, ["report", "--from", "2024-03-04", "--to", "2024-03-17", "--by", "week", "--json"])
        XCTAssertEqual(run.status, 0, run.error)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], run.output)
        XCTAssertEqual(report["by"] as? String, "week")
        let periods = try XCTUnwrap(report["periods"] as? [[String: Any]])
        XCTAssertEqual(periods.map { $0["period"] as? String }, ["2024-W10", "2024-W11"])
        let w10 = ReportJSON(periods[0]), w11 = ReportJSON(periods[1])

        // Intake, by receipt.
        XCTAssertEqual(w10.total(["received", "accepted", "not_accepted", "answered_on_call", "merged", "split"]),
                       [5, 2, 1, 1, 1, 0])
        XCTAssertEqual(w10.notAccepted, ["no_substance": 1])
        XCTAssertEqual(w11.total(["received", "accepted", "split"]), [1, 1, 1])
        // Dispatch: T1 on time, T2 late; the child of T6 on time.
        XCTAssertEqual(w10.rate("dispatch_on_time_rate"), [1, 2])
        XCTAssertEqual(w11.rate("dispatch_on_time_rate"), [1, 1])
        // Assignments dispatched in week 10: A1 (CG), A2 (CG), A3 (ZJ, returned unsigned).
        XCTAssertEqual(w10.total(["assignments", "sign_due", "signed", "signed_on_time", "auto_signed"]), [3, 2, 2, 1, 1])
        XCTAssertEqual(w10.unit("CG", ["assignments", "sign_due", "signed_on_time"]), [2, 2, 1])
        XCTAssertEqual(w10.unit("ZJ", ["assignments", "sign_due", "returns_requested", "returns_approved"]), [1, 0, 1, 1])
        XCTAssertEqual(w10.rate("response_rate"), [1, 2])
        XCTAssertEqual(w10.rate("notify_on_time_rate"), [1, 2])
        XCTAssertEqual(w10.total(["resolved", "resolved_on_time", "overdue", "overdue_tier_1", "overdue_tier_2", "overdue_tier_3",
                                  "stage_resolved"]), [1, 1, 1, 0, 0, 1, 1])
        XCTAssertEqual(w10.rate("on_time_completion_rate"), [1, 2])
        XCTAssertEqual(w10.rate("on_time_completion_rate", unit: "CG"), [1, 2])
        // Week 11: A4 (CG) resolved 15 hours late, a late return denied, an extension approved, A1 reopened.
        XCTAssertEqual(w11.total(["assignments", "resolved", "resolved_on_time", "overdue", "overdue_tier_1"]), [1, 1, 0, 1, 1])
        XCTAssertEqual(w11.unit("CG", ["returns_requested", "returns_denied", "returns_late", "extensions_requested",
                                        "extensions_approved", "reopened"]), [1, 1, 1, 1, 1, 1])
        XCTAssertEqual(w11.total(["notify_due", "notified_on_time"]), [1, 0])
        XCTAssertNil(w11.units["ZJ"], "a unit with nothing in the period has no row")
        if surveys {
            XCTAssertEqual(w11.total(["surveys_sent", "surveys_answered"]), [2, 2])
            XCTAssertEqual(w11.rate("satisfaction_rate"), [1, 1], "the excluded dissatisfaction does not count")
            XCTAssertEqual(w11.rate("resolution_rate"), [1, 2])
            XCTAssertEqual(w11.rate("satisfaction_rate", unit: "CG"), [1, 1])
        }

        // A report by day adds up to the report over its whole range (the console's dashboard relies on it).
        let byDay = try await Self.report(stack, grouping: .day), whole = try await Self.report(stack, grouping: nil)
        XCTAssertEqual(byDay.wholeRange.total.counts, whole.periods.first?.total.counts)
        XCTAssertEqual(byDay.wholeRange.units.mapValues(\.counts), whole.periods.first?.units.mapValues(\.counts))
        XCTAssertFalse(byDay.wholeRange.total.counts.isEmpty)

        let hotspots = try XCTUnwrap(report["hotspots"] as? [String: Any])
        let categories = try XCTUnwrap(hotspots["categories"] as? [[String: Any]])
        XCTAssertEqual(categories.first?["category"] as? String, "CG-001")
        XCTAssertEqual(categories.first?["tickets"] as? Int, 3, "T1, T2 and the merged T5")
        XCTAssertEqual(categories.first?["name"] as? String, "占道经营")
        let recurring = try XCTUnwrap(hotspots["recurring"] as? [[String: Any]])
        XCTAssertEqual(recurring.count, 1)
        XCTAssertEqual(recurring.first?["tickets"] as? Int, 2)
        XCTAssertEqual(recurring.first?["address"] as? String, ReportFixture.address)

        // --unit keeps only that unit's figures; the table shows the same numbers as the JSON.
        let cg = try await Ctl.run(stack, ["report", "--from", "2024-03-04", "--to", "2024-03-10", "--unit", "CG"])
        XCTAssertEqual(cg.status, 0, cg.error)
        let lines = cg.output.split(separator: "\n").map(String.init)
        let header = try XCTUnwrap(lines.first { $0.contains("total") })
        XCTAssertEqual(header.split(separator: " ").map(String.init), ["total", "CG"])
        let response = try XCTUnwrap(lines.first { $0.hasPrefix("response_rate") })
        XCTAssertTrue(response.contains("50.0% (1/2)"), response)
        let received = try XCTUnwrap(lines.first { $0.hasPrefix("received ") })
        XCTAssertEqual(received.split(separator: " ").last, "5")

        let bad = try await Ctl.run(stack, ["report", "--from", "2024-03-10", "--to", "2024-03-04"])
        XCTAssertNotEqual(bad.status, 0)
    }

    func testReportFollowsTicketsThroughThePlatform() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let events = Observer.bound(to: "hotline.events", routingKeys: ["ticket.dispatched"], stack: stack)
        await events.waitUntilConnected()
        // SampleSubmission's received_at is 2026-11-23 (local); dispatch happens now.
        let today = ReportFixture.localDate(Date())
        let range = ["report", "--from", "2026-11-23", "--to", max(today, "2026-11-23"), "--json"]
        let before = ReportJSON(try Ctl.periods(try await Ctl.run(stack, range))[0])

        let gateway = TestPublisher(user: "gateway", stack: stack)
        var ids: [String] = []
        for index in 0..<2 {
            let id = "REPORT-\(index)-\(UUID().uuidString.prefix(8))"
            ids.append(id)
            try await gateway.publish(
                exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit", body: SampleSubmission.body(id: id))
        }
        let database = stack.database()
        let deadline = Date().addingTimeInterval(30)
        let submitted = ids
        var tickets: [String] = []
        while Date() < deadline {
            tickets = try await database.withConnection { connection in
                try connection.query(
                    "SELECT ticket_no FROM tickets WHERE submission_id = ANY($1::text[])", [submitted]
                ).map { try $0.decode("ticket_no", as: String.self) }
            }
            if tickets.count == 2 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        XCTAssertEqual(tickets.count, 2)
        let made = tickets
        let dispatched = await events.wait(for: 2) { message in made.contains(message.string("ticket_no") ?? "") }
        XCTAssertEqual(dispatched.count, 2)
        await database.shutdown()
        await gateway.close()
        await events.close(deleting: true, stack: stack)

        let after = ReportJSON(try Ctl.periods(try await Ctl.run(stack, range))[0])
        XCTAssertEqual(after.total(["received"])[0] - before.total(["received"])[0], 2)
        XCTAssertEqual(after.total(["accepted"])[0] - before.total(["accepted"])[0], 2)
        XCTAssertEqual(after.total(["tickets_dispatched"])[0] - before.total(["tickets_dispatched"])[0], 2)
        XCTAssertEqual(after.unit("CG", ["assignments"])[0] - before.unit("CG", ["assignments"])[0], 2)
    }
}

/// Reading one period of the report's JSON.
struct ReportJSON {
    let object: [String: Any]
    init(_ object: [String: Any]) { self.object = object }

    var units: [String: Any] { object["units"] as? [String: Any] ?? [:] }
    private var totalFigures: [String: Any] { object["total"] as? [String: Any] ?? [:] }

    private static func counts(_ figures: [String: Any], _ names: [String]) -> [Int] {
        let counts = figures["counts"] as? [String: Any] ?? [:]
        return names.map { counts[$0] as? Int ?? -1 }
    }

    func total(_ names: [String]) -> [Int] { Self.counts(totalFigures, names) }

    func unit(_ code: String, _ names: [String]) -> [Int] {
        guard let figures = units[code] as? [String: Any] else { return names.map { _ in 0 } }
        return Self.counts(figures, names)
    }

    var notAccepted: [String: Int] { totalFigures["not_accepted_by_reason"] as? [String: Int] ?? [:] }

    /// [numerator, denominator]
    func rate(_ name: String, unit: String? = nil) -> [Int] {
        let figures = unit.map { units[$0] as? [String: Any] ?? [:] } ?? totalFigures
        let rate = (figures["rates"] as? [String: Any])?[name] as? [String: Any] ?? [:]
        return [rate["numerator"] as? Int ?? -1, rate["denominator"] as? Int ?? -1]
    }
}

extension Ctl {
    static func periods(_ run: Run) throws -> [[String: Any]] {
        guard run.status == 0 else { throw NSError(domain: "hotlinectl", code: Int(run.status), userInfo: [NSLocalizedDescriptionKey: run.error]) }
        let object = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any]
        return object?["periods"] as? [[String: Any]] ?? []
    }
}

/// Tickets with known facts in the weeks of 2024-03-04 (W10) and 2024-03-11 (W11), all numbered
/// `RPT-…`; loading deletes the previous run's rows first, so the figures are exact.
enum ReportFixture {
    static let address = "秀新路1号"

    static func localDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    /// Loads the facts; true when the `surveys` table exists and surveys were loaded too.
    static func load(on database: Database) async throws -> Bool {
        try await database.transaction { connection in
            let surveys = try connection.query("SELECT to_regclass('public.surveys') IS NOT NULL AS found").first?
                .decode("found", as: Bool.self) ?? false
            if surveys { try connection.query("DELETE FROM surveys WHERE ticket_no LIKE 'RPT-%'") }
            for statement in [
                "DELETE FROM resolutions WHERE assignment_id LIKE 'RPT-%'",
                "DELETE FROM return_requests WHERE assignment_id LIKE 'RPT-%'",
                "DELETE FROM sla_extension_requests WHERE assignment_id LIKE 'RPT-%'",
                "DELETE FROM ticket_history WHERE ticket_no LIKE 'RPT-%'",
                "DELETE FROM citizen_notices WHERE assignment_id LIKE 'RPT-%'",
                "DELETE FROM assignments WHERE ticket_no LIKE 'RPT-%'",
                "DELETE FROM intake_demands WHERE ticket_no LIKE 'RPT-%'",
                "DELETE FROM ticket_links WHERE ticket_no LIKE 'RPT-%' OR linked_no LIKE 'RPT-%'",
                "UPDATE tickets SET merged_into = NULL, parent_no = NULL WHERE ticket_no LIKE 'RPT-%'",
                "DELETE FROM ticket_progress WHERE ticket_no LIKE 'RPT-%'",
                "DELETE FROM tickets WHERE ticket_no LIKE 'RPT-%'",
            ] { try connection.query(statement) }

            // ticket, outcome, received (local), category, status, rejection reason
            let tickets: [(String, String, String, String?, String, String?)] = [
                ("RPT-T1", "accepted", "2024-03-04T10:00:00+08:00", "CG-001", "dispatched", nil),
                ("RPT-T2", "accepted", "2024-03-05T10:00:00+08:00", "CG-001", "dispatched", nil),
                ("RPT-T3", "rejected", "2024-03-05T11:00:00+08:00", nil, "rejected", "no_substance"),
                ("RPT-T4", "answered", "2024-03-06T09:00:00+08:00", "ZJ-005", "answered", nil),
                ("RPT-T5", "merged", "2024-03-06T10:00:00+08:00", "CG-001", "merged", nil),
                ("RPT-T6", "split", "2024-03-11T09:00:00+08:00", nil, "split", nil),
                ("RPT-T6-1", "child", "2024-03-11T09:00:00+08:00", "HB-004", "dispatched", nil),
            ]
            for (ticket, outcome, received, category, status, reason) in tickets {
                let rejection = reason.map { "{\"reason\": \"\($0)\", \"basis\": \"test\"}" }
                try connection.query(
                    """
                    INSERT INTO tickets (ticket_no, submission_id, status, channel, kind, urgency, category, description,
                                         street, community, citizen, rejection, received_at, accepted_at, updated_at)
                    VALUES ($1, $1, $2, 'hotline', 'complaint', 'normal', $3, 'report fixture', '坑梓街道', '秀新社区',
                            '{"anonymous": true}'::jsonb, $4::jsonb, $5::timestamptz, $5::timestamptz, $5::timestamptz)
                    """, [ticket, status, category, rejection, received])
                // Only the first two share a house address (a recurring matter); the others have their own.
                let address = ticket == "RPT-T1" || ticket == "RPT-T2" ? Self.address : "\(ticket) 号"
                try connection.query(
                    """
                    INSERT INTO intake_demands (ticket_no, submission_id, outcome, category, street, community, address_norm,
                                                received_at, day, parent_no, merged_into)
                    VALUES ($1, $1, $2, $3, '坑梓街道', '秀新社区', $4, $5::timestamptz,
                            ($5::timestamptz AT TIME ZONE 'Asia/Shanghai')::date, $6, $7)
                    """, [ticket, outcome, category, address, received,
                          ticket == "RPT-T6-1" ? "RPT-T6" : nil, ticket == "RPT-T5" ? "RPT-T1" : nil])
            }

            // assignment, ticket, unit, state, created, dispatch_by, sign_by, signed_at, auto, notify_by, notified_at, resolve_by
            let assignments: [(String, String, String, String, String, String, String, String?, Bool, String, String?, String)] = [
                ("RPT-A1", "RPT-T1", "CG", "resolved", "2024-03-04T10:30:00+08:00", "2024-03-04T12:00:00+08:00",
                 "2024-03-04T15:00:00+08:00", "2024-03-04T14:00:00+08:00", false, "2024-03-05T18:00:00+08:00",
                 "2024-03-05T09:00:00+08:00", "2024-03-13T18:00:00+08:00"),
                ("RPT-A2", "RPT-T2", "CG", "signed", "2024-03-05T13:00:00+08:00", "2024-03-05T12:00:00+08:00",
                 "2024-03-05T17:00:00+08:00", "2024-03-05T17:00:00+08:00", true, "2024-03-06T18:00:00+08:00", nil,
                 "2024-03-06T18:00:00+08:00"),
                ("RPT-A3", "RPT-T2", "ZJ", "returned", "2024-03-05T13:00:00+08:00", "2024-03-05T12:00:00+08:00",
                 "2024-03-05T17:00:00+08:00", nil, false, "2024-03-06T18:00:00+08:00", nil, "2024-03-06T18:00:00+08:00"),
                ("RPT-A4", "RPT-T6-1", "CG", "resolved", "2024-03-11T10:00:00+08:00", "2024-03-11T11:00:00+08:00",
                 "2024-03-11T12:00:00+08:00", "2024-03-11T10:30:00+08:00", false, "2024-03-12T18:00:00+08:00", nil,
                 "2024-03-12T18:00:00+08:00"),
            ]
            for (id, ticket, unit, state, created, dispatchBy, signBy, signedAt, auto, notifyBy, notifiedAt, resolveBy) in assignments {
                let deadlines = "{\"dispatch_by\": \"\(dispatchBy)\", \"sign_by\": \"\(signBy)\", \"notify_by\": \"\(notifyBy)\", \"resolve_by\": \"\(resolveBy)\"}"
                try connection.query(
                    """
                    INSERT INTO assignments (assignment_id, ticket_no, unit, role, state, deadlines, return_allowed,
                                             extension_allowed, created_at, updated_at, signed_at, auto_signed, notified_at)
                    VALUES ($1, $2, $3, 'sole', $4, $5::jsonb, true, true, $6::timestamptz, $6::timestamptz,
                            $7::timestamptz, $8, $9::timestamptz)
                    """, [id, ticket, unit, state, deadlines, created, signedAt, auto, notifiedAt])
            }
            // Resolutions: A1 final on time, A4 final 15 h late, A2 stage-resolved; a rejected one for A2 counts nothing.
            for (assignment, kind, submitted, approved) in [
                ("RPT-A1", "final", "2024-03-12T10:00:00+08:00", true), ("RPT-A4", "final", "2024-03-13T09:00:00+08:00", true),
                ("RPT-A2", "stage", "2024-03-06T10:00:00+08:00", true), ("RPT-A2", "final", "2024-03-06T11:00:00+08:00", false),
            ] {
                try connection.query(
                    """
                    INSERT INTO resolutions (assignment_id, kind, outcome, submitted_at, command_id, decided_at, approved)
                    VALUES ($1, $2, 'resolved', $3::timestamptz, $1 || $2, $3::timestamptz + interval '1 hour', $4)
                    """, [assignment, kind, submitted, approved])
            }
            try connection.query(
                """
                INSERT INTO return_requests (assignment_id, reason_code, reason, basis, late, requested_at, command_id,
                                             decided_at, approved)
                VALUES ('RPT-A3', 'not_our_duty', 'r', 'b', false, '2024-03-05T14:00:00+08:00', 'RPT-R1',
                        '2024-03-05T15:00:00+08:00', true),
                       ('RPT-A4', 'not_our_duty', 'r', 'b', true, '2024-03-11T11:00:00+08:00', 'RPT-R2',
                        '2024-03-11T15:00:00+08:00', false)
                """)
            try connection.query(
                """
                INSERT INTO sla_extension_requests (request_id, assignment_id, ticket_no, unit, working_days, grant_days, reason,
                                                    state, command_id, requested_at, resolve_by_before)
                VALUES ('RPT-E1', 'RPT-A4', 'RPT-T6-1', 'CG', 1, 1, 'r', 'approved', 'RPT-E1',
                        '2024-03-11T12:00:00+08:00', '2024-03-12T18:00:00+08:00')
                """)
            try connection.query(
                """
                INSERT INTO ticket_history (ticket_no, at, actor, action, detail)
                VALUES ('RPT-T1', '2024-03-12T09:00:00+08:00', 'dispatcher', 'reopened', '{"assignment_id": "RPT-A1"}')
                """)
            if surveys {
                // The shared shape, plus the survey service's own NOT NULL columns when its migration has them.
                let columns = Set(try connection.query(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = 'surveys'"
                ).map { try $0.decode("column_name", as: String.self) })
                let extra = columns.contains("handled_no") ? ", handled_no, resolved_event" : ""
                for (survey, ticket, satisfied, solved, excluded, sent) in [
                    ("RPT-S1", "RPT-T1", true, true, false, "2024-03-12T12:00:00+08:00"),
                    ("RPT-S2", "RPT-T2", false, false, true, "2024-03-13T12:00:00+08:00"),
                ] {
                    try connection.query(
                        """
                        INSERT INTO surveys (survey_id, ticket_no, profile, status, counted, satisfied, solved, excluded,
                                             sent_at, expires_at, answered_at\(extra))
                        VALUES ($1, $2, 'pingshan', 'answered', true, $3, $4, $5, $6::timestamptz,
                                $6::timestamptz + interval '7 days', $6::timestamptz + interval '1 hour'
                                \(extra.isEmpty ? "" : ", $2, 'RPT'"))
                        """, [survey, ticket, satisfied, solved, excluded, sent])
                }
            }
            return surveys
        }
    }
}
