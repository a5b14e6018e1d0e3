import Foundation

/// What a timer does when it falls due.
public enum TimerAction: String, Codable, Sendable, Hashable, CaseIterable {
    /// `sla.warning` at one of the profile's warning points (系统自动催办).
    case warning
    /// `sla.breached` at the deadline itself; for the sign deadline the dispatcher turns it into the
    /// automatic sign-off.
    case breach
    /// The daily overdue tick: `sla.breached` again with `days_overdue` N = 1, 2, … (once each), for the
    /// escalation tiers. One row that moves forward a day each time it fires.
    case overdue
}

/// One durable timer as planned: which deadline, what it does, and when.
public struct TimerSpec: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Unique per subject among pending timers, e.g. `sign.breach`, `resolve.warning.1`, `resolve.overdue`.
    public var purpose: String
    public var deadline: DeadlineKind
    public var action: TimerAction
    /// When the timer fires.
    public var dueAt: Date
    /// The deadline it concerns (the events' `due_at`).
    public var deadlineAt: Date
    /// For breaches and overdue ticks: the whole days past the deadline the firing reports.
    public var daysOverdue: Int?

    public init(
        purpose: String, deadline: DeadlineKind, action: TimerAction, dueAt: Date, deadlineAt: Date,
        daysOverdue: Int? = nil
    ) {
        self.purpose = purpose
        self.deadline = deadline
        self.action = action
        self.dueAt = dueAt
        self.deadlineAt = deadlineAt
        self.daysOverdue = daysOverdue
    }

    /// A warning whose moment has passed by `now`: it is never fired (a late warning is noise; a
    /// late breach is not, it fires at once).
    public func isPassedWarning(at now: Date) -> Bool { action == .warning && dueAt <= now }

    enum CodingKeys: String, CodingKey {
        case purpose, deadline, action
        case dueAt = "due_at"
        case deadlineAt = "deadline_at"
        case daysOverdue = "days_overdue"
    }

    /// The purpose string of a timer: `<deadline>.<action>` and, for warnings, `.<n>` (1-based, in time order).
    public static func purpose(_ deadline: DeadlineKind, _ action: TimerAction, index: Int? = nil) -> String {
        let base = "\(deadline.rawValue).\(action.rawValue)"
        return index.map { "\(base).\($0)" } ?? base
    }

    public var description: String {
        "\(purpose)@\(RFC3339.string(from: dueAt))"
    }
}

/// The elapsed-day arithmetic of the overdue ticks (docs/contract.md "Deadline arithmetic": elapsed days since the
/// deadline, 24 h each).
public enum OverdueDays {
    /// One elapsed day.
    public static let day: TimeInterval = 86_400

    /// Whole elapsed days from `deadline` to `now` (0 before a full day has passed, never negative).
    public static func whole(since deadline: Date, now: Date) -> Int {
        let elapsed = now.timeIntervalSince(deadline)
        guard elapsed > 0 else { return 0 }
        // A hair of tolerance so that a tick that fires exactly on the day counts that day.
        return Int(((elapsed + 0.000_5) / day).rounded(.down))
    }

    /// The next overdue tick after `now` for a deadline: the first whole day N ≥ 1 whose instant
    /// (deadline + N days) is after `now`.
    public static func nextTick(deadline: Date, now: Date) -> (days: Int, dueAt: Date) {
        let days = max(1, whole(since: deadline, now: now) + (now > deadline ? 1 : 0))
        return (days, deadline.addingTimeInterval(Double(days) * day))
    }

    /// What an overdue tick reports when it fires at `now` (its own day, or more after an outage: the
    /// ticks missed meanwhile are not sent one by one), and the tick after it.
    public static func firing(deadline: Date, scheduledDays: Int, now: Date)
        -> (reported: Int, next: Int, nextDueAt: Date)
    {
        let reported = max(scheduledDays, whole(since: deadline, now: now))
        return (reported, reported + 1, deadline.addingTimeInterval(Double(reported + 1) * day))
    }
}
