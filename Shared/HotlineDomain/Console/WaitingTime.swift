import Foundation

/// How long something has waited, or how far a deadline is, in the console's words.
public enum WaitingTime {
    /// "2天3小时", "5小时12分", "12分钟", "不到1分钟".
    public static func text(_ interval: TimeInterval) -> String {
        let minutes = Int(abs(interval) / 60)
        let days = minutes / 1440
        let hours = minutes % 1440 / 60
        let rest = minutes % 60
        if days > 0 { return hours > 0 ? "\(days)天\(hours)小时" : "\(days)天" }
        if hours > 0 { return rest > 0 ? "\(hours)小时\(rest)分" : "\(hours)小时" }
        return minutes > 0 ? "\(minutes)分钟" : "不到1分钟"
    }

    /// How a deadline stands at `now`: "剩余5小时" before it, "超期2天" after.
    public static func deadline(_ due: Date, now: Date) -> String {
        due >= now ? "剩余" + text(due.timeIntervalSince(now)) : "超期" + text(now.timeIntervalSince(due))
    }
}
