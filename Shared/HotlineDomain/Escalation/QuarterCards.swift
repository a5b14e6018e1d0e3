import Foundation

/// A calendar quarter, written `2026Q3`.
public struct Quarter: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    /// 1-4.
    public let number: Int

    public init?(year: Int, number: Int) {
        guard (1...4).contains(number), (1900...9999).contains(year) else { return nil }
        self.year = year
        self.number = number
    }

    /// Parses `2026Q3` (also `2026-Q3`, lower case `q`).
    public init?(_ text: String) {
        let upper = text.uppercased().replacingOccurrences(of: "-", with: "")
        let parts = upper.split(separator: "Q", omittingEmptySubsequences: false)
        guard parts.count == 2, let year = Int(parts[0]), let number = Int(parts[1]) else { return nil }
        self.init(year: year, number: number)
    }

    /// The quarter holding a local date.
    public init(containing date: CalendarDate) {
        year = date.year
        number = (date.month - 1) / 3 + 1
    }

    public var description: String { "\(year)Q\(number)" }

    public var previous: Quarter {
        number == 1 ? Quarter(year: year - 1, number: 4)! : Quarter(year: year, number: number - 1)!
    }

    public var next: Quarter {
        number == 4 ? Quarter(year: year + 1, number: 1)! : Quarter(year: year, number: number + 1)!
    }

    /// Its first day.
    public var firstDay: CalendarDate { CalendarDate(year: year, month: (number - 1) * 3 + 1, day: 1)! }

    /// `[start, end)` as instants: local midnight of its first day to local midnight of the next
    /// quarter's first day, in `calendar`'s time zone.
    public func interval(in calendar: WorkingCalendar) -> (start: Date, end: Date) {
        (calendar.instant(firstDay, secondsIntoDay: 0), calendar.instant(next.firstDay, secondsIntoDay: 0))
    }

    public static func < (lhs: Quarter, rhs: Quarter) -> Bool {
        (lhs.year, lhs.number) < (rhs.year, rhs.number)
    }
}

/// One unit's counts for a quarter (PS §20(二)).
public struct UnitQuarterCounts: Codable, Sendable, Hashable {
    public var unit: String
    /// Assignments resolved late or still overdue (超期办结).
    public var overdue: Int
    /// Shirking (推诿扯皮): denied and overdue returns.
    public var shirked: Int

    public init(unit: String, overdue: Int, shirked: Int) {
        self.unit = unit
        self.overdue = overdue
        self.shirked = shirked
    }
}

/// A card to issue.
public struct PlannedCard: Sendable, Hashable {
    public var unit: String
    public var color: CardColor
    public var reason: String
}

/// Quarterly yellow and red cards (PS §20(二)): a yellow card for a unit whose overdue or shirked
/// count reaches the profile's threshold; a red card when that is the `red_after_consecutive_yellow`th
/// yellow quarter in a row. A red quarter is also a yellow one (both are issued).
public enum QuarterCards {
    /// The cards of a quarter, given its counts and, for each earlier quarter needed (the most recent
    /// first), the units that were yellow then.
    public static func cards(
        counts: [UnitQuarterCounts], earlierYellow: [Set<String>], rules: CardRules
    ) -> [PlannedCard] {
        var result: [PlannedCard] = []
        for count in counts.sorted(by: { $0.unit < $1.unit })
        where rules.isYellow(overdue: count.overdue, shirked: count.shirked) {
            let reason = "overdue \(count.overdue) (yellow at \(rules.yellow.overdueTickets)), shirked \(count.shirked) (yellow at \(rules.yellow.shirkedTickets))"
            result.append(PlannedCard(unit: count.unit, color: .yellow, reason: reason))
            let needed = max(1, rules.redAfterConsecutiveYellow) - 1
            if earlierYellow.count >= needed, earlierYellow.prefix(needed).allSatisfy({ $0.contains(count.unit) }) {
                result.append(PlannedCard(
                    unit: count.unit, color: .red,
                    reason: "\(rules.redAfterConsecutiveYellow) yellow quarters in a row; \(reason)"))
            }
        }
        return result
    }
}
