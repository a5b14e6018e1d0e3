import Foundation
import XCTest

/// A deadline in a year no working calendar covers (docs/operations.md "Calendars") is answered, not
/// retried until dead-lettered: the ticket waits for manual dispatch saying why, a center command that
/// needs such a deadline is refused, and `/health` warns.
final class CalendarGapTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    func testDeadlinesInAYearWithoutCalendarAreAnsweredNotRetried() async throws {
        try await withHarness { h in
            // The only dispatcher runs three years ahead: every deadline it plans falls in a year
            // without a calendar (the sample calendars cover 2025-2027).
            let port = try XCTUnwrap(h.platform.process("dispatcher")).httpPort
            h.platform.remove("dispatcher")?.terminate()
            let ahead = try h.platform.launch(
                "dispatcher", port: port, environment: ["HOTLINE_CLOCK_OFFSET_SECONDS": String(3 * 366 * 86_400)])
            try await ahead.waitUntilHealthy()

            let ticketNo = try await h.submit(category: "CG-001")
            let manual = await h.events.wait { $0.routingKey == "ticket.dispatch-manual" && $0.string("ticket_no") == ticketNo }
            XCTAssertEqual(manual.first?.string("reason"), "calendar_not_covered")
            let assignments = try await h.scalar("SELECT count(*) AS n FROM assignments WHERE ticket_no = $1", [ticketNo])
            XCTAssertEqual(assignments, 0)

            let refused = try await h.command("center", "center.dispatch", ["ticket_no": ticketNo, "mode": "sole", "units": ["CG"]])
            try h.expectRejected(refused, "not_allowed")
            XCTAssertTrue(refused.string("message")?.contains("does not cover the year") ?? false, refused.string("message") ?? "")

            let health = try await HTTPProbe.body(port: ahead.httpPort, path: "/health")
            XCTAssertTrue(health.contains(#""status":"up""#) && health.contains("does not cover this year"), health)
        }
    }
}
