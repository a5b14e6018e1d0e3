import Foundation

/// Working time of a jurisdiction (docs/contract.md "Deadline arithmetic"): Monday-Friday minus holidays plus
/// make-up working days, working hours per working day, in the calendar files' time zone.
///
/// Several files (one per year) merge into one calendar. Any computation that needs to know whether a
/// date in an uncovered year is a working day throws `CalendarError.yearNotCovered(year)`.
public struct WorkingCalendar: Sendable, Hashable {
    /// The local time zone of all date arithmetic.
    public let timeZone: TimeZone
    /// Working-hours intervals of a working day, sorted.
    public let intervals: [WorkingInterval]
    /// Days off.
    public let holidays: Set<CalendarDate>
    /// Make-up working days.
    public let workdays: Set<CalendarDate>
    /// Years the calendar knows.
    public let coveredYears: Set<Int>
    /// Gregorian calendar in `timeZone`, for local date math.
    private let gregorian: Calendar

    /// A calendar from one file.
    public init(file: CalendarFile) throws { try self.init(files: [file]) }

    /// A calendar merged from several files (2025 + 2026); the files must agree on time zone and hours.
    public init(files: [CalendarFile]) throws {
        guard let first = files.first else { throw CalendarError.noFiles }
        guard let zone = TimeZone(identifier: first.timezone) else {
            throw CalendarError.unknownTimeZone(first.timezone)
        }
        let hours = try WorkingInterval.parse(first.workingHours)
        var holidays = Set<CalendarDate>(), workdays = Set<CalendarDate>(), years = Set<Int>()
        for file in files {
            guard TimeZone(identifier: file.timezone) != nil else {
                throw CalendarError.unknownTimeZone(file.timezone)
            }
            guard file.timezone == first.timezone else {
                throw CalendarError.conflictingTimeZones(first.timezone, file.timezone)
            }
            guard try WorkingInterval.parse(file.workingHours) == hours else {
                throw CalendarError.conflictingWorkingHours
            }
            holidays.formUnion(file.holidays)
            workdays.formUnion(file.workdays)
            years.formUnion(file.coveredYears)
        }
        if let both = holidays.intersection(workdays).min() { throw CalendarError.holidayAndWorkday(both) }
        self.timeZone = zone
        self.intervals = hours
        self.holidays = holidays
        self.workdays = workdays
        self.coveredYears = years
        self.gregorian = CalendarDate.gregorian(zone)
    }

    /// Whether the calendar knows the year.
    public func covers(year: Int) -> Bool { coveredYears.contains(year) }

    /// A listed make-up day, or Monday-Friday and not a holiday. Outside the covered years this is the
    /// plain weekday rule; use `checkedIsWorkingDay` to get an error instead.
    public func isWorkingDay(_ date: CalendarDate) -> Bool {
        if workdays.contains(date) { return true }
        if holidays.contains(date) { return false }
        return !date.isWeekend
    }

    /// `isWorkingDay`, throwing `CalendarError.yearNotCovered` outside the covered years.
    public func checkedIsWorkingDay(_ date: CalendarDate) throws -> Bool {
        guard covers(year: date.year) else { throw CalendarError.yearNotCovered(date.year) }
        return isWorkingDay(date)
    }

