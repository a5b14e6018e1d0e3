import Foundation

/// Which timers a deadline needs (docs/rules.md "SLA timer", "Escalation and warnings"): `sla.warning` at the
/// profile's warning points (`warnings`: by default 75 % of the allowed time and one working hour
/// before), `sla.breached` at the deadline, and for the `resolve` and `follow_up` deadlines a daily
/// overdue tick for the escalation tiers.
public struct TimerPlanner: Sendable {
    /// Deadlines whose breach is followed by daily overdue ticks (PS §19 超时分级提醒 counts overdue handling).
    public static let overdueDeadlines: Set<DeadlineKind> = [.resolve, .followUp]

    public let profile: RuleProfile
    public let calendar: WorkingCalendar

    public init(profile: RuleProfile, calendar: WorkingCalendar) {
        self.profile = profile
        self.calendar = calendar
    }

    public init(_ planner: DeadlinePlanner) {
        self.init(profile: planner.profile, calendar: planner.calendar)
    }

    /// The deadline planner of the same profile and calendar.
    public var deadlinePlanner: DeadlinePlanner { DeadlinePlanner(profile: profile, calendar: calendar) }

    /// The timers of one deadline that runs from `start` (nil: no warnings) to `deadline`.
    /// - Parameters:
    ///   - workingTime: whether the limit counts working time (the warning fraction is then measured
    ///     in working time).
    ///   - now: places the overdue tick at the first whole day still ahead.
    /// Warning points the calendar cannot place (a year it does not cover) are left out; the breach
    /// is always planned.
    public func timers(
        for kind: DeadlineKind, start: Date?, deadline: Date, workingTime: Bool, now: Date
    ) -> [TimerSpec] {
        var timers: [TimerSpec] = []
        if let start, let points = try? profile.warnings.points(
            start: start, deadline: deadline, workingTime: workingTime, calendar: calendar)
        {
            for (index, point) in points.enumerated() {
                timers.append(TimerSpec(
                    purpose: TimerSpec.purpose(kind, .warning, index: index + 1), deadline: kind, action: .warning,
                    dueAt: point, deadlineAt: deadline))
            }
        }
        timers.append(TimerSpec(
            purpose: TimerSpec.purpose(kind, .breach), deadline: kind, action: .breach, dueAt: deadline,
            deadlineAt: deadline, daysOverdue: 0))
        if Self.overdueDeadlines.contains(kind) {
            let tick = OverdueDays.nextTick(deadline: deadline, now: now)
            timers.append(TimerSpec(
                purpose: TimerSpec.purpose(kind, .overdue), deadline: kind, action: .overdue, dueAt: tick.dueAt,
                deadlineAt: deadline, daysOverdue: tick.days))
        }
        return timers
    }

    /// Whether the limit behind a deadline counts working time (`DeadlinePlanner.isWorkingTime`).
    public func isWorkingTime(_ kind: DeadlineKind, ticket: TicketKind, urgency: Urgency, itemWorkingDays: Int?) -> Bool {
        deadlinePlanner.isWorkingTime(kind, ticket: ticket, urgency: urgency, itemWorkingDays: itemWorkingDays)
    }
}
