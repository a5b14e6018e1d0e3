import Foundation

/// A time limit as a profile writes it, exactly one of:
/// `{minutes: N}`, `{hours: N}`, `{days: N}` (clock time, plain elapsed time) or
/// `{working_hours: N}`, `{working_days: N}` (working time of the working calendar).
public enum TimeLimit: Sendable, Hashable, Codable, CustomStringConvertible {
    case minutes(Int)
    case hours(Int)
    /// Clock days of 24 hours.
    case days(Int)
    case workingHours(Int)
    case workingDays(Int)

    enum CodingKeys: String, CodingKey, CaseIterable {
        case minutes, hours, days
        case workingHours = "working_hours"
        case workingDays = "working_days"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let present = CodingKeys.allCases.filter { c.contains($0) }
        guard present.count == 1, let key = present.first else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription:
                        "a time limit needs exactly one of minutes, hours, days, working_hours, working_days"))
        }
        let value = try c.decode(Int.self, forKey: key)
        guard value >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "a negative time limit")
        }
        switch key {
        case .minutes: self = .minutes(value)
        case .hours: self = .hours(value)
        case .days: self = .days(value)
        case .workingHours: self = .workingHours(value)
        case .workingDays: self = .workingDays(value)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .minutes(let n): try c.encode(n, forKey: .minutes)
        case .hours(let n): try c.encode(n, forKey: .hours)
        case .days(let n): try c.encode(n, forKey: .days)
        case .workingHours(let n): try c.encode(n, forKey: .workingHours)
        case .workingDays(let n): try c.encode(n, forKey: .workingDays)
        }
    }

    /// Whether the limit counts working time (and so needs the working calendar).
    public var isWorkingTime: Bool {
        switch self {
        case .workingHours, .workingDays: return true
        case .minutes, .hours, .days: return false
        }
    }

    /// The number, whatever the unit.
    public var amount: Int {
        switch self {
        case .minutes(let n), .hours(let n), .days(let n), .workingHours(let n), .workingDays(let n): return n
        }
    }

    /// The same unit, `factor` times as long.
    public func scaled(by factor: Int) -> TimeLimit {
        switch self {
        case .minutes(let n): return .minutes(n * factor)
        case .hours(let n): return .hours(n * factor)
        case .days(let n): return .days(n * factor)
        case .workingHours(let n): return .workingHours(n * factor)
        case .workingDays(let n): return .workingDays(n * factor)
        }
    }

    /// The deadline this limit sets when it starts at `start` (docs/contract.md "Deadline arithmetic").
    public func deadline(from start: Date, calendar: WorkingCalendar) throws -> Date {
        switch self {
        case .minutes(let n): return start.addingTimeInterval(TimeInterval(n) * 60)
        case .hours(let n): return start.addingTimeInterval(TimeInterval(n) * 3600)
        case .days(let n): return start.addingTimeInterval(TimeInterval(n) * 86_400)
        case .workingHours(let n): return try calendar.addingWorkingHours(Double(n), to: start)
        case .workingDays(let n): return try calendar.addingWorkingDays(n, to: start)
        }
    }

    /// The instant this limit's length before `deadline` (working hours walk back through working time;
    /// working days are taken as that many working days of working hours).
    public func instant(before deadline: Date, calendar: WorkingCalendar) throws -> Date {
        switch self {
        case .minutes(let n): return deadline.addingTimeInterval(-TimeInterval(n) * 60)
        case .hours(let n): return deadline.addingTimeInterval(-TimeInterval(n) * 3600)
        case .days(let n): return deadline.addingTimeInterval(-TimeInterval(n) * 86_400)
        case .workingHours(let n): return try calendar.subtractingWorkingTime(TimeInterval(n) * 3600, from: deadline)
        case .workingDays(let n):
            let day = calendar.intervals.reduce(0) { $0 + $1.length }
            return try calendar.subtractingWorkingTime(TimeInterval(n * day), from: deadline)
        }
    }

    /// `2 working hours`, `30 minutes`…
    public var description: String {
        switch self {
        case .minutes(let n): return "\(n) minutes"
        case .hours(let n): return "\(n) hours"
        case .days(let n): return "\(n) days"
        case .workingHours(let n): return "\(n) working hours"
        case .workingDays(let n): return "\(n) working days"
        }
    }
}
