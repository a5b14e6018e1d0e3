import Foundation

/// A working-calendar file (docs/contract.md "Calendar file"): time zone, daily working hours, days off and
/// make-up working days. `years` (an extra field) names the years the file fully describes; when it is
/// absent the covered years are the years of the listed dates.
public struct CalendarFile: Codable, Sendable, Hashable {
    /// IANA time zone, e.g. `Asia/Shanghai`.
    public var timezone: String
    /// Working-hours intervals of a working day, as `["HH:mm", "HH:mm"]` pairs.
    public var workingHours: [[String]]
    /// Days off (public holidays); weekend dates listed here change nothing.
    public var holidays: [CalendarDate]
    /// Make-up working days on weekends (调休).
    public var workdays: [CalendarDate]
    /// The years this file covers; `nil` means the years of the listed dates.
    public var years: [Int]?
    /// Statutory days only, before the State Council's arrangement for the year is published (an
    /// extra field): usable, but to be replaced.
    public var provisional: Bool

    public init(
        timezone: String, workingHours: [[String]], holidays: [CalendarDate] = [],
        workdays: [CalendarDate] = [], years: [Int]? = nil, provisional: Bool = false
    ) {
        self.timezone = timezone
        self.workingHours = workingHours
        self.holidays = holidays
        self.workdays = workdays
        self.years = years
        self.provisional = provisional
    }

    enum CodingKeys: String, CodingKey {
        case timezone
        case workingHours = "working_hours"
        case holidays, workdays, years, provisional
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        timezone = try c.decode(String.self, forKey: .timezone)
        workingHours = try c.decode([[String]].self, forKey: .workingHours)
        holidays = try c.decodeIfPresent([CalendarDate].self, forKey: .holidays) ?? []
        workdays = try c.decodeIfPresent([CalendarDate].self, forKey: .workdays) ?? []
        years = try c.decodeIfPresent([Int].self, forKey: .years)
        provisional = try c.decodeIfPresent(Bool.self, forKey: .provisional) ?? false
    }

    /// The years this file covers: `years`, or the years of the listed dates.
    public var coveredYears: Set<Int> {
        if let years { return Set(years) }
        return Set((holidays + workdays).map(\.year))
    }
}
