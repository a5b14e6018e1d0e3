import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A value sent as a statement parameter, in PostgreSQL's text format.
public protocol PostgresEncodable: Sendable {
    var postgresText: String { get }
}

/// A value read from a result column's text format.
public protocol PostgresDecodable {
    init?(postgresText: String)
}

extension String: PostgresEncodable, PostgresDecodable {
    public var postgresText: String { self }
    public init?(postgresText: String) { self = postgresText }
}

extension Int: PostgresEncodable, PostgresDecodable {
    public var postgresText: String { String(self) }
    public init?(postgresText: String) { self.init(postgresText) }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    public var postgresText: String { String(self) }
    public init?(postgresText: String) { self.init(postgresText) }
}

extension Double: PostgresEncodable, PostgresDecodable {
    public var postgresText: String { String(self) }
    public init?(postgresText: String) { self.init(postgresText) }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    public var postgresText: String { self ? "true" : "false" }
    public init?(postgresText: String) {
        switch postgresText {
        case "t", "true": self = true
        case "f", "false": self = false
        default: return nil
        }
    }
}

/// `timestamptz`: sent as ISO 8601 in UTC with milliseconds; read from the session's UTC output. Both
/// ways without a Foundation date formatter, which costs more to make than a whole row to decode.
extension Date: PostgresEncodable, PostgresDecodable {
    public var postgresText: String {
        let milliseconds = (timeIntervalSince1970 * 1000).rounded()
        var seconds = time_t((milliseconds / 1000).rounded(.down))
        let millis = Int(milliseconds - Double(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
    }

    /// Server output with `TimeZone=UTC`, `DateStyle=ISO`: `2026-11-23 01:15:00.123456+00` (an offset
    /// may also be `+05:30` or `-08`).
    public init?(postgresText: String) {
        let bytes = Array(postgresText.utf8)
        guard bytes.count >= 22 else { return nil }
        var index = 0
        func number(_ digits: Int) -> Int32? {
            guard index + digits <= bytes.count else { return nil }
            var value: Int32 = 0
            for _ in 0..<digits {
                let byte = bytes[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int32(byte - 0x30)
                index += 1
            }
            return value
        }
        func skip(_ allowed: String) -> Bool {
            guard index < bytes.count, allowed.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), skip("-"), let month = number(2), skip("-"), let day = number(2), skip(" T"),
              let hour = number(2), skip(":"), let minute = number(2), skip(":"), let second = number(2)
        else { return nil }
        var fraction = 0.0
        if skip(".") {
            var scale = 0.1
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                fraction += Double(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if skip("Z") {
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let hours = number(2) else { return nil }
            var minutes: Int32 = 0
            if skip(":") {
                guard let value = number(2) else { return nil }
                minutes = value
            }
            offset = sign * Int(hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        let epoch = timegm(&parts)
        self = Date(timeIntervalSince1970: Double(epoch - offset) + fraction)
    }
}

/// `bytea`: hex format both ways.
extension Data: PostgresEncodable, PostgresDecodable {
    public var postgresText: String {
        var text: [UInt8] = []
        text.reserveCapacity(2 + count * 2)
        appendHex(to: &text, backslashes: 1)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends `\x` (the backslash written `backslashes` times) and the bytes in hex.
    func appendHex(to text: inout [UInt8], backslashes: Int) {
        for _ in 0..<backslashes { text.append(UInt8(ascii: "\\")) }
        text.append(UInt8(ascii: "x"))
        withUnsafeBytes { bytes in
            for byte in bytes {
                text.append(Self.hexDigits[Int(byte >> 4)])
                text.append(Self.hexDigits[Int(byte & 0x0f)])
            }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    public init?(postgresText: String) {
        guard postgresText.hasPrefix("\\x") else { return nil }
        let hex = Array(postgresText.utf8.dropFirst(2))
        guard hex.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            case 65...70: return c - 55
            default: return nil
            }
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(hex.count / 2)
        var index = 0
        while index < hex.count {
            guard let high = nibble(hex[index]), let low = nibble(hex[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self = Data(bytes)
    }
}

/// Arrays (`text[]`, `int[]`, `bytea[]`): sent as an array literal with every element quoted.
extension Array: PostgresEncodable where Element: PostgresEncodable {
    public var postgresText: String {
        if let values = self as? [Data] { return PostgresArrayLiteral.bytea(values) }
        return PostgresArrayLiteral.text(map { $0 })
    }
}

/// An array whose elements may be SQL NULL, for the columns of a multi-row statement over `unnest`.
public struct NullableArray<Element: PostgresEncodable>: PostgresEncodable {
    public var elements: [Element?]
    public init(_ elements: [Element?]) { self.elements = elements }
    public var postgresText: String { PostgresArrayLiteral.text(elements) }
}

enum PostgresArrayLiteral {
    /// `{"a","b\"c",NULL}`: every element quoted, with `"` and `\` escaped by a backslash.
    static func text(_ elements: [(any PostgresEncodable)?]) -> String {
        literal(elements) { element, bytes in
            for byte in element.postgresText.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
        }
    }

    /// `bytea[]` (the outbox's bodies): the hex written straight into the literal, as it needs no
    /// escaping but the backslash of its `\x`.
    static func bytea(_ values: [Data]) -> String {
        literal(values, capacity: values.reduce(2) { $0 + 6 + 2 * $1.count }) { value, bytes in
            value.appendHex(to: &bytes, backslashes: 2)
        }
    }

    /// The braces, commas, quotes and `NULL`s around what `element` writes of each element.
    private static func literal<Element>(
        _ elements: [Element?], capacity: Int = 0, _ element: (Element, inout [UInt8]) -> Void
    ) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(capacity)
        for (index, value) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            guard let value else {
                bytes += "NULL".utf8
                continue
            }
            bytes.append(UInt8(ascii: "\""))
            element(value, &bytes)
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A JSON document for a `jsonb` parameter, already encoded.
public struct JSONText: PostgresEncodable, PostgresDecodable, Sendable {
    public let text: String
    public init(_ text: String) { self.text = text }
    public init(data: Data) { self.text = String(decoding: data, as: UTF8.self) }
    public init?(postgresText: String) { self.text = postgresText }
    public var postgresText: String { text }
    public var data: Data { Data(text.utf8) }
}
