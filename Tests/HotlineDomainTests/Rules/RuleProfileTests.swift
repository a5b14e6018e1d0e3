import Foundation
import XCTest

@testable import HotlineDomain

final class RuleProfileTests: XCTestCase {
    func testTheThreeProfilesDecodeWithoutProblems() throws {
        for profile in [try RuleProfiles.pingshan(), try RuleProfiles.pingli(), try RuleProfiles.daye()] {
            XCTAssertEqual(profile.problems(), [], profile.profile)
            let again = try JSONDecoder().decode(RuleProfile.self, from: try JSONEncoder().encode(profile))
            XCTAssertEqual(again, profile, "JSON round trip of \(profile.profile)")
        }
    }

    func testPingshanLimits() throws {
        let p = try RuleProfiles.pingshan()
        XCTAssertEqual(p.handling.within[.consultation], .workingDays(1))
        XCTAssertEqual(p.handling.within[.suggestion], .workingDays(3))
        XCTAssertEqual(p.handling.within[.complaint], .workingDays(7))
        XCTAssertEqual(p.handling.within[.help], .workingDays(7))
        XCTAssertEqual(p.handling.within[.report], .workingDays(7))
        XCTAssertEqual(p.dispatch.within[.urgent], .minutes(30))
        XCTAssertEqual(p.dispatch.within[.fast], .hours(1))
        XCTAssertEqual(p.dispatch.within[.normal], .hours(2))
        XCTAssertEqual(p.feedback.within[.urgent], .hours(2))
        XCTAssertEqual(p.feedback.within[.fast], .hours(24))
        XCTAssertNil(p.feedback.within[.normal])
        XCTAssertEqual(p.sign.within[.consultation], .workingHours(2))
        XCTAssertEqual(p.sign.within[.suggestion], .workingHours(2))
        XCTAssertEqual(p.sign.within[.complaint], .workingHours(3))
        XCTAssertEqual(p.sign.within[.report], .workingHours(3))
        XCTAssertEqual(p.returns.within, .workingDays(1))
        XCTAssertEqual(p.returns.window(for: .national), .hours(2))
        XCTAssertEqual(p.returns.window(for: .wechat), .workingDays(1))
        XCTAssertEqual(
            Set(p.returns.refusedWithoutReview),
            ["cannot_contact", "insufficient_detail", "minor_error", "needs_own_inquiry", "partial_mismatch", "no_basis"])
        XCTAssertEqual(p.extensions.maxCount, 1)
        XCTAssertEqual(p.extensions.maxWorkingDays?[.consultation], 1)
        XCTAssertEqual(p.extensions.maxWorkingDays?[.suggestion], 3)
        XCTAssertEqual(p.extensions.maxWorkingDays?[.help], 5)
        XCTAssertEqual(p.survey.scale, .stars)
        XCTAssertEqual(p.survey.stars?.dimensions, ["speed", "effect", "experience", "feedback"])
        XCTAssertEqual(p.survey.expiresAfter, .days(3))
        XCTAssertEqual(p.warnings.atFraction, 0.75)
        XCTAssertEqual(p.warnings.beforeDeadline, .workingHours(1))
        XCTAssertEqual(p.alerts.hotspot.count, 3)
        XCTAssertEqual(p.alerts.hotspot.within, .hours(24))
        XCTAssertEqual(p.alerts.repeatCaller.count, 3)
        XCTAssertNil(p.handling.emergency)
    }

    func testPingliAndDayeLimits() throws {
        let pl = try RuleProfiles.pingli()
        XCTAssertEqual(pl.handling.within[.consultation], .workingDays(2))
        XCTAssertEqual(pl.handling.within[.complaint], .workingDays(5))
        XCTAssertEqual(pl.handling.within[.suggestion], .workingDays(5))
        XCTAssertEqual(pl.sign.within[.consultation], .hours(24))
        XCTAssertEqual(pl.returns.within, .workingDays(2))
        XCTAssertEqual(pl.extensions.maxCount, 2)
        XCTAssertTrue(pl.extensions.eachEqualsOriginalLimit)
        XCTAssertEqual(pl.handling.emergency?.handleWithin, .hours(2))
        XCTAssertEqual(pl.handling.emergency?.finishWithin, .workingDays(2))
        XCTAssertEqual(pl.reopen.within, .workingDays(5))
        XCTAssertEqual(pl.survey.levels, ["satisfied", "basically_satisfied", "unsatisfied"])
        XCTAssertEqual(pl.survey.maxRehandlings, 1)
        XCTAssertTrue(pl.survey.secondSurveyFinal)
        XCTAssertTrue(pl.intake.anonymousOwnRightsRefused)

        let dy = try RuleProfiles.daye()
        XCTAssertEqual(dy.handling.from, .signing)
        XCTAssertEqual(dy.handling.within[.report], .workingDays(5))
        XCTAssertEqual(dy.sign.within[.complaint], .workingDays(1))
        XCTAssertEqual(dy.returns.within, .workingDays(2))
        XCTAssertTrue(dy.returns.writtenExplanationRequired)
        XCTAssertEqual(dy.extensions.maxTotalWorkingDays, 30)
        XCTAssertNil(dy.extensions.maxCount)
        XCTAssertEqual(dy.survey.questions, ["contacted", "solved", "satisfaction", "trust"])
        XCTAssertTrue(dy.survey.exclusionAllowed)
        XCTAssertEqual(dy.reopen.within, .workingDays(5))
    }

