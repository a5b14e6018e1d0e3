import Foundation
import XCTest

@testable import HotlineDomain

final class ReportShapingTests: XCTestCase {
    private func date(_ text: String) -> CalendarDate { CalendarDate(text)! }

    func testPeriodsByWeekStartOnMondayAndClipToTheRange() {
        // 2026-11-18 is a Wednesday; 2026-12-02 a Wednesday.
        let periods = ReportPeriod.covering(from: date("2026-11-18"), to: date("2026-12-02"), by: .week)
        XCTAssertEqual(periods.map(\.key), [date("2026-11-16"), date("2026-11-23"), date("2026-11-30")])
        XCTAssertEqual(periods.first?.from, date("2026-11-18"), "the first period starts at --from")
        XCTAssertEqual(periods.first?.to, date("2026-11-22"))
        XCTAssertEqual(periods.last?.to, date("2026-12-02"), "the last period ends at --to")
        XCTAssertEqual(periods.map(\.label), ["2026-W47", "2026-W48", "2026-W49"])
    }

    func testISOWeekLabelAcrossTheYearEnd() {
        // 2025-12-29 (Monday) begins ISO week 1 of 2026; 2027-01-01 (Friday) is in 2026-W53.
        XCTAssertEqual(ReportGrouping.week.label(of: date("2025-12-29")), "2026-W01")
        XCTAssertEqual(ReportGrouping.week.start(of: date("2027-01-01")), date("2026-12-28"))
        XCTAssertEqual(ReportGrouping.week.label(of: date("2026-12-28")), "2026-W53")
    }

    func testMonthsQuartersAndDays() {
        let months = ReportPeriod.covering(from: date("2026-01-31"), to: date("2026-03-01"), by: .month)
        XCTAssertEqual(months.map(\.label), ["2026-01", "2026-02", "2026-03"])
        XCTAssertEqual(months[1].to, date("2026-02-28"))
        let quarters = ReportPeriod.covering(from: date("2026-11-01"), to: date("2027-02-15"), by: .quarter)
        XCTAssertEqual(quarters.map(\.label), ["2026-Q4", "2027-Q1"])
        XCTAssertEqual(quarters.map(\.key), [date("2026-10-01"), date("2027-01-01")])
        XCTAssertEqual(ReportPeriod.covering(from: date("2026-11-23"), to: date("2026-11-25"), by: .day).count, 3)
        let years = ReportPeriod.covering(from: date("2025-12-31"), to: date("2026-01-01"), by: .year)
        XCTAssertEqual(years.map(\.label), ["2025", "2026"])
        XCTAssertEqual(years.map(\.from), [date("2025-12-31"), date("2026-01-01")])
        let whole = ReportPeriod.covering(from: date("2026-11-01"), to: date("2026-11-30"), by: nil)
        XCTAssertEqual(whole.count, 1)
        XCTAssertEqual(whole.first?.key, date("2026-11-01"))
        XCTAssertTrue(ReportPeriod.covering(from: date("2026-11-02"), to: date("2026-11-01"), by: .day).isEmpty)
    }

    func testTheWholeRangeAddsUpTheDays() {
        let first = CalendarDate("2026-03-02")!, second = CalendarDate("2026-03-03")!
        var report = HotlineReport(from: first, to: second, grouping: .day, unit: nil, asOf: Date())
        report.record(period: first, unit: nil, count: .received, value: 3)
        report.record(period: second, unit: nil, count: .received, value: 4)
        report.record(period: first, unit: "CG", count: .signDue, value: 2)
        report.record(period: second, unit: "CG", count: .signDue, value: 1)
        report.record(period: second, unit: "CG", count: .signedOnTime, value: 1)
        let whole = report.wholeRange
        XCTAssertEqual(whole.period.from, first)
        XCTAssertEqual(whole.period.to, second)
        XCTAssertEqual(whole.total[.received], 7)
        XCTAssertEqual(whole.units["CG"]?.rate(.responseRate), ReportRate(numerator: 1, denominator: 3))
        XCTAssertEqual(whole.units["CG"]?.centerWide, false)
    }

    func testRatesKeepNumeratorAndDenominator() {
        XCTAssertEqual(ReportRate(numerator: 12, denominator: 13).text, "92.3% (12/13)")
        XCTAssertNil(ReportRate(numerator: 0, denominator: 0).rate)
        XCTAssertEqual(ReportRate(numerator: 0, denominator: 0).text, "- (0/0)")
        var figures = ReportFigures(centerWide: false)
        figures.add(.signDue, 4)
        figures.add(.signedOnTime, 3)
        XCTAssertEqual(figures.rate(.responseRate), ReportRate(numerator: 3, denominator: 4))
        XCTAssertEqual(figures.rate(.responseRate).rate, 0.75)
        XCTAssertFalse(figures.applicableRates.contains(.dispatchOnTimeRate), "dispatch is the center's, not a unit's")
        XCTAssertFalse(figures.applicableCounts.contains(.received))
    }

