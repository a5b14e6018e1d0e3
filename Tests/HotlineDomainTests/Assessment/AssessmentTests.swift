import Foundation
import XCTest

@testable import HotlineDomain

/// Scores and ranks (docs/rules.md "Assessment"; PS §20, PL §30-31, DY (15)).
final class AssessmentTests: XCTestCase {
    private func figures(_ counts: [ReportCount: Int], appealed: [ReportCount: Int] = [:], awards: [String: Int] = [:]) -> ReportFigures {
        ReportFigures(centerWide: false, counts: counts, appealed: appealed, awards: awards)
    }

    func testPingshanScoresTheThreeRatesWithTheirWeightsAndDeductsLateReturns() throws {
        let rules = try RuleProfiles.pingshan().assessment
        XCTAssertEqual(rules.indicators.map(\.rate), [.responseRate, .resolutionRate, .satisfactionRate])
        let ranked = rules.assess([
            "A": figures([.signDue: 10, .signedOnTime: 9, .solvedAsked: 4, .solved: 2, .satisfactionCounted: 5, .satisfied: 5,
                          .returnsLate: 2]),
            "B": figures([.signDue: 10, .signedOnTime: 10, .solvedAsked: 4, .solved: 4, .satisfactionCounted: 5, .satisfied: 4]),
        ])
        XCTAssertEqual(ranked.map(\.unit), ["B", "A"])
        let a = try XCTUnwrap(ranked.last)
        // 30 × 0.9 + 30 × 0.5 + 40 × 1 = 82, minus 2 late returns at 1 point.
        XCTAssertEqual(a.base ?? 0, 82, accuracy: 1e-9)
        XCTAssertEqual(a.score ?? 0, 80, accuracy: 1e-9)
        XCTAssertEqual(a.adjustments, [.init(name: "returns_late", count: 2, points: -2)])
        XCTAssertEqual(a.indicators.map(\.points), [27, 15, 40])
        XCTAssertEqual(ranked.map(\.rank), [1, 2])
        // 30 + 30 + 32
        XCTAssertEqual(ranked[0].score ?? 0, 92, accuracy: 1e-9)
    }

    func testAnIndicatorWithNothingDueIsLeftOutAndTheOthersScaledToTheFullWeight() throws {
        let rules = try RuleProfiles.pingshan().assessment
        let unit = rules.assess(["A": figures([.signDue: 4, .signedOnTime: 3])])[0]
        XCTAssertEqual(unit.indicators.map(\.points), [22.5, nil, nil])
        // 22.5 of 30 → 75 of 100.
        XCTAssertEqual(unit.score ?? 0, 75, accuracy: 1e-9)
        let idle = rules.assess(["B": figures([.returnsLate: 1])])[0]
        XCTAssertNil(idle.score)
        XCTAssertNil(idle.rank)
    }

    func testUpheldAppealsLeaveTheRateAndDeductionsAndAwardsAreCapped() throws {
        let rules = try RuleProfiles.daye().assessment
        let unit = rules.assess([
            "A": figures(
                [.signDue: 5, .signedOnTime: 4, .resolveDue: 4, .resolvedOnTime: 4, .satisfactionCounted: 2, .satisfied: 1,
                 .returnsLate: 30],
                appealed: [.signDue: 1, .satisfactionCounted: 1],
                awards: ["typical_case": 7]),
        ])[0]
        let response = try XCTUnwrap(unit.indicators.first { $0.rate == .responseRate })
        XCTAssertEqual(response.assessed, ReportRate(numerator: 4, denominator: 4))
        XCTAssertEqual(response.appealed, 1)
        XCTAssertEqual(unit.indicators.first { $0.rate == .satisfactionRate }?.assessed, ReportRate(numerator: 1, denominator: 1))
        // response 20 + completion 30 + satisfaction 40 = 90 of the 90 due, scaled to 100 (knowledge had nothing due);
        // 30 late returns capped at 10 points off; 7 typical cases at 2 capped at 10.
        XCTAssertEqual(unit.base ?? 0, 100, accuracy: 1e-9)
        XCTAssertEqual(unit.adjustments, [.init(name: "returns_late", count: 30, points: -10), .init(name: "typical_case", count: 7, points: 10)])
        XCTAssertEqual(unit.score ?? 0, 100, accuracy: 1e-9)
    }

