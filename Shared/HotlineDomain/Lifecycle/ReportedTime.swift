import Foundation

/// A time a unit reports about its own work (a citizen notice's `at`, a resolution's `handled_at`):
/// it must lie between the assignment's dispatch and the platform's clock, allowing the profile's
/// clock skew (`intake.future_skew_seconds`, 300 s by default). It is kept as told; whether the work
/// was on time is judged by when the command arrived, never by a reported time (docs/rules.md
/// "SLA timer").
public enum ReportedTime {
    /// The problem with `time` for `field`, or nil. `dispatchedAt` is the assignment's creation (or
    /// whatever the work started with, named by `start`), compared to the whole second (reported
    /// times have no fractions).
    public static func problem(
        _ time: Date, field: String, dispatchedAt: Date, now: Date, skew: TimeInterval,
        start: String = "the assignment was dispatched"
    ) -> FieldProblem? {
        if time < Date(timeIntervalSince1970: dispatchedAt.timeIntervalSince1970.rounded(.down)) {
            return FieldProblem(field: field, problem: "before \(start)")
        }
        if time > now.addingTimeInterval(skew) {
            return FieldProblem(field: field, problem: "in the future")
        }
        return nil
    }

    /// The refusal (`invalid`) for `problem`.
    public static func refusal(_ problem: FieldProblem) -> CommandRefusal {
        CommandRefusal(.invalid, "\(problem.field): \(problem.problem)")
    }
}
