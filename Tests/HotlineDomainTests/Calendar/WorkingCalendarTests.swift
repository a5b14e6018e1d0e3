import Foundation
import XCTest

@testable import HotlineDomain

final class WorkingCalendarTests: XCTestCase {
    private typealias F = CalendarFixtures

    private func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    func testWorkingDaysOfTheYearlyArrangement() throws {
        let cal = try F.calendar()
        XCTAssertTrue(cal.isWorkingDay(day("2025-01-26")), "Sunday make-up day before Spring Festival 2025")
        XCTAssertTrue(cal.isWorkingDay(day("2025-02-08")), "Saturday make-up day after Spring Festival 2025")
        XCTAssertFalse(cal.isWorkingDay(day("2025-01-25")), "an ordinary Saturday")
        XCTAssertFalse(cal.isWorkingDay(day("2025-02-03")), "Monday inside Spring Festival")
        XCTAssertFalse(cal.isWorkingDay(day("2025-10-08")), "Wednesday, last day of National Day + Mid-Autumn")
        XCTAssertTrue(cal.isWorkingDay(day("2025-10-11")), "Saturday make-up after National Day")
        XCTAssertTrue(cal.isWorkingDay(day("2025-09-28")), "Sunday make-up before National Day")
        XCTAssertFalse(cal.isWorkingDay(day("2026-01-02")), "Friday of New Year 2026")
        XCTAssertTrue(cal.isWorkingDay(day("2026-01-04")), "Sunday make-up 2026")
        XCTAssertTrue(cal.isWorkingDay(day("2026-02-14")), "Saturday make-up before Spring Festival 2026")
        XCTAssertFalse(cal.isWorkingDay(day("2026-02-23")), "Monday, ninth day of Spring Festival 2026")
        XCTAssertTrue(cal.isWorkingDay(day("2026-02-24")))
        XCTAssertTrue(cal.isWorkingDay(day("2026-09-20")))
        XCTAssertFalse(cal.isWorkingDay(day("2026-09-25")), "Mid-Autumn 2026")
        XCTAssertTrue(cal.isWorkingDay(day("2025-03-12")), "an ordinary Wednesday")
    }

    func testMakeUpDaysAreWeekendsAndHolidayRangesAreRight() throws {
        for file in [F.file2025, F.file2026] {
            for date in file.workdays { XCTAssertTrue(date.isWeekend, "\(date) should be a weekend day") }
        }
        XCTAssertEqual(F.file2025.holidays.count, 28)
        XCTAssertEqual(F.file2026.holidays.count, 33)
        XCTAssertEqual(day("2026-02-15").isoWeekday, 7)
        XCTAssertEqual(day("2026-02-23").isoWeekday, 1)
        XCTAssertEqual(day("2025-01-01").isoWeekday, 3)
    }

    func testWorkingDaysAcrossSpringFestival2025() throws {
        let cal = try F.calendar()
        let friday = F.at("2025-01-24T17:30:00")
        XCTAssertEqual(F.local(try cal.addingWorkingDays(1, to: friday)), "2025-01-26T18:00:00")
        XCTAssertEqual(F.local(try cal.addingWorkingDays(2, to: friday)), "2025-01-27T18:00:00")
        XCTAssertEqual(F.local(try cal.addingWorkingDays(3, to: friday)), "2025-02-05T18:00:00")
        XCTAssertEqual(F.local(try cal.addingWorkingDays(6, to: friday)), "2025-02-08T18:00:00")
        XCTAssertEqual(F.local(try cal.addingWorkingDays(7, to: friday)), "2025-02-10T18:00:00")
    }

    func testWorkingDaysAcrossSpringFestival2026() throws {
        let cal = try F.calendar()
        let friday = F.at("2026-02-13T10:00:00")
        XCTAssertEqual(F.local(try cal.addingWorkingDays(1, to: friday)), "2026-02-14T18:00:00")
        XCTAssertEqual(F.local(try cal.addingWorkingDays(2, to: friday)), "2026-02-24T18:00:00")
        XCTAssertEqual(F.local(try cal.addingWorkingDays(5, to: friday)), "2026-02-27T18:00:00")
        XCTAssertEqual(F.local(try cal.addingWorkingDays(6, to: friday)), "2026-02-28T18:00:00")
    }

