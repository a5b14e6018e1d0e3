import Foundation

/// One second of a phase, by when its submissions were due, with its slowest ticket: the benchmark
/// prints the worst few so that a stall can be matched with the servers' logs (checkpoints, elections).
struct SlowSecond: Sendable {
    var second: Date
    var tickets: Int
    var maxMilliseconds: Double

    /// The `count` seconds with the longest single latency among `(sent, arrived)` pairs.
    static func worst(_ count: Int, of timings: [(sent: Date, arrived: Date)]) -> [SlowSecond] {
        var seconds: [Int: SlowSecond] = [:]
        for (sent, arrived) in timings {
            let key = Int(sent.timeIntervalSince1970.rounded(.down))
            let milliseconds = arrived.timeIntervalSince(sent) * 1000
            var entry = seconds[key] ?? SlowSecond(second: Date(timeIntervalSince1970: Double(key)), tickets: 0, maxMilliseconds: 0)
            entry.tickets += 1
            entry.maxMilliseconds = max(entry.maxMilliseconds, milliseconds)
            seconds[key] = entry
        }
        return Array(seconds.values.sorted { $0.maxMilliseconds > $1.maxMilliseconds }.prefix(count))
    }

    var text: String {
        let time = second.formatted(Date.ISO8601FormatStyle(timeZone: .gmt).time(includingFractionalSeconds: false))
        return String(format: "%@ max %.0f ms (%d tickets)", time, maxMilliseconds, tickets)
    }
}