    func testRecordingFiltersUnitsAndIgnoresUnknownPeriods() {
        var report = HotlineReport(
            from: date("2026-11-23"), to: date("2026-11-24"), grouping: .day, unit: "CG", asOf: Date(timeIntervalSince1970: 0))
        report.record(period: date("2026-11-23"), unit: nil, count: .received, value: 5)
        report.record(period: date("2026-11-23"), unit: "CG", count: .assignments, value: 2)
        report.record(period: date("2026-11-23"), unit: "ZJ", count: .assignments, value: 3)
        report.record(period: date("2026-12-01"), unit: nil, count: .received, value: 99)
        report.recordNotAccepted(period: date("2026-11-24"), reason: "emergency_redirect", value: 1)
        XCTAssertEqual(report.periods[0].total[.received], 5)
        XCTAssertEqual(report.periods[0].units.keys.sorted(), ["CG"], "--unit keeps only that unit's figures")
        XCTAssertEqual(report.periods[0].units["CG"]?[.assignments], 2)
        XCTAssertEqual(report.periods[1].total.notAcceptedByReason, ["emergency_redirect": 1])
        XCTAssertEqual(report.periods.map { $0.total[.received] }, [5, 0])
    }

    func testJSONAndTableCarryTheSameNumbers() throws {
        var report = HotlineReport(
            from: date("2026-11-23"), to: date("2026-11-23"), grouping: nil, unit: nil, asOf: Date(timeIntervalSince1970: 0))
        report.record(period: date("2026-11-23"), unit: nil, count: .signDue, value: 13)
        report.record(period: date("2026-11-23"), unit: nil, count: .signedOnTime, value: 12)
        report.record(period: date("2026-11-23"), unit: "CG", count: .signDue, value: 13)
        report.record(period: date("2026-11-23"), unit: "CG", count: .signedOnTime, value: 12)
        report.hotspots.categories = [.init(category: "CG-001", name: "占道经营", tickets: 4)]
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try report.json().utf8)) as? [String: Any])
        let period = try XCTUnwrap((object["periods"] as? [[String: Any]])?.first)
        let total = try XCTUnwrap(period["total"] as? [String: Any])
        let rate = try XCTUnwrap((total["rates"] as? [String: Any])?["response_rate"] as? [String: Any])
        XCTAssertEqual(rate["numerator"] as? Int, 12)
        XCTAssertEqual(rate["denominator"] as? Int, 13)
        XCTAssertEqual(try XCTUnwrap(rate["rate"] as? Double), 12.0 / 13.0, accuracy: 1e-9)
        let unit = try XCTUnwrap((period["units"] as? [String: Any])?["CG"] as? [String: Any])
        XCTAssertNil((unit["counts"] as? [String: Any])?["received"], "units have no intake counts")
        XCTAssertEqual((unit["counts"] as? [String: Any])?["signed_on_time"] as? Int, 12)
        XCTAssertTrue((total["rates"] as? [String: Any])?["satisfaction_rate"] is [String: Any])
        XCTAssertTrue(((total["rates"] as? [String: Any])?["satisfaction_rate"] as? [String: Any])?["rate"] is NSNull)
        XCTAssertEqual((object["hotspots"] as? [String: Any]).flatMap { ($0["categories"] as? [[String: Any]])?.first?["tickets"] as? Int }, 4)

        let table = report.table()
        let line = try XCTUnwrap(table.split(separator: "\n").first { $0.hasPrefix("response_rate") })
        XCTAssertEqual(line.components(separatedBy: "92.3% (12/13)").count - 1, 2, "total and CG: \(line)")
        XCTAssertTrue(table.contains("CG-001 占道经营: 4"))
    }

    func testTableSplitsManyUnitsIntoBlocks() {
        var report = HotlineReport(
            from: date("2026-11-23"), to: date("2026-11-23"), grouping: .day, unit: nil, asOf: Date(timeIntervalSince1970: 0))
        for unit in ["A1", "A2", "A3", "A4", "A5"] {
            report.record(period: date("2026-11-23"), unit: unit, count: .assignments, value: 1)
        }
        let table = report.table(unitsPerBlock: 2)
        XCTAssertTrue(table.contains("[3/3]"))
        XCTAssertEqual(table.components(separatedBy: "\nassignments").count - 1, 3)
    }
}
