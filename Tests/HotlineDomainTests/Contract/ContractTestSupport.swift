import Foundation
import HotlineDomain
import XCTest

/// Helpers shared by the contract tests (namespaced to stay clear of other test files).
enum ContractTestSupport {
    /// A time from an RFC 3339 literal; fails the test (and returns the epoch) if it does not parse.
    static func time(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Date {
        guard let date = RFC3339.strictDate(from: text) else {
            XCTFail("bad time literal \(text)", file: file, line: line)
            return Date(timeIntervalSince1970: 0)
        }
        return date
    }

    /// The JSON tree of some bytes, parsed by the strict parser.
    static func tree(_ data: Data, file: StaticString = #filePath, line: UInt = #line) -> JSONValue {
        do {
            return try JSONValue.parse(data)
        } catch {
            XCTFail("not JSON: \(error)", file: file, line: line)
            return .null
        }
    }

    /// Top-level keys of a JSON object.
    static func keys(_ data: Data, file: StaticString = #filePath, line: UInt = #line) -> Set<String> {
        Set(tree(data, file: file, line: line).objectValue?.keys.map { $0 } ?? [])
    }

    /// Decodes a literal, encodes it, decodes that again, and checks: the two values are equal; the encoded
    /// JSON tree equals the literal's (so every key, nested ones too, is spelled exactly as in the literal,
    /// and none is added or lost); and, when given, the top-level keys are exactly `expectedKeys`.
    @discardableResult
    static func roundTrip<T: Codable & Equatable>(
        _ type: T.Type, _ literal: String, expectedKeys: Set<String>? = nil, compareTree: Bool = true,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> T {
        let literalData = Data(literal.utf8)
        let value = try HotlineJSON.decode(T.self, from: literalData)
        let encoded = try HotlineJSON.encode(value)
        let again = try HotlineJSON.decode(T.self, from: encoded)
        XCTAssertEqual(value, again, "value changed in a round trip", file: file, line: line)
        if compareTree {
            XCTAssertEqual(tree(encoded, file: file, line: line), tree(literalData, file: file, line: line),
                           "encoded JSON differs from the literal: \(String(decoding: encoded, as: UTF8.self))",
                           file: file, line: line)
        }
        if let expectedKeys {
            XCTAssertEqual(keys(encoded, file: file, line: line), expectedKeys, "encoded keys", file: file, line: line)
        }
        return value
    }
}
