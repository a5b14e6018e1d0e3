import Foundation

/// System urging before a deadline (系统自动催办, PS §18(一); PL §26).
public struct WarningRules: Codable, Sendable, Hashable {
    /// Warn when this fraction of the limit has elapsed (0.75).
    public var atFraction: Double?
    /// Warn this long before the deadline (1 working hour).
    public var beforeDeadline: TimeLimit?

    enum CodingKeys: String, CodingKey {
        case atFraction = "at_fraction"
        case beforeDeadline = "before_deadline"
    }

    /// The warning instants for a limit that runs from `start` to `deadline`, sorted, strictly between
    /// them. Working-time limits measure the fraction in working time, clock limits in clock time; the
    /// "before" point is skipped for clock limits shorter than it.
    public func points(
        start: Date, deadline: Date, workingTime: Bool, calendar: WorkingCalendar
    ) throws -> [Date] {
        guard deadline > start else { return [] }
        var points: [Date] = []
        if let fraction = atFraction, fraction > 0, fraction < 1 {
            if workingTime {
                let total = try calendar.workingSeconds(from: start, to: deadline)
                points.append(try calendar.addingWorkingTime(total * fraction, to: start))
            } else {
                points.append(start.addingTimeInterval(deadline.timeIntervalSince(start) * fraction))
            }
        }
        if let before = beforeDeadline {
            let limit: TimeLimit
            switch (workingTime, before) {
            case (false, .workingHours(let n)): limit = .hours(n)
            case (false, .workingDays(let n)): limit = .days(n)
            default: limit = before
            }
            points.append(try limit.instant(before: deadline, calendar: calendar))
        }
        return Array(Set(points.filter { $0 > start && $0 < deadline })).sorted()
    }
}
