import Foundation

/// Notification texts from the profile's templates: `{name}` placeholders replaced by values; a
/// placeholder without a value is left out (so a missing street never prints `{street}`).
public enum NotificationText {
    public static func render(_ template: String, values: [String: String]) -> String {
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                result += rest[open...]
                return result
            }
            let name = String(rest[rest.index(after: open)..<close])
            if name.isEmpty || name.contains(where: { !($0.isLetter || $0.isNumber || $0 == "_") }) {
                result += rest[open...close]
            } else {
                result += values[name] ?? ""
            }
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        return result
    }

    /// A local time as officials read it, `2026-11-24 18:00`.
    public static func localTime(_ instant: Date, calendar: WorkingCalendar) -> String {
        let date = calendar.localDate(of: instant)
        let seconds = Int(calendar.secondsIntoDay(of: instant))
        return String(format: "%04d-%02d-%02d %02d:%02d", date.year, date.month, date.day, seconds / 3600, seconds / 60 % 60)
    }

    /// The Chinese name of a deadline, for texts.
    public static func deadlineName(_ deadline: DeadlineKind) -> String {
        switch deadline {
        case .dispatch: return "分拨"
        case .sign: return "签收"
        case .notify: return "受理告知"
        case .feedback: return "反馈"
        case .resolve: return "办结"
        case .followUp: return "后续办理"
        case .knowledgeCorrection: return "知识库修正"
        }
    }

    /// The Chinese name of an urgency.
    public static func urgencyName(_ urgency: Urgency) -> String {
        switch urgency {
        case .urgent: return "紧急"
        case .fast: return "快速"
        case .normal: return "常态"
        }
    }

    /// A window as officials read it: `24小时`, `30天`.
    public static func windowName(_ limit: TimeLimit) -> String {
        switch limit {
        case .minutes(let n): return "\(n)分钟"
        case .hours(let n): return "\(n)小时"
        case .days(let n): return "\(n)天"
        case .workingHours(let n): return "\(n)个工作小时"
        case .workingDays(let n): return "\(n)个工作日"
        }
    }
}
