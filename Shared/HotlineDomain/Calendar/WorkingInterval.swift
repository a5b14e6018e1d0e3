import Foundation

/// One working-hours interval of a working day, in seconds since local midnight (`09:00`-`12:00`).
public struct WorkingInterval: Sendable, Hashable, CustomStringConvertible {
    /// Start, seconds after local midnight.
    public let start: Int
    /// End (exclusive), seconds after local midnight; at most 24:00.
    public let end: Int

    /// An interval from `HH:mm` texts; throws `CalendarError.invalidWorkingHours`.
    public init(_ start: String, _ end: String) throws {
        guard let s = WorkingInterval.seconds(start), let e = WorkingInterval.seconds(end) else {
            throw CalendarError.invalidWorkingHours("\(start)-\(end) is not HH:mm-HH:mm")
        }
        guard s < e else { throw CalendarError.invalidWorkingHours("\(start)-\(end) is empty") }
        self.start = s
        self.end = e
    }

    /// Length in seconds.
    public var length: Int { end - start }

    /// `HH:mm-HH:mm`.
    public var description: String { "\(WorkingInterval.text(start))-\(WorkingInterval.text(end))" }

    /// Parses a list of `["HH:mm", "HH:mm"]` pairs into sorted, non-overlapping intervals.
    public static func parse(_ pairs: [[String]]) throws -> [WorkingInterval] {
        guard !pairs.isEmpty else { throw CalendarError.invalidWorkingHours("no interval") }
        let intervals = try pairs.map { pair -> WorkingInterval in
            guard pair.count == 2 else {
                throw CalendarError.invalidWorkingHours("\(pair) is not a [start, end] pair")
            }
            return try WorkingInterval(pair[0], pair[1])
        }.sorted { $0.start < $1.start }
        for (a, b) in zip(intervals, intervals.dropFirst()) where b.start < a.end {
            throw CalendarError.invalidWorkingHours("\(a) overlaps \(b)")
        }
        return intervals
    }

    static func seconds(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 2, (1...2).contains(parts[0].count),
            let h = Int(parts[0]), let m = Int(parts[1]), (0...59).contains(m),
            (0...23).contains(h) || (h == 24 && m == 0)
        else { return nil }
        return (h * 60 + m) * 60
    }

    static func text(_ seconds: Int) -> String {
        let minutes = seconds / 60
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }
}
