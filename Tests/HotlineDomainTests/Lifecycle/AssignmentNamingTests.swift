import HotlineDomain
import XCTest

final class AssignmentNamingTests: XCTestCase {
    func testAUnitsAssignmentsAreNumberedFromTheSecond() {
        let ticket = "PS-20261123-000042"
        XCTAssertEqual(AssignmentNaming.nextID(ticketNo: ticket, unit: "CG", existing: []), "\(ticket)-CG")
        let existing = [(id: "\(ticket)-CG", unit: "CG"), (id: "\(ticket)-HB", unit: "HB")]
        XCTAssertEqual(AssignmentNaming.nextID(ticketNo: ticket, unit: "CG", existing: existing), "\(ticket)-CG-2")
        XCTAssertEqual(AssignmentNaming.nextID(ticketNo: ticket, unit: "KZ", existing: existing), "\(ticket)-KZ")
    }

    /// `QH`'s second assignment and `QH-2`'s first would both be `…-QH-2`: whichever comes second
    /// takes the next free number.
    func testCodesWithDashesAndDigitsNeverShareAnID() {
        let ticket = "QH-20261201-000001"
        var existing: [(id: String, unit: String)] = []
        for unit in ["QH", "QH-2", "QH", "QH-2", "QH"] {
            let id = AssignmentNaming.nextID(ticketNo: ticket, unit: unit, existing: existing)
            XCTAssertFalse(existing.contains { $0.id == id }, "\(id) given twice")
            existing.append((id: id, unit: unit))
        }
        XCTAssertEqual(existing.map(\.id), [
            "\(ticket)-QH", "\(ticket)-QH-2", "\(ticket)-QH-3", "\(ticket)-QH-2-2", "\(ticket)-QH-4",
        ])
    }
}