    func testEqualScoresShareARankAndUnscoredUnitsComeLast() throws {
        let rules = AssessmentRules(indicators: [.init(rate: .responseRate, weight: 100)])
        let ranked = rules.assess([
            "C": figures([.signDue: 2, .signedOnTime: 1]),
            "B": figures([.signDue: 4, .signedOnTime: 2]),
            "A": figures([.signDue: 1, .signedOnTime: 1]),
            "D": figures([:]),
        ])
        XCTAssertEqual(ranked.map(\.unit), ["A", "B", "C", "D"])
        XCTAssertEqual(ranked.map(\.rank), [1, 2, 2, nil])
    }

    func testAppealsOnlyWhereTheProfileTakesThemAndOnlyInIndicatorsCountedPerTicket() throws {
        XCTAssertEqual(try RuleProfiles.pingshan().assessment.refusal(appealing: .responseRate)?.reason, .notAllowed)
        let pingli = try RuleProfiles.pingli().assessment
        XCTAssertNil(pingli.refusal(appealing: .satisfactionRate))
        XCTAssertNil(pingli.refusal(appealing: .onTimeCompletionRate))
        // Knowledge corrections are not counted per ticket; response is not one of pingli's indicators.
        XCTAssertEqual(pingli.refusal(appealing: .correctionOnTimeRate)?.reason, .notAllowed)
        XCTAssertEqual(pingli.refusal(appealing: .responseRate)?.reason, .notAllowed)
        XCTAssertNil(try RuleProfiles.daye().assessment.refusal(awarding: "typical_case"))
        XCTAssertEqual(pingli.refusal(awarding: "typical_case")?.reason, .notAllowed)
    }

    func testUnsoundRulesAreNamed() {
        let rules = AssessmentRules(
            indicators: [.init(rate: .responseRate, weight: 0), .init(rate: .responseRate, weight: 10)],
            deductions: [.init(count: .returnsLate, points: -1)], awards: [.init(kind: "", points: 1)])
        XCTAssertEqual(rules.problems().count, 4)
        for name in ["pingshan", "pingli", "daye"] {
            XCTAssertEqual(try RuleProfiles.shipped(name).problems(), [], name)
        }
    }

    func testTheReportShowsEveryIndicatorsCountsWeightAndPoints() throws {
        var report = HotlineReport(
            from: CalendarDate("2026-10-01")!, to: CalendarDate("2026-12-31")!, grouping: nil, unit: nil, asOf: Date(timeIntervalSince1970: 0))
        report.record(period: CalendarDate("2026-10-01")!, unit: "PS-ZJJ", count: .signDue, value: 3)
        report.record(period: CalendarDate("2026-10-01")!, unit: "PS-ZJJ", count: .signedOnTime, value: 2)
        report.recordAppealed(period: CalendarDate("2026-10-01")!, unit: "PS-ZJJ", count: .signDue, value: 1)
        report.assessment = .init(profile: "pingshan", rules: try RuleProfiles.pingshan().assessment)
        let table = report.table()
        XCTAssertTrue(table.contains(", profile pingshan"), table)
        XCTAssertTrue(table.contains("30 (2/2, -1 appealed)"), table)
        let units = report.jsonValue["periods"]?.arrayValue?.first?["assessment"]?["units"]?.arrayValue
        XCTAssertEqual(units?.first?["score"], .number(100))
        XCTAssertEqual(units?.first?["indicators"]?.arrayValue?.first?["appealed"], .number(1))
    }
}
