import Foundation

/// The knowledge base's time rules (PS §22(三),(五); ZS §34). A profile without a `knowledge` section
/// gets `standard`.
public struct KnowledgeRules: Codable, Sendable, Hashable {
    /// A flagged entry is corrected within this limit of the flag (PS §22(五): 2 working days).
    public var correctionWithin: TimeLimit
    /// A public-interest policy is reported at least this many working days before it takes effect…
    public var reportMinWorkingDays: Int
    /// …and at most this many (PS §22(三), ZS §34(二): 3 至 10 个工作日).
    public var reportMaxWorkingDays: Int

    public init(correctionWithin: TimeLimit, reportMinWorkingDays: Int, reportMaxWorkingDays: Int) {
        self.correctionWithin = correctionWithin
        self.reportMinWorkingDays = reportMinWorkingDays
        self.reportMaxWorkingDays = reportMaxWorkingDays
    }

    /// Pingshan's rules, also where a profile sets none.
    public static let standard = KnowledgeRules(
        correctionWithin: .workingDays(2), reportMinWorkingDays: 3, reportMaxWorkingDays: 10)

    enum CodingKeys: String, CodingKey {
        case correctionWithin = "correction_within"
        case reportMinWorkingDays = "report_min_working_days"
        case reportMaxWorkingDays = "report_max_working_days"
    }

    /// The deadline of a correction flagged at `flaggedAt`.
    public func correctionDue(flaggedAt: Date, calendar: WorkingCalendar) throws -> Date {
        try correctionWithin.deadline(from: flaggedAt, calendar: calendar)
    }

    /// How a public-interest policy published (reported) at `reportedAt` and taking effect at
    /// `effectiveFrom` was reported: the working days after the report's date up to and including
    /// the day it takes effect, against the window.
    public func reportTiming(
        reportedAt: Date, effectiveFrom: Date, calendar: WorkingCalendar
    ) throws -> (timing: PolicyReportTiming, workingDaysAhead: Int) {
        let first = calendar.localDate(of: reportedAt), last = calendar.localDate(of: effectiveFrom)
        var ahead = 0
        var day = first.adding(days: 1)
        while day <= last, ahead <= reportMaxWorkingDays {
            if try calendar.checkedIsWorkingDay(day) { ahead += 1 }
            day = day.adding(days: 1)
        }
        let timing: PolicyReportTiming =
            ahead < reportMinWorkingDays ? .late : ahead > reportMaxWorkingDays ? .early : .onTime
        return (timing, ahead)
    }

    /// Problems that make the rules unusable.
    public func problems() -> [String] {
        var problems: [String] = []
        if reportMinWorkingDays < 0 { problems.append("knowledge.report_min_working_days: negative") }
        if reportMaxWorkingDays < reportMinWorkingDays {
            problems.append("knowledge.report_max_working_days: below report_min_working_days")
        }
        return problems
    }
}

/// Whether a public-interest policy reached the knowledge base in the window before it took effect.
public enum PolicyReportTiming: String, Codable, Sendable, CaseIterable {
    case onTime = "on_time"
    /// Fewer working days ahead than the window asks (or after it took effect).
    case late
    /// More working days ahead than the window allows (counted as `report_max_working_days` + 1).
    case early
}
