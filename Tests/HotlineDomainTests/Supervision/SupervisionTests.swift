import Foundation
import XCTest

@testable import HotlineDomain

/// Supervision cases and referrals (docs/rules.md "Supervision"; PS §18, §20(二)-(三), PL §24-25, §28,
/// DY (12)-(13), (18)).
final class SupervisionTests: XCTestCase {
    private let due = Date(timeIntervalSince1970: 1_800_000_000)

    func testEachProfileSupervisesInTheModesItsTextNames() throws {
        let pingshan = try RuleProfiles.pingshan().supervision
        XCTAssertEqual(pingshan.modes.count, 8, "PS §18 (一)-(六), the first in three channels")
        XCTAssertEqual(pingshan.onRedCard, .jointNotice)
        XCTAssertEqual(pingshan.referralGrounds, [.shirking, .perfunctory, .delay, .falsification])
        let daye = try RuleProfiles.daye().supervision
        XCTAssertEqual(daye.modes, [.phone, .letter, .meeting, .instruction, .onSite])
        XCTAssertNil(daye.onRedCard)
        XCTAssertNil(SupervisionCase.refusal(mode: .onSite, under: daye))
        XCTAssertEqual(SupervisionCase.refusal(mode: .onSite, under: pingshan)?.reason, .notAllowed)
        XCTAssertEqual(SupervisionCase.refusal(mode: .callbackInspection, under: daye)?.rule, "supervision.modes")
        XCTAssertNil(SupervisionCase.refusal(mode: .callbackInspection, under: try RuleProfiles.pingli().supervision))
    }

    func testOnlyTheAddressedUnitAnswersAndOnlyAnOpenCase() {
        var supervised = SupervisionCase(unit: "CG", state: .open, level: 1, answerBy: due)
        XCTAssertNil(supervised.refusalToAnswer(by: "CG"))
        XCTAssertEqual(supervised.refusalToAnswer(by: "JJ")?.reason, .forbidden)
        XCTAssertTrue(supervised.isOnTime(due))
        XCTAssertFalse(supervised.isOnTime(due.addingTimeInterval(1)))
        supervised.state = .answered
        XCTAssertEqual(supervised.refusalToAnswer(by: "CG")?.reason, .wrongState)
        XCTAssertNil(supervised.refusalToAct)
        supervised.state = .closed
        XCTAssertEqual(supervised.refusalToAct?.reason, .wrongState)
    }

    func testReferralsOnlyForTheProfilesGrounds() throws {
        let pingshan = try RuleProfiles.pingshan().supervision
        XCTAssertNil(SupervisionCase.refusal(referring: [], under: pingshan))
        XCTAssertNil(SupervisionCase.refusal(referring: [.shirking, .falsification], under: pingshan))
        let refused = SupervisionCase.refusal(referring: [.shirking, .leak], under: pingshan)
        XCTAssertEqual(refused?.reason, .notAllowed)
        XCTAssertTrue(refused?.message.contains("not leak") ?? false, refused?.message ?? "")
        XCTAssertNil(SupervisionCase.refusal(referring: [.inaction], under: try RuleProfiles.pingli().supervision))
    }

    func testTheAnswerIsDueWhenTheCenterSaysOrWithinTheProfilesWorkingDays() throws {
        let rules = try RuleProfiles.pingshan().supervision
        let calendar = try CalendarFixtures.calendar()
        // Friday 2026-11-27 10:00 Shanghai: the end of the third working day after, Wednesday 2026-12-02 18:00.
        let friday = try XCTUnwrap(RFC3339.date(from: "2026-11-27T10:00:00+08:00"))
        let byDefault = try SupervisionCase.answerBy(named: nil, now: friday, rules: rules, calendar: calendar)
        XCTAssertEqual(try byDefault.get(), RFC3339.date(from: "2026-12-02T18:00:00+08:00"))
        let named = friday.addingTimeInterval(3_600)
        XCTAssertEqual(try SupervisionCase.answerBy(named: named, now: friday, rules: rules, calendar: calendar).get(), named)
        guard case .failure(let refusal) = try SupervisionCase.answerBy(named: friday, now: friday, rules: rules, calendar: calendar) else {
            return XCTFail("an answer due now is refused")
        }
        XCTAssertEqual(refusal.reason, .invalid)
    }

    func testUnsoundRulesAreNamed() {
        let rules = SupervisionRules(modes: [.phone], answerWithin: .workingDays(0), onRedCard: .letter, referralGrounds: [])
        XCTAssertEqual(rules.problems().count, 3)
    }
}
