import Foundation
import HotlineDomain
import XCTest

/// PS §15(六): the unit that handled a closed ticket to its end files its conclusion notice, once.
final class ConclusionRulesTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_780_000_000)
    lazy var assignedAt = now.addingTimeInterval(-10 * 86_400)

    func command(issuedAt: Date? = nil) -> UnitConcludeMatter {
        UnitConcludeMatter(ticketNo: "PS-20260501-000001", noticeNo: "坪民终〔2026〕12号", issuedAt: issuedAt ?? now.addingTimeInterval(-60))
    }

    func ticket(
        _ status: TicketStatus = .closed, _ states: [AssignmentState] = [.closed], filed: String? = nil
    ) -> ConclusionRules.Ticket {
        ConclusionRules.Ticket(status: status, unitAssignments: states, firstAssignedAt: assignedAt, filedNotice: filed)
    }

    func reason(_ ticket: ConclusionRules.Ticket?, issuedAt: Date? = nil) -> CommandRejection? {
        ConclusionRules.check(command(issuedAt: issuedAt), by: "CG", ticket: ticket, now: now, skew: 300)?.reason
    }

    func testTheUnitThatResolvedAClosedTicketFilesItsNotice() {
        XCTAssertNil(reason(ticket()))
        XCTAssertNil(reason(ticket(.closed, [.returned, .resolved])), "a later assignment of the unit resolved it")
    }

    func testRefusals() {
        XCTAssertEqual(reason(nil), .notFound)
        XCTAssertEqual(reason(ticket(.closed, [])), .forbidden, "another unit's ticket")
        XCTAssertEqual(reason(ticket(.closed, [.returned])), .forbidden, "the unit returned it: it did not handle it")
        XCTAssertEqual(reason(ticket(.closed, [.cancelled])), .forbidden)
        for status in [TicketStatus.dispatched, .resolved, .manual] {
            XCTAssertEqual(reason(ticket(status, [.resolved])), .wrongState, "\(status): not handled to its end yet")
        }
        XCTAssertEqual(reason(ticket(filed: "坪民终〔2026〕3号")), .wrongState, "a ticket is concluded once")
        XCTAssertEqual(reason(ticket(), issuedAt: now.addingTimeInterval(3_600)), .invalid, "issued in the future")
        XCTAssertEqual(reason(ticket(), issuedAt: assignedAt.addingTimeInterval(-86_400)), .invalid, "issued before the unit had it")
    }

    func testTheCommandsFieldsAreChecked() {
        let blank = UnitConcludeMatter(ticketNo: " ", noticeNo: "", issuedAt: now)
        XCTAssertEqual(blank.validationProblems(), ["ticket_no must not be blank", "notice_no must not be blank"])
        let long = UnitConcludeMatter(
            ticketNo: "PS-1", noticeNo: String(repeating: "号", count: 65), issuedAt: now, note: String(repeating: "x", count: 501))
        XCTAssertEqual(long.validationProblems().count, 2)
        if case .failure(let error) = Command.decode(type: "unit.conclude-matter", body: Data(#"{"ticket_no":"PS-1"}"#.utf8)) {
            XCTAssertTrue(error.message.contains("notice_no"), error.message)
        } else {
            XCTFail("a command without notice_no is malformed")
        }
    }
}
