import Foundation
@testable import HotlineDomain
import XCTest

/// The console's pure rules: who may do what, the claim keys of work items, how waits and
/// deadlines read, the time line of a ticket, masking a phone and the password rule.
final class ConsoleRuleTests: XCTestCase {
    func testEachRoleMayDoWhatItsWorkNeedsAndNoMore() {
        XCTAssertTrue(ConsoleRole.dispatcher.may(.dispatch))
        XCTAssertTrue(ConsoleRole.dispatcher.may(.decideReturn))
        XCTAssertFalse(ConsoleRole.dispatcher.may(.decideResolution))
        XCTAssertFalse(ConsoleRole.dispatcher.may(.operateDeadLetters))
        XCTAssertTrue(ConsoleRole.reviewer.may(.decideExtension))
        XCTAssertTrue(ConsoleRole.reviewer.may(.decideResolution))
        XCTAssertFalse(ConsoleRole.reviewer.may(.dispatch))
        for permission in [ConsolePermission.dispatch, .decideReturn, .decideExtension, .decideResolution, .operateDeadLetters] {
            XCTAssertFalse(ConsoleRole.supervisor.may(permission), "a supervisor only watches: \(permission)")
        }
        XCTAssertTrue(ConsoleRole.supervisor.may(.readAudit))
        XCTAssertEqual(ConsoleRole.administrator.permissions, Set(ConsolePermission.allCases))
        for role in ConsoleRole.allCases {
            XCTAssertTrue(role.may(.readTickets) && role.may(.readDashboard), "\(role) reads tickets and figures")
        }
        XCTAssertEqual(WorkQueue.stageResolutions.permission, .decideResolution)
    }

    func testAClaimKeyNamesTheItemAndItsRound() {
        XCTAssertEqual(WorkQueue.returns.claimKey("PS-1-CG", round: "7"), "return:PS-1-CG#7")
        XCTAssertTrue(WorkQueue.returns.claimKey("PS-1-CG", round: "7").hasPrefix(WorkQueue.returns.claimPrefix("PS-1-CG")))
        XCTAssertFalse(WorkQueue.returns.claimKey("PS-1-CG2", round: "7").hasPrefix(WorkQueue.returns.claimPrefix("PS-1-CG")))
        XCTAssertEqual(
            WorkQueue.resolutions.claimKey("A", round: "1"), WorkQueue.stageResolutions.claimKey("A", round: "1"),
            "a final and a stage resolution of one submission are one item")
        XCTAssertNotEqual(WorkQueue.dispatch.claimKey("T", round: "1"), WorkQueue.dispatch.claimKey("T", round: "2"))
    }

    func testWaitsAndDeadlinesReadInChinese() {
        XCTAssertEqual(WaitingTime.text(30), "不到1分钟")
        XCTAssertEqual(WaitingTime.text(12 * 60), "12分钟")
        XCTAssertEqual(WaitingTime.text(5 * 3600 + 12 * 60), "5小时12分")
        XCTAssertEqual(WaitingTime.text(2 * 86400 + 3 * 3600 + 59), "2天3小时")
        XCTAssertEqual(WaitingTime.text(86400), "1天")
        let now = Date(timeIntervalSince1970: 1_000_000)
        XCTAssertEqual(WaitingTime.deadline(now.addingTimeInterval(3600), now: now), "剩余1小时")
        XCTAssertEqual(WaitingTime.deadline(now.addingTimeInterval(-2 * 86400), now: now), "超期2天")
    }

    func testADeadlineStandsMetLateOpenOrOverdue() {
        let due = Date(timeIntervalSince1970: 1_000_000)
        XCTAssertEqual(DeadlineStanding(due: due, doneAt: due, now: due.addingTimeInterval(99)), .met)
        XCTAssertEqual(DeadlineStanding(due: due, doneAt: due.addingTimeInterval(1), now: due), .late)
        XCTAssertEqual(DeadlineStanding(due: due, doneAt: nil, now: due), .open)
        XCTAssertEqual(DeadlineStanding(due: due, doneAt: nil, now: due.addingTimeInterval(1)), .overdue)
    }

    func testTheTimelinePutsDeadlinesAndEventsInTimeOrder() {
        let start = Date(timeIntervalSince1970: 2_000_000)
        let timeline = TicketTimeline(
            deadlines: [
                .init(unit: "CG", kind: .resolve, due: start.addingTimeInterval(500), doneAt: nil),
                .init(unit: "CG", kind: .sign, due: start.addingTimeInterval(100), doneAt: start.addingTimeInterval(100)),
            ],
            events: [
                .init(at: start.addingTimeInterval(100), actor: "unit.CG", text: "签收"),
                .init(at: start, actor: "intake", text: "受理"),
            ],
            now: start.addingTimeInterval(600))
        XCTAssertEqual(timeline.marks.map(\.at), [0, 100, 100, 500].map { start.addingTimeInterval($0) })
        XCTAssertEqual(timeline.marks[1].event?.text, "签收", "what was done at a deadline's instant comes before it")
        XCTAssertEqual(timeline.marks[2].standing, .met)
        XCTAssertEqual(timeline.marks[3].standing, .overdue)
        XCTAssertEqual(timeline.marks[3].deadline?.kind.title, "办结时限")
    }

    func testPagesNameCodesAsThePlatformsTextsDo() {
        XCTAssertEqual(DeadlineKind.dispatch.title, NotificationText.deadlineName(.dispatch) + "时限")
        XCTAssertEqual(DeadlineKind.sign.title, "签收时限")
        XCTAssertEqual(KnowledgeKind.allCases.map(\.title), ["政策法规", "办事指南", "问答资料", "通知公告"])
    }

    func testAPhoneIsMaskedForLists() {
        XCTAssertEqual(Redaction.maskPhone("13812345678"), "138****5678")
        XCTAssertEqual(Redaction.maskPhone("0755-12345678"), "075******5678")
        XCTAssertEqual(Redaction.maskPhone("1234567"), "*****67")
        XCTAssertEqual(Redaction.maskPhone(""), "")
    }

    func testAPasswordMustBeLongAndVaried() {
        XCTAssertNotNil(ConsolePassword.problem("short"))
        XCTAssertNotNil(ConsolePassword.problem("aaaaaaaaaaaaaaaa"))
        XCTAssertNotNil(ConsolePassword.problem(String(repeating: "密码", count: 20)), "more than bcrypt's 72 bytes")
        XCTAssertNil(ConsolePassword.problem("correct horse battery"))
    }
}