    /// The local date of an instant.
    public func localDate(of instant: Date) -> CalendarDate {
        let parts = gregorian.dateComponents([.year, .month, .day], from: instant)
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// The instant at `seconds` after local midnight of `date` (24:00 is the next midnight).
    public func instant(_ date: CalendarDate, secondsIntoDay seconds: TimeInterval) -> Date {
        if seconds >= 86_400 { return instant(date.adding(days: 1), secondsIntoDay: seconds - 86_400) }
        let whole = Int(seconds.rounded(.down))
        var parts = DateComponents()
        parts.year = date.year
        parts.month = date.month
        parts.day = date.day
        parts.hour = whole / 3600
        parts.minute = whole % 3600 / 60
        parts.second = whole % 60
        let base = gregorian.date(from: parts)!
        return base.addingTimeInterval(seconds - TimeInterval(whole))
    }

    /// The end of the last working-hours interval of `date` (e.g. 18:00).
    public func endOfWorkingHours(on date: CalendarDate) -> Date {
        instant(date, secondsIntoDay: TimeInterval(intervals.last!.end))
    }

    /// The first working day strictly after `date`.
    public func nextWorkingDay(after date: CalendarDate) throws -> CalendarDate {
        var day = date.adding(days: 1)
        while try !checkedIsWorkingDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// `N working days` from `instant`: the day of the instant does not count; the deadline is the end of
    /// the last working-hours interval of the Nth working day after its local date. `0` returns `instant`.
    public func addingWorkingDays(_ n: Int, to instant: Date) throws -> Date {
        guard n >= 0 else { throw CalendarError.negativeAmount }
        if n == 0 { return instant }
        var day = localDate(of: instant)
        for _ in 0..<n { day = try nextWorkingDay(after: day) }
        return endOfWorkingHours(on: day)
    }

    /// `N working hours` from `instant`: N×60 minutes inside working-hours intervals of working days,
    /// starting at `instant`, or at the next interval's start when it is outside one.
    public func addingWorkingHours(_ hours: Double, to instant: Date) throws -> Date {
        try addingWorkingTime(hours * 3600, to: instant)
    }

    /// `addingWorkingHours` in whole minutes.
    public func addingWorkingMinutes(_ minutes: Int, to instant: Date) throws -> Date {
        try addingWorkingTime(TimeInterval(minutes) * 60, to: instant)
    }

    /// Adds `seconds` of working time to `instant`. A deadline that ends exactly at an interval's end
    /// stays there (17:00 + 1 wh = 18:00, not 09:00 the next day).
    public func addingWorkingTime(_ seconds: TimeInterval, to instant: Date) throws -> Date {
        guard seconds >= 0 else { throw CalendarError.negativeAmount }
        if seconds == 0 { return instant }
        var remaining = seconds
        var day = localDate(of: instant)
        var from = secondsIntoDay(of: instant)
        while true {
            if try checkedIsWorkingDay(day) {
                for interval in intervals where TimeInterval(interval.end) > from {
                    let start = max(TimeInterval(interval.start), from)
                    let available = TimeInterval(interval.end) - start
                    if remaining <= available { return self.instant(day, secondsIntoDay: start + remaining) }
                    remaining -= available
                }
            }
            day = day.adding(days: 1)
            from = 0
        }
    }

    /// The instant `seconds` of working time before `instant` (for "1 working hour before the deadline").
    /// A result that falls exactly on an interval's start stays there.
    public func subtractingWorkingTime(_ seconds: TimeInterval, from instant: Date) throws -> Date {
        guard seconds >= 0 else { throw CalendarError.negativeAmount }
        if seconds == 0 { return instant }
        var remaining = seconds
        var day = localDate(of: instant)
        var until = secondsIntoDay(of: instant)
        while true {
            if try checkedIsWorkingDay(day) {
                for interval in intervals.reversed() where TimeInterval(interval.start) < until {
                    let end = min(TimeInterval(interval.end), until)
                    let available = end - TimeInterval(interval.start)
                    if remaining <= available { return self.instant(day, secondsIntoDay: end - remaining) }
                    remaining -= available
                }
            }
            day = day.adding(days: -1)
            until = 86_400
        }
    }

    /// Working time, in seconds, between two instants; 0 when `end` is not after `start`.
    public func workingSeconds(from start: Date, to end: Date) throws -> TimeInterval {
        guard end > start else { return 0 }
        let firstDay = localDate(of: start), lastDay = localDate(of: end)
        let startOffset = secondsIntoDay(of: start), endOffset = secondsIntoDay(of: end)
        var total: TimeInterval = 0
        var day = firstDay
        while day <= lastDay {
            if try checkedIsWorkingDay(day) {
                let lower = day == firstDay ? startOffset : 0
                let upper = day == lastDay ? endOffset : 86_400
                for interval in intervals {
                    let a = max(TimeInterval(interval.start), lower)
                    let b = min(TimeInterval(interval.end), upper)
                    if b > a { total += b - a }
                }
            }
            day = day.adding(days: 1)
        }
        return total
    }

    /// Whole minutes of working time between two instants (rounded down); 0 when `end` is not after
    /// `start`. Used for the 75 % warning points and for clocks paused during a review.
    public func workingMinutes(from start: Date, to end: Date) throws -> Int {
        Int((try workingSeconds(from: start, to: end) / 60).rounded(.down))
    }

    /// Whether `instant` lies inside a working-hours interval of a working day.
    public func isWorkingTime(_ instant: Date) throws -> Bool {
        guard try checkedIsWorkingDay(localDate(of: instant)) else { return false }
        let offset = secondsIntoDay(of: instant)
        return intervals.contains { TimeInterval($0.start) <= offset && offset < TimeInterval($0.end) }
    }

    /// Seconds after local midnight (wall clock), with the fraction of a second.
    public func secondsIntoDay(of instant: Date) -> TimeInterval {
        let parts = gregorian.dateComponents([.hour, .minute, .second], from: instant)
        let whole = TimeInterval(parts.hour! * 3600 + parts.minute! * 60 + parts.second!)
        let fraction = instant.timeIntervalSinceReferenceDate - instant.timeIntervalSinceReferenceDate.rounded(.down)
        return whole + fraction
    }
}
