import XCTest

@testable import HotlineDomain

final class UnitHandoverTests: XCTestCase {
    private typealias Live = ReturnDecisions.LiveAssignment

    private func assignment(
        _ role: AssignmentRole, lead: String? = nil, coUnits: [String] = [], returnAllowed: Bool = true
    ) -> UnitHandover.Assignment {
        UnitHandover.Assignment(unit: "CG", role: role, leadUnit: lead, coUnits: coUnits, returnAllowed: returnAllowed)
    }

    func testTheSuccessorTakesTheAssignmentOverInTheSameRole() {
        XCTAssertEqual(
            UnitHandover.plan(assignment(.sole), successor: "QH-CGJ", live: []),
            .successor(PlannedAssignment(unit: "QH-CGJ", role: .sole)))
        XCTAssertEqual(
            UnitHandover.plan(
                assignment(.lead, lead: "CG", coUnits: ["KZ"]), successor: "QH-CGJ", live: [Live(unit: "KZ", role: .co)]),
            .successor(PlannedAssignment(unit: "QH-CGJ", role: .lead, leadUnit: "QH-CGJ", coUnits: ["KZ"])))
        XCTAssertEqual(
            UnitHandover.plan(
                assignment(.co, lead: "ZJ", coUnits: ["CG", "KZ"]), successor: "QH-CGJ",
                live: [Live(unit: "ZJ", role: .lead), Live(unit: "KZ", role: .co)]),
            .successor(PlannedAssignment(unit: "QH-CGJ", role: .co, leadUnit: "ZJ", coUnits: ["QH-CGJ", "KZ"])))
        XCTAssertEqual(
            UnitHandover.plan(assignment(.firstResponsible, returnAllowed: false), successor: "QH-CGJ", live: []),
            .successor(PlannedAssignment(unit: "QH-CGJ", role: .firstResponsible, returnAllowed: false)))
    }

    func testWithoutASuccessorAPartEndsAndTheRestGoesToManualDispatch() {
        XCTAssertEqual(
            UnitHandover.plan(assignment(.co, lead: "ZJ", coUnits: ["CG"]), successor: nil, live: [Live(unit: "ZJ", role: .lead)]),
            .end)
        XCTAssertEqual(
            UnitHandover.plan(assignment(.parallel), successor: nil, live: [Live(unit: "ZJ", role: .parallel)]), .end)
        XCTAssertEqual(UnitHandover.plan(assignment(.parallel), successor: nil, live: []), .manual(.unitRetired("CG")))
        XCTAssertEqual(UnitHandover.plan(assignment(.sole), successor: nil, live: []), .manual(.unitRetired("CG")))
        XCTAssertEqual(
            UnitHandover.plan(assignment(.lead, lead: "CG", coUnits: ["KZ"]), successor: nil, live: [Live(unit: "KZ", role: .co)]),
            .manual(.unitRetired("CG")))
    }

    func testASuccessorAlreadyHandlingTheTicketTakesNothingMore() {
        XCTAssertEqual(
            UnitHandover.plan(
                assignment(.co, lead: "QH-CGJ", coUnits: ["CG"]), successor: "QH-CGJ", live: [Live(unit: "QH-CGJ", role: .lead)]),
            .end)
        XCTAssertEqual(
            UnitHandover.plan(
                assignment(.lead, lead: "CG", coUnits: ["QH-CGJ"]), successor: "QH-CGJ", live: [Live(unit: "QH-CGJ", role: .co)]),
            .manual(.unitRetired("CG")))
    }
}
