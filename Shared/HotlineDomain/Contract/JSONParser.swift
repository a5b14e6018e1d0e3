import Foundation

/// Why JSON text could not be parsed: a short English reason and the byte offset where it was found.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A short reason, e.g. `unexpected end of input`.
    public var reason: String
    /// The byte offset in the input where the problem was found.
    public var offset: Int

    public init(reason: String, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String { "\(reason) at byte \(offset)" }
}

/// A strict RFC 8259 JSON parser into `JSONValue`, written for untrusted input: it never crashes, bounds
/// nesting (no stack exhaustion on `[[[[…`), refuses numbers that do not fit a `Double`, lone
/// surrogates, invalid UTF-8, control characters in strings and duplicate object keys.
public enum JSONParser {
    /// The nesting depth accepted by default; contract messages are far shallower.
    public static let defaultMaxDepth = 100

    /// Parses one JSON value spanning all of `bytes` (surrounding whitespace allowed).
    public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        var parser = Parser(bytes: bytes, maxDepth: max(1, maxDepth))
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 1)
        parser.skipWhitespace()
        guard parser.index == bytes.count else {
            throw JSONParseError(reason: "unexpected data after the JSON value", offset: parser.index)
        }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        let maxDepth: Int
        var index = 0

        init(bytes: [UInt8], maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
        }

        func fail(_ reason: String, at offset: Int? = nil) -> JSONParseError {
            JSONParseError(reason: reason, offset: offset ?? index)
        }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
            guard let byte = current else { throw fail("unexpected end of input") }
            switch byte {
            case UInt8(ascii: "{"):
                guard depth <= maxDepth else { throw fail("nested deeper than \(maxDepth) levels") }
                return try parseObject(depth: depth)
            case UInt8(ascii: "["):
                guard depth <= maxDepth else { throw fail("nested deeper than \(maxDepth) levels") }
                return try parseArray(depth: depth)
            case UInt8(ascii: "\""):
                return .string(try parseString())
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return .number(try parseNumber())
            default:
                throw fail("unexpected character")
            }
        }

        mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
            let start = index
            let count = literal.utf8CodeUnitCount
            guard bytes.count - index >= count else { throw fail("unexpected end of input", at: bytes.count) }
            let matches = literal.withUTF8Buffer { buffer in
                buffer.indices.allSatisfy { bytes[start + $0] == buffer[$0] }
            }
            guard matches else { throw fail("invalid literal", at: start) }
            index += count
        }

        mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
            index += 1  // {
            var object: [String: JSONValue] = [:]
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                index += 1
                return .object(object)
            }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else {
                    throw current == nil ? fail("unexpected end of input") : fail("expected a string key")
                }
                let keyOffset = index
                let key = try parseString()
                skipWhitespace()
                guard current == UInt8(ascii: ":") else {
                    throw current == nil ? fail("unexpected end of input") : fail("expected ':'")
                }
                index += 1
                skipWhitespace()
                let value = try parseValue(depth: depth + 1)
                guard object.updateValue(value, forKey: key) == nil else {
                    throw fail("duplicate key \"\(key.prefix(64))\"", at: keyOffset)
                }
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"):
                    index += 1
                    return .object(object)
                case nil: throw fail("unexpected end of input")
                default: throw fail("expected ',' or '}'")
                }
            }
        }

        mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
            index += 1  // [
            var array: [JSONValue] = []
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                index += 1
                return .array(array)
            }
            while true {
                skipWhitespace()
                array.append(try parseValue(depth: depth + 1))
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"):
                    index += 1
                    return .array(array)
                case nil: throw fail("unexpected end of input")
                default: throw fail("expected ',' or ']'")
                }
            }
        }

        mutating func parseString() throws(JSONParseError) -> String {
            let start = index
            index += 1  // opening quote
            var buffer: [UInt8] = []
            while true {
                guard let byte = current else { throw fail("unterminated string", at: start) }
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    guard let string = String(validating: buffer, as: UTF8.self) else {
                        throw fail("invalid UTF-8 in string", at: start)
                    }
                    return string
                case UInt8(ascii: "\\"):
                    index += 1
                    guard let escape = current else { throw fail("unterminated string", at: start) }
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""): buffer.append(0x22)
                    case UInt8(ascii: "\\"): buffer.append(0x5C)
                    case UInt8(ascii: "/"): buffer.append(0x2F)
                    case UInt8(ascii: "b"): buffer.append(0x08)
                    case UInt8(ascii: "f"): buffer.append(0x0C)
                    case UInt8(ascii: "n"): buffer.append(0x0A)
                    case UInt8(ascii: "r"): buffer.append(0x0D)
                    case UInt8(ascii: "t"): buffer.append(0x09)
                    case UInt8(ascii: "u"):
                        let scalar = try parseUnicodeEscape()
                        buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
                    default:
                        throw fail("invalid escape", at: index - 2)
                    }
                case 0x00..<0x20:
                    throw fail("control character in string")
                default:
                    buffer.append(byte)
                    index += 1
                }
            }
        }

        /// Reads `XXXX` after `\u` (and a following `\uXXXX` low surrogate where needed).
        mutating func parseUnicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
            let escapeStart = index - 2
            let high = try parseHex4()
            if (0xD800...0xDBFF).contains(high) {
                guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw fail("lone surrogate in \\u escape", at: escapeStart) }
                index += 2
                let low = try parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw fail("lone surrogate in \\u escape", at: escapeStart) }
                let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                guard let scalar = Unicode.Scalar(value) else { throw fail("invalid \\u escape", at: escapeStart) }
                return scalar
            }
            guard let scalar = Unicode.Scalar(high) else { throw fail("lone surrogate in \\u escape", at: escapeStart) }
            return scalar
        }

        mutating func parseHex4() throws(JSONParseError) -> UInt32 {
            guard bytes.count - index >= 4 else { throw fail("unexpected end of input", at: bytes.count) }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw fail("invalid \\u escape")
                }
                value = value * 16 + digit
                index += 1
            }
            return value
        }

        mutating func parseNumber() throws(JSONParseError) -> Double {
            let start = index
            if current == UInt8(ascii: "-") { index += 1 }
            guard let first = current, isDigit(first) else { throw fail("invalid number", at: start) }
            if first == UInt8(ascii: "0") {
                index += 1
                if let next = current, isDigit(next) { throw fail("invalid number (leading zero)", at: start) }
            } else {
                skipDigits()
            }
            if current == UInt8(ascii: ".") {
                index += 1
                guard let next = current, isDigit(next) else { throw fail("invalid number", at: start) }
                skipDigits()
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard let next = current, isDigit(next) else { throw fail("invalid number", at: start) }
                skipDigits()
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            guard let value = Double(text), value.isFinite else { throw fail("number out of range", at: start) }
            return value
        }

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        mutating func skipDigits() {
            while let byte = current, isDigit(byte) { index += 1 }
        }
    }
}