    func testWorkingDaysAcrossNationalDayAndMidAutumn2025() throws {
        let cal = try F.calendar()
        XCTAssertEqual(F.local(try cal.addingWorkingDays(1, to: F.at("2025-09-30T09:00:00"))), "2025-10-09T18:00:00")
        XCTAssertEqual(F.local(try cal.addingWorkingDays(1, to: F.at("2025-09-26T15:00:00"))), "2025-09-28T18:00:00")
        XCTAssertEqual(F.local(try cal.addingWorkingDays(2, to: F.at("2025-10-09T11:00:00"))), "2025-10-11T18:00:00")
    }

    func testWorkingDaysFromFridayEveningAndFromAHoliday() throws {
        let cal = try F.calendar()
        XCTAssertEqual(F.local(try cal.addingWorkingDays(1, to: F.at("2025-03-14T20:00:00"))), "2025-03-17T18:00:00")
        XCTAssertEqual(F.local(try cal.addingWorkingDays(1, to: F.at("2025-10-03T10:00:00"))), "2025-10-09T18:00:00")
        XCTAssertEqual(F.local(try cal.addingWorkingDays(1, to: F.at("2025-09-28T08:00:00"))), "2025-09-29T18:00:00")
        // The day of T never counts, even before office hours.
        XCTAssertEqual(F.local(try cal.addingWorkingDays(1, to: F.at("2025-03-10T07:00:00"))), "2025-03-11T18:00:00")
        XCTAssertEqual(try cal.addingWorkingDays(0, to: F.at("2025-03-10T07:00:00")), F.at("2025-03-10T07:00:00"))
        XCTAssertThrowsError(try cal.addingWorkingDays(-1, to: F.at("2025-03-10T07:00:00")))
    }

    func testWorkingHoursAcrossLunchEveningsWeekendsAndHolidays() throws {
        let cal = try F.calendar()
        XCTAssertEqual(F.local(try cal.addingWorkingHours(1, to: F.at("2025-03-10T11:30:00"))), "2025-03-10T14:30:00")
        XCTAssertEqual(F.local(try cal.addingWorkingHours(1, to: F.at("2025-03-10T17:30:00"))), "2025-03-11T09:30:00")
        XCTAssertEqual(F.local(try cal.addingWorkingHours(1, to: F.at("2025-03-14T17:30:00"))), "2025-03-17T09:30:00")
        XCTAssertEqual(F.local(try cal.addingWorkingHours(1, to: F.at("2025-03-10T17:00:00"))), "2025-03-10T18:00:00")
        XCTAssertEqual(F.local(try cal.addingWorkingHours(2, to: F.at("2025-03-10T12:30:00"))), "2025-03-10T16:00:00")
        XCTAssertEqual(F.local(try cal.addingWorkingHours(3, to: F.at("2025-03-10T07:00:00"))), "2025-03-10T12:00:00")
        XCTAssertEqual(F.local(try cal.addingWorkingHours(2, to: F.at("2025-09-30T17:00:00"))), "2025-10-09T10:00:00")
        XCTAssertEqual(F.local(try cal.addingWorkingHours(1, to: F.at("2025-01-25T10:00:00"))), "2025-01-26T10:00:00")
        XCTAssertEqual(F.local(try cal.addingWorkingHours(0.5, to: F.at("2025-03-10T11:45:00"))), "2025-03-10T14:15:00")
        XCTAssertEqual(F.local(try cal.addingWorkingMinutes(90, to: F.at("2025-03-10T11:00:00"))), "2025-03-10T14:30:00")
        XCTAssertEqual(F.local(try cal.addingWorkingHours(7, to: F.at("2025-03-10T09:00:00"))), "2025-03-10T18:00:00")
    }

    func testSubtractingWorkingTime() throws {
        let cal = try F.calendar()
        XCTAssertEqual(F.local(try cal.subtractingWorkingTime(3600, from: F.at("2025-03-11T09:30:00"))), "2025-03-10T17:30:00")
        XCTAssertEqual(F.local(try cal.subtractingWorkingTime(3600, from: F.at("2025-03-10T14:30:00"))), "2025-03-10T11:30:00")
        XCTAssertEqual(F.local(try cal.subtractingWorkingTime(3600, from: F.at("2025-02-05T09:30:00"))), "2025-01-27T17:30:00")
        XCTAssertEqual(F.local(try cal.subtractingWorkingTime(3600, from: F.at("2025-03-10T18:00:00"))), "2025-03-10T17:00:00")
    }

