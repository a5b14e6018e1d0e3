import Foundation
import HotlineDomain
import XCTest

final class JSONValueTests: XCTestCase {
    func testCodableRoundTrip() throws {
        let literal = #"{"a": null, "b": true, "c": 1.5, "d": -2, "e": "文字", "f": [1, "x", false, null, {}], "g": {"h": []}}"#
        let value = try ContractTestSupport.roundTrip(JSONValue.self, literal)
        XCTAssertEqual(value["a"], .null)
        XCTAssertEqual(value["b"], .bool(true))
        XCTAssertEqual(value["c"], .number(1.5))
        XCTAssertEqual(value["d"]?.intValue, -2)
        XCTAssertEqual(value["e"]?.stringValue, "文字")
        XCTAssertEqual(value["f"]?[1], "x")
        XCTAssertEqual(value["f"]?[9], nil)
        XCTAssertEqual(value["g"]?["h"], .array([]))
        XCTAssertEqual(value["f"]?.arrayValue?.count, 5)
    }

    func testBooleansAndNumbersStayApart() throws {
        let decoded = try HotlineJSON.decode([JSONValue].self, from: Data("[true, 1, 0, false]".utf8))
        XCTAssertEqual(decoded, [.bool(true), .number(1), .number(0), .bool(false)])
        let encoded = try HotlineJSON.encode(decoded)
        XCTAssertEqual(try HotlineJSON.decode([JSONValue].self, from: encoded), decoded)
    }

    func testLiterals() {
        let value: JSONValue = ["n": nil, "i": 3, "f": 0.5, "s": "x", "b": false, "a": [1]]
        XCTAssertEqual(value.objectValue?.count, 6)
        XCTAssertEqual(value["n"]?.isNull, true)
        XCTAssertEqual(value["i"]?.numberValue, 3)
        XCTAssertEqual(value["f"]?.intValue, nil)
        XCTAssertEqual(value["b"]?.boolValue, false)
        XCTAssertEqual(value.typeDescription, "an object")
    }

    func testParserAcceptsValidJSON() throws {
        let value = try JSONValue.parse(Data(#" {"s": "a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00", "n": [0, -0.5, 1e3, 2E-2, 10]} "#.utf8))
        XCTAssertEqual(value["s"]?.stringValue, "a\"b\\c/d\u{8}\u{C}\n\r\té😀")
        XCTAssertEqual(value["n"], [0, -0.5, 1000, 0.02, 10])
    }

    func testParserRefusesInvalidJSON() {
        let bad = ["", "[", "]", "[1,]", "{\"a\" 1}", "{1: 2}", "01", "1.", ".5", "-", "+1", "1e", "tru", "[1] [2]",
                   "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"a\nb\"", "{\"a\": 1, \"a\": 2}", "1e999", "NaN", "Infinity"]
        for text in bad {
            XCTAssertThrowsError(try JSONValue.parse(Data(text.utf8)), text)
        }
    }

    func testParserDepthLimit() throws {
        XCTAssertNoThrow(try JSONParser.parse(Array("[[[1]]]".utf8), maxDepth: 3))
        XCTAssertThrowsError(try JSONParser.parse(Array("[[[[1]]]]".utf8), maxDepth: 3)) { error in
            XCTAssertEqual((error as? JSONParseError)?.reason, "nested deeper than 3 levels")
            XCTAssertEqual((error as? JSONParseError)?.offset, 3)
        }
        XCTAssertThrowsError(try JSONParser.parse(Array(String(repeating: "[", count: 100_000).utf8)))
        XCTAssertThrowsError(try JSONParser.parse(Array(String(repeating: "{\"a\":", count: 100_000).utf8)))
    }

    func testParserRefusesInvalidUTF8InStrings() {
        XCTAssertThrowsError(try JSONParser.parse([0x22, 0xFF, 0x22]))
        XCTAssertNoThrow(try JSONParser.parse([0x22, 0xE6, 0x96, 0x87, 0x22]))
    }

    func testStrictRFC3339() {
        let base = ContractTestSupport.time("2026-11-23T01:15:00Z")
        XCTAssertEqual(RFC3339.strictDate(from: "2026-11-23T09:15:00+08:00"), base)
        XCTAssertEqual(RFC3339.strictDate(from: "2026-11-22T20:15:00-05:00"), base)
        XCTAssertEqual(RFC3339.strictDate(from: "2024-02-29T00:00:00Z")?.timeIntervalSince1970, 1_709_164_800)
        XCTAssertEqual(RFC3339.strictDate(from: "1970-01-01T00:00:00Z")?.timeIntervalSince1970, 0)
        XCTAssertNil(RFC3339.strictDate(from: "2026-02-29T00:00:00Z"))
        XCTAssertNil(RFC3339.strictDate(from: "2026-11-23T09:15:00"))
        XCTAssertNil(RFC3339.strictDate(from: "2026-11-23T09:60:00Z"))
        XCTAssertNil(RFC3339.strictDate(from: "2026-11-23T09:15:00+24:00"))
        XCTAssertNil(RFC3339.strictDate(from: "2026-11-23T09:15:00Z "))
        XCTAssertNil(RFC3339.strictDate(from: "２026-11-23T09:15:00Z"))
        // The platform's own output parses back to the same instant.
        XCTAssertEqual(RFC3339.strictDate(from: RFC3339.string(from: base)), base)
    }

    func testPathsOfStringsAndKeysHoldingNUL() {
        let value = JSONValue.object([
            "a": .string("x\u{0}"), "b": .array([.string("ok"), .object(["c\u{0}": .null])]), "d": .string("fine"),
        ])
        XCTAssertEqual(value.pathsWithNUL(), ["a", #"b[1].c\u0000"#])
        XCTAssertEqual(JSONValue.string("\u{0}").pathsWithNUL(), ["body"])
        XCTAssertEqual(JSONValue.number(1).pathsWithNUL(), [])
    }
}
