import Foundation

/// How far ahead of a day the working calendar reaches. A deadline past the last covered day cannot
/// be computed, so the services warn while there is time to load the next year's calendar
/// (docs/operations.md "Calendars").
public struct CalendarCoverage: Sendable, Equatable {
    /// The last day of the unbroken run of covered years that starts with the day's own year; nil
    /// when that year is not covered.
    public let lastDay: CalendarDate?
    /// Days after the day that are still covered (0 when its year is not).
    public let daysLeft: Int

    /// Days of coverage below which a service warns (`HOTLINE_CALENDAR_WARNING_DAYS`): longer than
    /// the longest deadline a ticket can be given, and long enough to obtain and load a calendar.
    public static let defaultWarningDays = 90

    public init(calendar: WorkingCalendar, today: CalendarDate) {
        guard calendar.covers(year: today.year) else {
            lastDay = nil
            daysLeft = 0
            return
        }
        var year = today.year
        while calendar.covers(year: year + 1) { year += 1 }
        let last = CalendarDate(year: year, month: 12, day: 31)!
        lastDay = last
        daysLeft = today.days(to: last)
    }

    /// What operators should do when this year is not covered or fewer than `warningDays` days are;
    /// nil otherwise.
    public func warning(warningDays: Int = defaultWarningDays) -> String? {
        guard let lastDay else {
            return "the working calendar does not cover this year: deadlines cannot be computed; load this year's calendar (hotlinectl calendar load)"
        }
        guard daysLeft < warningDays else { return nil }
        return "the working calendar ends \(lastDay), in \(daysLeft) days: load the next year's calendar (hotlinectl calendar load)"
    }
}
