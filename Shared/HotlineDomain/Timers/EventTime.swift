import Foundation

/// RFC 3339 times as `HotlineJSON` writes them (whole seconds, China Standard Time, `+08:00`), without
/// creating a date formatter per value: the timer poller encodes hundreds of events per transaction,
/// and a Foundation formatter costs a third of a millisecond to make.
public enum EventTime {
    /// `2026-11-23T09:15:00+08:00`: the instant in the given fixed offset, to the millisecond and then
    /// the second truncated toward the past (as `ISO8601DateFormatter` does); with `milliseconds`,
    /// `2026-11-23T09:15:00.250+08:00`. Offset 0 is written `Z`.
    public static func string(_ date: Date, offsetSeconds: Int, milliseconds withMilliseconds: Bool = false) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        let whole = Int((milliseconds / 1000).rounded(.down))
        let local = whole + offsetSeconds
        var days = local / 86_400
        var seconds = local % 86_400
        if seconds < 0 {
            seconds += 86_400
            days -= 1
        }
        let (year, month, day) = civil(fromDays: days)
        let fraction = withMilliseconds ? "." + pad(Int(milliseconds) - whole * 1000, 3) : ""
        let sign = offsetSeconds < 0 ? "-" : "+"
        let offset = abs(offsetSeconds) / 60
        let zone = offsetSeconds == 0 ? "Z" : "\(sign)\(pad(offset / 60, 2)):\(pad(offset % 60, 2))"
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(seconds / 3600, 2)):\(pad(seconds % 3600 / 60, 2)):"
            + "\(pad(seconds % 60, 2))\(fraction)\(zone)"
    }

    /// A JSON encoder with `HotlineJSON`'s conventions whose times use `EventTime` in the output
    /// time zone's offset at `reference` (China keeps one offset all year).
    public static func encoder(reference: Date = Date()) -> JSONEncoder {
        let offset = HotlineJSON.outputTimeZone.secondsFromGMT(for: reference)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(string(date, offsetSeconds: offset))
        }
        return encoder
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
    static func civil(fromDays z: Int) -> (year: Int, month: Int, day: Int) {
        let z = z + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
