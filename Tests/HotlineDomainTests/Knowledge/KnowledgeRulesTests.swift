import Foundation
import XCTest

@testable import HotlineDomain

/// The knowledge base's time rules on the real 2026 calendar (PS §22(三),(五)).
final class KnowledgeRulesTests: XCTestCase {
    private let rules = KnowledgeRules.standard
    private func time(_ text: String) -> Date { ContractTestSupport.time(text) }

    func testAPublicInterestPolicyIsReportedThreeToTenWorkingDaysAhead() throws {
        let calendar = try CalendarFixtures.calendar()
        let friday = time("2026-12-04T10:00:00+08:00")
        // Working days after the report's date up to and including the day it takes effect.
        for (effective, timing, ahead) in [
            ("2026-12-04T18:00:00+08:00", PolicyReportTiming.late, 0),   // the same day
            ("2026-12-08T00:00:00+08:00", .late, 2),                       // Mon, Tue
            ("2026-12-09T00:00:00+08:00", .onTime, 3),
            ("2026-12-18T09:00:00+08:00", .onTime, 10),
            ("2026-12-21T09:00:00+08:00", .early, 11),
            ("2027-06-01T09:00:00+08:00", .early, 11),                     // counting stops past the window
            ("2026-12-01T09:00:00+08:00", .late, 0),                       // already in effect
        ] {
            let result = try rules.reportTiming(reportedAt: friday, effectiveFrom: time(effective), calendar: calendar)
            XCTAssertEqual(result.timing, timing, effective)
            XCTAssertEqual(result.workingDaysAhead, ahead, effective)
        }
    }

    func testHolidaysDoNotCountAsWorkingDaysAhead() throws {
        let calendar = try CalendarFixtures.calendar()
        // 1-7 October 2026 are holidays: only the 8th and 9th count.
        let result = try rules.reportTiming(
            reportedAt: time("2026-09-30T10:00:00+08:00"), effectiveFrom: time("2026-10-09T09:00:00+08:00"), calendar: calendar)
        XCTAssertEqual(result.timing, .late)
        XCTAssertEqual(result.workingDaysAhead, 2)
    }

    func testACorrectionIsDueTwoWorkingDaysAfterTheFlag() throws {
        let calendar = try CalendarFixtures.calendar()
        XCTAssertEqual(
            try rules.correctionDue(flaggedAt: time("2026-12-04T10:00:00+08:00"), calendar: calendar),
            time("2026-12-08T18:00:00+08:00"))
        XCTAssertEqual(
            try rules.correctionDue(flaggedAt: time("2026-09-30T10:00:00+08:00"), calendar: calendar),
            time("2026-10-09T18:00:00+08:00"), "over the National Day holidays")
    }

    func testTheShippedProfilesCarryTheRulesAndAProfileWithoutThemGetsTheStandard() throws {
        for profile in [try RuleProfiles.pingshan(), try RuleProfiles.pingli(), try RuleProfiles.daye()] {
            XCTAssertEqual(profile.knowledge, .standard, profile.profile)
            XCTAssertEqual(profile.problems(), [], profile.profile)
        }
        var profile = try RuleProfiles.pingshan()
        profile.knowledge = nil
        XCTAssertEqual(profile.knowledgeRules, .standard)
        profile.knowledge = KnowledgeRules(correctionWithin: .workingDays(2), reportMinWorkingDays: 5, reportMaxWorkingDays: 3)
        XCTAssertEqual(profile.problems(), ["knowledge.report_max_working_days: below report_min_working_days"])
    }

    func testTheCorrectionDeadlineWarnsAndBreachesLikeAnyOther() throws {
        let calendar = try CalendarFixtures.calendar()
        let profile = try RuleProfiles.pingshan()
        let planner = TimerPlanner(profile: profile, calendar: calendar)
        let flagged = time("2026-12-04T10:00:00+08:00")
        let due = try profile.knowledgeRules.correctionDue(flaggedAt: flagged, calendar: calendar)
        let timers = planner.timers(for: .knowledgeCorrection, start: flagged, deadline: due, workingTime: true, now: flagged)
        XCTAssertEqual(timers.map(\.purpose), [
            "knowledge_correction.warning.1", "knowledge_correction.warning.2", "knowledge_correction.breach",
        ], "warnings at 75 % and one working hour before, the breach, and no daily overdue ticks")
        XCTAssertEqual(timers.last?.dueAt, due)
        XCTAssertEqual(timers[1].dueAt, time("2026-12-08T17:00:00+08:00"))
    }
}
