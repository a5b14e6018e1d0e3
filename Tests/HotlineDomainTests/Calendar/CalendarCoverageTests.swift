import HotlineDomain
import XCTest

final class CalendarCoverageTests: XCTestCase {
    private typealias F = CalendarFixtures

    func testCoverageRunsToTheEndOfTheLastOfConsecutiveCoveredYears() throws {
        let calendar = try F.calendar()  // 2025 and 2026
        let coverage = CalendarCoverage(calendar: calendar, today: CalendarDate("2025-03-01")!)
        XCTAssertEqual(coverage.lastDay, CalendarDate("2026-12-31"))
        XCTAssertEqual(coverage.daysLeft, 670)
        XCTAssertNil(coverage.warning())
    }

    func testFewerDaysThanTheThresholdWarnWithTheLastDay() throws {
        let coverage = CalendarCoverage(calendar: try F.calendar(), today: CalendarDate("2026-11-01")!)
        XCTAssertEqual(coverage.daysLeft, 60)
        let warning = try XCTUnwrap(coverage.warning())
        XCTAssertTrue(warning.contains("2026-12-31") && warning.contains("60 days"), warning)
        XCTAssertNil(coverage.warning(warningDays: 60), "60 days left is not fewer than 60")
        XCTAssertNotNil(coverage.warning(warningDays: 61))
    }

    func testAYearNotCoveredHasNoCoverageAndAlwaysWarns() throws {
        let coverage = CalendarCoverage(calendar: try F.calendar(), today: CalendarDate("2027-01-04")!)
        XCTAssertNil(coverage.lastDay)
        XCTAssertEqual(coverage.daysLeft, 0)
        XCTAssertTrue(coverage.warning(warningDays: 0)?.contains("does not cover this year") ?? false)
    }

    func testAGapEndsTheCoverage() throws {
        let coverage = CalendarCoverage(calendar: try WorkingCalendar(files: [F.file2025]), today: CalendarDate("2025-12-01")!)
        XCTAssertEqual(coverage.lastDay, CalendarDate("2025-12-31"))
        XCTAssertEqual(coverage.daysLeft, 30)
    }
}