    func testProblemsAreReported() throws {
        var p = try RuleProfiles.pingshan()
        p.handling.within = PerKind(consultation: .workingDays(1))
        p.warnings.atFraction = 1.5
        p.escalation.tiers.reverse()
        p.reopen = ReopenRules(useOriginalLimit: false, within: nil)
        p.survey.stars?.rehandleDimensions = ["mood"]
        let problems = p.problems()
        XCTAssertTrue(problems.contains("handling.within: no limit for complaint"), "\(problems)")
        XCTAssertTrue(problems.contains { $0.hasPrefix("warnings.at_fraction") })
        XCTAssertTrue(problems.contains { $0.hasPrefix("escalation.tiers") })
        XCTAssertTrue(problems.contains { $0.hasPrefix("reopen") })
        XCTAssertTrue(problems.contains("survey.stars.rehandle_dimensions: unknown dimension mood"))
    }

    func testTimeLimitCoding() throws {
        let decoder = JSONDecoder()
        XCTAssertEqual(try decoder.decode(TimeLimit.self, from: Data(#"{"working_hours": 2}"#.utf8)), .workingHours(2))
        XCTAssertEqual(try decoder.decode(TimeLimit.self, from: Data(#"{"minutes": 30}"#.utf8)), .minutes(30))
        XCTAssertThrowsError(try decoder.decode(TimeLimit.self, from: Data(#"{"hours": 1, "minutes": 30}"#.utf8)))
        XCTAssertThrowsError(try decoder.decode(TimeLimit.self, from: Data(#"{}"#.utf8)))
        XCTAssertThrowsError(try decoder.decode(TimeLimit.self, from: Data(#"{"days": -1}"#.utf8)))
        let data = try JSONEncoder().encode(TimeLimit.workingDays(7))
        XCTAssertEqual(String(decoding: data, as: UTF8.self), #"{"working_days":7}"#)
        XCTAssertTrue(TimeLimit.workingDays(1).isWorkingTime)
        XCTAssertFalse(TimeLimit.hours(24).isWorkingTime)
        XCTAssertEqual(TimeLimit.workingDays(5).scaled(by: 2), .workingDays(10))
    }

    func testPerKindFallsBackToOthers() {
        let limits = PerKind<Int>(consultation: 2, others: 5)
        XCTAssertEqual(limits[.consultation], 2)
        XCTAssertEqual(limits[.complaint], 5)
        XCTAssertEqual(limits[.help], 5)
        XCTAssertEqual(PerKind<Int>(complaint: 1).missingKinds, [.consultation, .help, .report, .suggestion])
    }

    func testClassificationAndIntake() throws {
        let p = try RuleProfiles.pingshan()
        XCTAssertEqual(p.classification.kind(for: "请问居住证如何办理"), .consultation)
        XCTAssertEqual(p.classification.kind(for: "我要举报小区里有人违建"), .report)
        XCTAssertEqual(p.classification.kind(for: "建议在路口增设红绿灯"), .suggestion)
        XCTAssertEqual(p.classification.kind(for: "老人摔倒了需要帮忙"), .help)
        XCTAssertEqual(p.classification.kind(for: "楼下餐馆油烟太大"), .complaint)
        XCTAssertEqual(p.classification.urgency(for: "小区里燃气泄漏了"), .urgent)
        XCTAssertEqual(p.classification.urgency(for: "整栋楼停水两天"), .urgent)
        XCTAssertEqual(p.classification.urgency(for: "路上井盖缺失"), .fast)
        XCTAssertEqual(p.classification.urgency(for: "路灯不亮"), .normal)
        XCTAssertEqual(p.classification.hazards(in: "山体滑坡，道路塌方"), ["山体滑坡", "滑坡", "塌方"])
        XCTAssertEqual(p.intake.emergencyRedirect(for: "门口发生车祸有人受伤")?.number, "120")
        XCTAssertEqual(p.intake.emergencyRedirect(for: "前面路口交通事故")?.number, "122")
        XCTAssertEqual(p.intake.emergencyRedirect(for: "楼上着火了")?.number, "119")
        XCTAssertEqual(p.intake.emergencyRedirect(for: "有人抢劫")?.number, "110")
        XCTAssertNil(p.intake.emergencyRedirect(for: "路灯不亮"))
        XCTAssertFalse(p.intake.hasSubstance("测试"))
        XCTAssertFalse(p.intake.hasSubstance("  无。 "))
        XCTAssertTrue(p.intake.hasSubstance("小区门口占道经营严重"))
        XCTAssertEqual(p.alerts.sensitiveWords(in: "业主准备集体上访"), ["集体上访", "上访"])
    }

    func testEscalationTiers() throws {
        let e = try RuleProfiles.pingshan().escalation
        XCTAssertNil(e.tier(forDaysOverdue: -1))
        XCTAssertNil(e.tier(forDaysOverdue: 0))
        XCTAssertEqual(e.tier(forDaysOverdue: 0.01)?.tier, 1)
        XCTAssertEqual(e.tier(forDaysOverdue: 3)?.tier, 1)
        XCTAssertEqual(e.tier(forDaysOverdue: 3.01)?.tier, 2)
        XCTAssertEqual(e.tier(forDaysOverdue: 6.99)?.tier, 2)
        XCTAssertEqual(e.tier(forDaysOverdue: 7)?.tier, 3)
        XCTAssertEqual(e.tier(forDaysOverdue: 30)?.recipients, [.districtPrincipal])
        XCTAssertEqual(e.tier(forDaysOverdue: 1)?.recipients, [.principalHead])
        XCTAssertEqual(e.tier(forDaysOverdue: 4)?.recipients, [.leaderInCharge])
        let deadline = CalendarFixtures.at("2025-03-10T18:00:00")
        XCTAssertEqual(EscalationRules.daysOverdue(deadline: deadline, now: CalendarFixtures.at("2025-03-12T06:00:00")), 1.5)
    }

    func testStageResolutionApprovers() throws {
        let rules = try RuleProfiles.pingshan().stageResolution
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let at = CalendarFixtures.at("2025-03-10T10:00:00")
        func approver(_ followUp: String) -> StageResolutionRules.Approver? {
            rules.approver(submittedAt: at, followUpBy: CalendarFixtures.at(followUp), timeZone: zone)
        }
        XCTAssertEqual(approver("2025-03-25T10:00:00"), .unitDeputyHead)
        XCTAssertEqual(approver("2025-04-10T10:00:00"), .unitDeputyHead, "exactly one month")
        XCTAssertEqual(approver("2025-04-10T10:00:01"), .unitHead)
        XCTAssertEqual(approver("2025-06-09T10:00:00"), .unitHead)
        XCTAssertEqual(approver("2025-06-10T10:00:00"), .districtLeader, "three months and more")
        XCTAssertEqual(approver("2026-01-10T10:00:00"), .districtLeader)
    }

    func testSurveyVerdicts() throws {
        let ps = try RuleProfiles.pingshan().survey
        XCTAssertTrue(ps.isDissatisfied(stars: ["speed": 5, "effect": 2, "experience": 5, "feedback": 5]))
        XCTAssertTrue(ps.isDissatisfied(stars: ["speed": 5, "effect": 3, "experience": 5, "feedback": 1]))
        XCTAssertFalse(ps.isDissatisfied(stars: ["speed": 1, "effect": 3, "experience": 1, "feedback": 3]))
        XCTAssertTrue(ps.mayRehandle(after: 3))
        let pl = try RuleProfiles.pingli().survey
        XCTAssertTrue(pl.isDissatisfied(level: "unsatisfied"))
        XCTAssertFalse(pl.isDissatisfied(level: "basically_satisfied"))
        XCTAssertTrue(pl.mayRehandle(after: 0))
        XCTAssertFalse(pl.mayRehandle(after: 1))
    }

    func testCards() throws {
        let cards = try RuleProfiles.pingshan().cards
        XCTAssertFalse(cards.isYellow(overdue: 2, shirked: 0))
        XCTAssertTrue(cards.isYellow(overdue: 10, shirked: 0))
        XCTAssertTrue(cards.isYellow(overdue: 0, shirked: 3))
        XCTAssertEqual(cards.redAfterConsecutiveYellow, 2)
    }
}