    func testWorkingMinutesBetweenInstants() throws {
        let cal = try F.calendar()
        XCTAssertEqual(try cal.workingMinutes(from: F.at("2025-03-10T11:00:00"), to: F.at("2025-03-10T14:30:00")), 90)
        XCTAssertEqual(try cal.workingMinutes(from: F.at("2025-03-14T17:00:00"), to: F.at("2025-03-17T10:00:00")), 120)
        XCTAssertEqual(try cal.workingMinutes(from: F.at("2026-02-13T17:00:00"), to: F.at("2026-02-24T09:30:00")), 510)
        XCTAssertEqual(try cal.workingMinutes(from: F.at("2025-03-10T19:00:00"), to: F.at("2025-03-11T08:00:00")), 0)
        XCTAssertEqual(try cal.workingMinutes(from: F.at("2025-03-11T10:00:00"), to: F.at("2025-03-10T10:00:00")), 0)
        // Round trip with the adding functions.
        let start = F.at("2025-09-29T15:10:00")
        let end = try cal.addingWorkingMinutes(1234, to: start)
        XCTAssertEqual(try cal.workingMinutes(from: start, to: end), 1234)
    }

    func testYearNotCoveredNamesTheYear() throws {
        let only2025 = try WorkingCalendar(file: F.file2025)
        XCTAssertThrowsError(try only2025.addingWorkingDays(1, to: F.at("2025-12-31T10:00:00"))) { error in
            XCTAssertEqual(error as? CalendarError, .yearNotCovered(2026))
        }
        let cal = try F.calendar()
        XCTAssertThrowsError(try cal.addingWorkingDays(1, to: F.at("2026-12-31T10:00:00"))) { error in
            XCTAssertEqual(error as? CalendarError, .yearNotCovered(2027))
            XCTAssertTrue("\(error)".contains("2027"))
        }
        XCTAssertThrowsError(try cal.addingWorkingHours(3, to: F.at("2026-12-31T17:00:00"))) { error in
            XCTAssertEqual(error as? CalendarError, .yearNotCovered(2027))
        }
        XCTAssertThrowsError(try cal.workingMinutes(from: F.at("2024-12-31T10:00:00"), to: F.at("2025-01-02T10:00:00"))) {
            XCTAssertEqual($0 as? CalendarError, .yearNotCovered(2024))
        }
        XCTAssertEqual(F.local(try cal.addingWorkingDays(1, to: F.at("2025-12-31T10:00:00"))), "2026-01-04T18:00:00")
        XCTAssertThrowsError(try cal.checkedIsWorkingDay(day("2027-01-04")))
        XCTAssertTrue(cal.isWorkingDay(day("2027-01-04")), "outside the covered years: the weekday rule")
    }

    func testMergingFiles() throws {
        let cal = try F.calendar()
        XCTAssertEqual(cal.coveredYears, [2025, 2026])
        XCTAssertEqual(cal.timeZone.identifier, "Asia/Shanghai")
        var other = F.file2026
        other.timezone = "Asia/Urumqi"
        XCTAssertThrowsError(try WorkingCalendar(files: [F.file2025, other])) {
            XCTAssertEqual($0 as? CalendarError, .conflictingTimeZones("Asia/Shanghai", "Asia/Urumqi"))
        }
        var hours = F.file2026
        hours.workingHours = [["08:30", "12:00"], ["14:00", "18:00"]]
        XCTAssertThrowsError(try WorkingCalendar(files: [F.file2025, hours])) {
            XCTAssertEqual($0 as? CalendarError, .conflictingWorkingHours)
        }
        var clash = F.file2026
        clash.holidays.append(CalendarDate("2025-01-26")!)
        XCTAssertThrowsError(try WorkingCalendar(files: [F.file2025, clash])) {
            XCTAssertEqual($0 as? CalendarError, .holidayAndWorkday(CalendarDate("2025-01-26")!))
        }
        XCTAssertThrowsError(try WorkingCalendar(files: [])) { XCTAssertEqual($0 as? CalendarError, .noFiles) }
        var zone = F.file2025
        zone.timezone = "Mars/Olympus"
        XCTAssertThrowsError(try WorkingCalendar(file: zone)) {
            XCTAssertEqual($0 as? CalendarError, .unknownTimeZone("Mars/Olympus"))
        }
    }

