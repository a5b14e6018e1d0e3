import Foundation

/// When a notification may go out (PS §18-19 reminders are office business): a non-urgent
/// notification to an official or a unit that falls outside working hours waits for the start of
/// the next working-hours interval of the working calendar; urgent ones, and the citizen's, go at once.
public enum QuietHours {
    /// The earliest instant at or after `instant` that lies in working hours.
    public static func nextWorkingStart(atOrAfter instant: Date, calendar: WorkingCalendar) throws -> Date {
        if try calendar.isWorkingTime(instant) { return instant }
        var day = calendar.localDate(of: instant)
        var offset = calendar.secondsIntoDay(of: instant)
        for _ in 0..<400 {
            if try calendar.checkedIsWorkingDay(day),
                let interval = calendar.intervals.first(where: { TimeInterval($0.start) >= offset })
            {
                return calendar.instant(day, secondsIntoDay: TimeInterval(interval.start))
            }
            day = day.adding(days: 1)
            offset = 0
        }
        throw CalendarError.yearNotCovered(day.year)
    }

    /// When a notification decided at `now` goes out: `now`, or the next working-hours start.
    public static func sendAfter(
        now: Date, urgent: Bool, audience: NotificationAudience, rules: NotificationRules, calendar: WorkingCalendar
    ) throws -> Date {
        guard rules.quietHours, !urgent, audience != .citizen else { return now }
        return try nextWorkingStart(atOrAfter: now, calendar: calendar)
    }
}
