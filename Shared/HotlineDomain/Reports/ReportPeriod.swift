import Foundation

/// How a report groups its rows: by local day, ISO week (Monday first), month, quarter or year.
public enum ReportGrouping: String, Sendable, CaseIterable, Codable {
    case day, week, month, quarter, year

    /// The first date of the period that holds `date` (what PostgreSQL's `date_trunc` gives).
    public func start(of date: CalendarDate) -> CalendarDate {
        switch self {
        case .day: return date
        case .week: return date.adding(days: -(date.isoWeekday - 1))
        case .month: return CalendarDate(year: date.year, month: date.month, day: 1)!
        case .quarter: return Quarter(containing: date).firstDay
        case .year: return CalendarDate(year: date.year, month: 1, day: 1)!
        }
    }

    /// The first date of the next period.
    public func next(after start: CalendarDate) -> CalendarDate {
        switch self {
        case .day: return start.adding(days: 1)
        case .week: return start.adding(days: 7)
        case .quarter: return Quarter(containing: start).next.firstDay
        case .year: return CalendarDate(year: start.year + 1, month: 1, day: 1)!
        case .month:
            return start.month == 12
                ? CalendarDate(year: start.year + 1, month: 1, day: 1)!
                : CalendarDate(year: start.year, month: start.month + 1, day: 1)!
        }
    }

    /// A short name of the period starting at `start`: `2026-11-23`, `2026-W48`, `2026-11`, `2026-Q4`, `2026`.
    public func label(of start: CalendarDate) -> String {
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        switch self {
        case .day: return start.description
        case .week:
            // ISO week: the week's Thursday decides the year.
            let thursday = start.adding(days: 3)
            let firstOfYear = CalendarDate(year: thursday.year, month: 1, day: 1)!
            let week = firstOfYear.days(to: thursday) / 7 + 1
            return "\(thursday.year)-W\(pad(week))"
        case .month: return "\(start.year)-\(pad(start.month))"
        case .quarter:
            let quarter = Quarter(containing: start)
            return "\(quarter.year)-Q\(quarter.number)"
        case .year: return "\(start.year)"
        }
    }
}

/// One period of a report: its key (the first date, as SQL's `date_trunc` gives it) and the dates
/// of the report's range it covers (the first and last periods may be partial).
public struct ReportPeriod: Sendable, Hashable, Codable {
    public let key: CalendarDate
    public let label: String
    public let from: CalendarDate
    public let to: CalendarDate

    public init(key: CalendarDate, label: String, from: CalendarDate, to: CalendarDate) {
        self.key = key
        self.label = label
        self.from = from
        self.to = to
    }

    /// The periods covering `from`…`to` (inclusive local dates); one period for the whole range
    /// when `grouping` is nil.
    public static func covering(from: CalendarDate, to: CalendarDate, by grouping: ReportGrouping?) -> [ReportPeriod] {
        guard from <= to else { return [] }
        guard let grouping else {
            return [ReportPeriod(key: from, label: "\(from)..\(to)", from: from, to: to)]
        }
        var periods: [ReportPeriod] = []
        var start = grouping.start(of: from)
        while start <= to {
            let next = grouping.next(after: start)
            periods.append(ReportPeriod(
                key: start, label: grouping.label(of: start), from: max(start, from), to: min(next.adding(days: -1), to)))
            start = next
        }
        return periods
    }
}