    func testCoveredYearsDefaultToTheListedDates() throws {
        let file = CalendarFile(
            timezone: "Asia/Shanghai", workingHours: F.hours, holidays: [day("2026-01-01")], workdays: [day("2026-01-04")])
        XCTAssertEqual(file.coveredYears, [2026])
        XCTAssertEqual(try WorkingCalendar(file: file).coveredYears, [2026])
    }

    func testInvalidWorkingHours() {
        for bad in [[["9:00", "12:00"], ["11:00", "18:00"]], [["12:00", "09:00"]], [["09:00"]], [], [["25:00", "26:00"]], [["09:0", "12:00"]]] {
            var file = F.file2025
            file.workingHours = bad
            XCTAssertThrowsError(try WorkingCalendar(file: file), "\(bad)") { error in
                guard case .invalidWorkingHours? = error as? CalendarError else {
                    return XCTFail("expected invalidWorkingHours for \(bad), got \(error)")
                }
            }
        }
    }

    func testCalendarFileDecodesTheContractFormat() throws {
        let json = #"""
            {"timezone": "Asia/Shanghai", "working_hours": [["09:00", "12:00"], ["14:00", "18:00"]],
             "holidays": ["2026-01-01", "2026-01-02"], "workdays": ["2026-01-04"]}
            """#
        let file = try JSONDecoder().decode(CalendarFile.self, from: Data(json.utf8))
        XCTAssertEqual(file.holidays, [day("2026-01-01"), day("2026-01-02")])
        XCTAssertEqual(file.workdays, [day("2026-01-04")])
        XCTAssertNil(file.years)
        XCTAssertFalse(file.provisional)
        let provisional = #"{"timezone": "Asia/Shanghai", "working_hours": [], "years": [2027], "provisional": true}"#
        XCTAssertTrue(try JSONDecoder().decode(CalendarFile.self, from: Data(provisional.utf8)).provisional)
        let bad = #"{"timezone": "Asia/Shanghai", "working_hours": [], "holidays": ["2026-02-30"]}"#
        XCTAssertThrowsError(try JSONDecoder().decode(CalendarFile.self, from: Data(bad.utf8)))
        let encoded = try JSONEncoder().encode(F.file2025)
        XCTAssertEqual(try JSONDecoder().decode(CalendarFile.self, from: encoded), F.file2025)
    }

    func testCalendarDate() throws {
        XCTAssertNil(CalendarDate("2025-02-29"))
        XCTAssertNotNil(CalendarDate("2024-02-29"))
        XCTAssertNil(CalendarDate("2025-1-01"))
        XCTAssertNil(CalendarDate("2025-13-01"))
        XCTAssertEqual(day("2025-12-31").adding(days: 1), day("2026-01-01"))
        XCTAssertEqual(day("2026-03-01").adding(days: -1), day("2026-02-28"))
        XCTAssertEqual(day("2025-01-01").days(to: day("2026-01-01")), 365)
        XCTAssertLessThan(day("2025-12-31"), day("2026-01-01"))
        XCTAssertEqual(day("2025-03-05").description, "2025-03-05")
        XCTAssertEqual(CalendarDate(F.at("2025-03-09T23:30:00+00:00"), in: TimeZone(identifier: "Asia/Shanghai")!), day("2025-03-10"))
        let data = try JSONEncoder().encode([day("2026-01-04")])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), #"["2026-01-04"]"#)
    }

    func testIsWorkingTime() throws {
        let cal = try F.calendar()
        XCTAssertTrue(try cal.isWorkingTime(F.at("2025-03-10T09:00:00")))
        XCTAssertFalse(try cal.isWorkingTime(F.at("2025-03-10T12:30:00")))
        XCTAssertFalse(try cal.isWorkingTime(F.at("2025-03-10T18:00:00")))
        XCTAssertFalse(try cal.isWorkingTime(F.at("2025-10-02T10:00:00")))
        XCTAssertTrue(try cal.isWorkingTime(F.at("2025-10-11T10:00:00")))
    }
}
