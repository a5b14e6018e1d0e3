import Foundation
import XCTest

@testable import HotlineDomain

/// The real 2025 and 2026 calendars (deploy/calendars), built in code: the tests do no file I/O.
enum CalendarFixtures {
    static let hours = [["09:00", "12:00"], ["14:00", "18:00"]]

    static func dates(_ texts: [String]) -> [CalendarDate] { texts.map { CalendarDate($0)! } }

    static func range(_ from: String, _ to: String) -> [CalendarDate] {
        var result: [CalendarDate] = []
        var day = CalendarDate(from)!
        while day <= CalendarDate(to)! {
            result.append(day)
            day = day.adding(days: 1)
        }
        return result
    }

    /// 国办发明电〔2024〕12号.
    static let file2025 = CalendarFile(
        timezone: "Asia/Shanghai", workingHours: hours,
        holidays: dates(["2025-01-01"]) + range("2025-01-28", "2025-02-04") + range("2025-04-04", "2025-04-06")
            + range("2025-05-01", "2025-05-05") + range("2025-05-31", "2025-06-02") + range("2025-10-01", "2025-10-08"),
        workdays: dates(["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]),
        years: [2025])

    /// 国办发明电〔2025〕7号.
    static let file2026 = CalendarFile(
        timezone: "Asia/Shanghai", workingHours: hours,
        holidays: range("2026-01-01", "2026-01-03") + range("2026-02-15", "2026-02-23") + range("2026-04-04", "2026-04-06")
            + range("2026-05-01", "2026-05-05") + range("2026-06-19", "2026-06-21") + range("2026-09-25", "2026-09-27")
            + range("2026-10-01", "2026-10-07"),
        workdays: dates(["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]),
        years: [2026])

    static func calendar() throws -> WorkingCalendar { try WorkingCalendar(files: [file2025, file2026]) }

    /// An RFC 3339 instant; local times below are +08:00.
    static func at(_ text: String) -> Date {
        guard let date = RFC3339.date(from: text.count == 19 ? text + "+08:00" : text) else {
            fatalError("bad test time \(text)")
        }
        return date
    }

    /// Local `yyyy-MM-ddTHH:mm:ss` of an instant in +08:00, for readable assertions.
    static func local(_ date: Date) -> String {
        String(RFC3339.string(from: date, timeZone: TimeZone(identifier: "Asia/Shanghai")!).prefix(19))
    }
}
