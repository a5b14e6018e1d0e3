import Foundation

/// Why a working calendar could not be built or could not answer.
public enum CalendarError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A computation needed a date in a year no loaded calendar file covers.
    case yearNotCovered(Int)
    /// The time zone is not a known IANA identifier.
    case unknownTimeZone(String)
    /// A working-hours entry is malformed, empty, or overlaps another.
    case invalidWorkingHours(String)
    /// Two merged files name different time zones.
    case conflictingTimeZones(String, String)
    /// Two merged files name different working hours.
    case conflictingWorkingHours
    /// A date is both a holiday and a make-up working day.
    case holidayAndWorkday(CalendarDate)
    /// No calendar file was given.
    case noFiles
    /// A negative amount of working time was asked for.
    case negativeAmount

    public var description: String {
        switch self {
        case .yearNotCovered(let year): return "the working calendar does not cover the year \(year)"
        case .unknownTimeZone(let zone): return "unknown time zone \(zone)"
        case .invalidWorkingHours(let why): return "invalid working hours: \(why)"
        case .conflictingTimeZones(let a, let b): return "calendar files disagree on the time zone: \(a) vs \(b)"
        case .conflictingWorkingHours: return "calendar files disagree on the working hours"
        case .holidayAndWorkday(let date): return "\(date) is listed both as a holiday and as a working day"
        case .noFiles: return "no calendar file"
        case .negativeAmount: return "a negative amount of working time"
        }
    }
}
