import Foundation
import HotlineDomain
import XCTest

final class TicketNumberTests: XCTestCase {
    func testFormatFromParts() {
        let number = TicketNumber(prefix: "PS", year: 2026, month: 11, day: 23, sequence: 42)
        XCTAssertEqual(number.rawValue, "PS-20261123-000042")
        XCTAssertEqual(number.description, "PS-20261123-000042")
        XCTAssertEqual(number.dateText, "20261123")
        XCTAssertEqual(TicketNumber(prefix: "PL", year: 2027, month: 1, day: 5, sequence: 1).rawValue, "PL-20270105-000001")
        XCTAssertEqual(TicketNumber(prefix: "DY", year: 2026, month: 12, day: 31, sequence: 999_999).rawValue, "DY-20261231-999999")
        XCTAssertEqual(TicketNumber(prefix: "DY", year: 2026, month: 12, day: 31, sequence: 1_234_567).rawValue, "DY-20261231-1234567")
    }

    func testDateInTheJurisdictionsTimeZone() throws {
        // 2026-11-22T17:30:00Z is already the 23rd in Shanghai (+08:00).
        let instant = ContractTestSupport.time("2026-11-22T17:30:00Z")
        let shanghai = try XCTUnwrap(TimeZone(identifier: "Asia/Shanghai"))
        let utc = try XCTUnwrap(TimeZone(identifier: "UTC"))
        XCTAssertEqual(TicketNumber(prefix: "PS", date: instant, timeZone: shanghai, sequence: 42).rawValue, "PS-20261123-000042")
        XCTAssertEqual(TicketNumber(prefix: "PS", date: instant, timeZone: utc, sequence: 42).rawValue, "PS-20261122-000042")
    }

    func testParse() throws {
        let number = try XCTUnwrap(TicketNumber("PS-20261123-000042"))
        XCTAssertEqual(number.prefix, "PS")
        XCTAssertEqual(number.year, 2026)
        XCTAssertEqual(number.month, 11)
        XCTAssertEqual(number.day, 23)
        XCTAssertEqual(number.sequence, 42)
        XCTAssertEqual(number, TicketNumber(prefix: "PS", year: 2026, month: 11, day: 23, sequence: 42))
        XCTAssertEqual(TicketNumber("DY-20261231-1234567")?.sequence, 1_234_567)
        XCTAssertEqual(TicketNumber("PS-X-20240229-000001")?.prefix, "PS-X")
    }

    func testParseRefusesMalformedNumbers() {
        let bad = ["", "PS", "PS-20261123", "PS20261123000042", "-20261123-000042", "PS-2026112-000042", "PS-20261323-000042",
                   "PS-20260230-000042", "PS-20261123-42", "PS-20261123-00004a", "PS-20261123-0000042", "PS-2026-1123-000042",
                   "PS-20261123-000042 ", "P S-20261123-000042", "PS-２0261123-000042", "PS-20250229-000001"]
        for text in bad {
            XCTAssertNil(TicketNumber(text), text)
        }
    }

    func testCodableAsPlainString() throws {
        let number = TicketNumber(prefix: "PS", year: 2026, month: 11, day: 23, sequence: 42)
        XCTAssertEqual(String(decoding: try HotlineJSON.encode(number), as: UTF8.self), #""PS-20261123-000042""#)
        XCTAssertEqual(try HotlineJSON.decode(TicketNumber.self, from: Data(#""PS-20261123-000042""#.utf8)), number)
        XCTAssertThrowsError(try HotlineJSON.decode(TicketNumber.self, from: Data(#""PS-2026-42""#.utf8)))
        XCTAssertThrowsError(try HotlineJSON.decode(TicketNumber.self, from: Data("42".utf8)))
        struct Holder: Codable, Equatable { var ticket_no: TicketNumber }
        XCTAssertEqual(try HotlineJSON.decode(Holder.self, from: Data(#"{"ticket_no": "PS-20261123-000042"}"#.utf8)).ticket_no, number)
    }

    func testOrdering() {
        let a = TicketNumber(prefix: "PS", year: 2026, month: 11, day: 23, sequence: 42)
        let b = TicketNumber(prefix: "PS", year: 2026, month: 11, day: 23, sequence: 43)
        let c = TicketNumber(prefix: "PS", year: 2026, month: 11, day: 24, sequence: 1)
        XCTAssertEqual([c, b, a].sorted(), [a, b, c])
    }
}
