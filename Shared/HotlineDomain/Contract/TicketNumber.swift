import Foundation

/// A human-readable ticket number, `PS-20261123-000042`: the jurisdiction's prefix, the acceptance date
/// (`yyyyMMdd`, in the jurisdiction's time zone) and a sequence number zero-padded to at least 6 digits.
///
/// Coded in JSON as the plain string.
public struct TicketNumber: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The full number, e.g. `PS-20261123-000042`.
    public let rawValue: String
    /// The jurisdiction's prefix, e.g. `PS`.
    public let prefix: String
    /// The acceptance date's year.
    public let year: Int
    /// The acceptance date's month, 1-12.
    public let month: Int
    /// The acceptance date's day, 1-31.
    public let day: Int
    /// The sequence number.
    public let sequence: Int

    /// Makes a number from its parts. The prefix should be non-empty letters and digits; a negative
    /// sequence is written as 0.
    public init(prefix: String, year: Int, month: Int, day: Int, sequence: Int) {
        let sequence = max(0, sequence)
        self.prefix = prefix
        self.year = year
        self.month = month
        self.day = day
        self.sequence = sequence
        self.rawValue = "\(prefix)-\(Self.pad(year, 4))\(Self.pad(month, 2))\(Self.pad(day, 2))-\(Self.pad(sequence, 6))"
    }

    /// Makes a number for a ticket accepted at `date`, dated in `timeZone` (the jurisdiction's).
    public init(prefix: String, date: Date, timeZone: TimeZone, sequence: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        self.init(prefix: prefix, year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1, sequence: sequence)
    }

    /// Parses `PREFIX-yyyyMMdd-NNNNNN`; nil when the text is not a ticket number (bad date, sequence
    /// shorter than 6 digits, empty prefix, …).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return nil }
        let sequenceText = parts[parts.count - 1]
        let dateText = parts[parts.count - 2]
        let prefix = parts[0..<(parts.count - 2)].joined(separator: "-")
        guard !prefix.isEmpty, prefix.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" }),
              dateText.utf8.count == 8, Self.isDigits(dateText),
              sequenceText.utf8.count >= 6, sequenceText.utf8.count <= 18, Self.isDigits(sequenceText),
              let sequence = Int(sequenceText)
        else { return nil }
        let digits = Array(dateText.utf8).map { Int($0) - 0x30 }
        let year = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3]
        let month = digits[4] * 10 + digits[5]
        let day = digits[6] * 10 + digits[7]
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else { return nil }
        self.init(prefix: prefix, year: year, month: month, day: day, sequence: sequence)
        // Refuse non-canonical spellings (e.g. a 7-digit sequence with a leading zero).
        guard rawValue == text else { return nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let number = TicketNumber(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a ticket number: \(text)")
        }
        self = number
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The date part, `yyyyMMdd`.
    public var dateText: String { "\(Self.pad(year, 4))\(Self.pad(month, 2))\(Self.pad(day, 2))" }

    public var description: String { rawValue }

    /// Orders by prefix, then date, then sequence.
    public static func < (lhs: TicketNumber, rhs: TicketNumber) -> Bool {
        (lhs.prefix, lhs.year, lhs.month, lhs.day, lhs.sequence) < (rhs.prefix, rhs.year, rhs.month, rhs.day, rhs.sequence)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private static func isDigits(_ text: Substring) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
