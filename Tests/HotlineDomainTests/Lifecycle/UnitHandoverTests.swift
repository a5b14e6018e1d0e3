import XCTest

@testable import HotlineDomain

final class UnitHandoverTests: XCTestCase {
    private typealias Live = ReturnDecisions.LiveAssignment

    private func plan(
        _ assignment: UnitHandover.Assignment, successor: String?, live: [Live], holders: Set<String>? = nil
    ) -> UnitHandover.Plan {
        UnitHandover.plan(assignment, successor: successor, live: live, holders: holders ?? Set(live.map(\.unit)))
    }

    private func assignment(
        _ role: AssignmentRole, lead: String? = nil, coUnits: [String] = [], returnAllowed: Bool = true
    ) -> UnitHandover.Assignment {
        UnitHandover.Assignment(unit: "CG", role: role, leadUnit: lead, coUnits: coUnits, returnAllowed: returnAllowed)
    }

    func testTheSuccessorTakesTheAssignmentOverInTheSameRole() {
        XCTAssertEqual(
            plan(assignment(.sole), successor: "QH-CGJ", live: []),
            .successor(PlannedAssignment(unit: "QH-CGJ", role: .sole)))
        XCTAssertEqual(
            plan(
                assignment(.lead, lead: "CG", coUnits: ["KZ"]), successor: "QH-CGJ", live: [Live(unit: "KZ", role: .co)]),
            .successor(PlannedAssignment(unit: "QH-CGJ", role: .lead, leadUnit: "QH-CGJ", coUnits: ["KZ"])))
        XCTAssertEqual(
            plan(
                assignment(.co, lead: "ZJ", coUnits: ["CG", "KZ"]), successor: "QH-CGJ",
                live: [Live(unit: "ZJ", role: .lead), Live(unit: "KZ", role: .co)]),
            .successor(PlannedAssignment(unit: "QH-CGJ", role: .co, leadUnit: "ZJ", coUnits: ["QH-CGJ", "KZ"])))
        XCTAssertEqual(
            plan(assignment(.firstResponsible, returnAllowed: false), successor: "QH-CGJ", live: []),
            .successor(PlannedAssignment(unit: "QH-CGJ", role: .firstResponsible, returnAllowed: false)))
    }

    func testWithoutASuccessorAPartEndsAndTheRestGoesToManualDispatch() {
        XCTAssertEqual(
            plan(assignment(.co, lead: "ZJ", coUnits: ["CG"]), successor: nil, live: [Live(unit: "ZJ", role: .lead)]),
            .end)
        XCTAssertEqual(
            plan(assignment(.parallel), successor: nil, live: [Live(unit: "ZJ", role: .parallel)]), .end)
        XCTAssertEqual(plan(assignment(.parallel), successor: nil, live: []), .manual(.unitRetired("CG")))
        XCTAssertEqual(plan(assignment(.sole), successor: nil, live: []), .manual(.unitRetired("CG")))
        XCTAssertEqual(
            plan(assignment(.lead, lead: "CG", coUnits: ["KZ"]), successor: nil, live: [Live(unit: "KZ", role: .co)]),
            .manual(.unitRetired("CG")))
    }

    func testASuccessorAlreadyHandlingTheTicketTakesNothingMore() {
        XCTAssertEqual(
            plan(
                assignment(.co, lead: "QH-CGJ", coUnits: ["CG"]), successor: "QH-CGJ", live: [Live(unit: "QH-CGJ", role: .lead)]),
            .end)
        XCTAssertEqual(
            plan(
                assignment(.lead, lead: "CG", coUnits: ["QH-CGJ"]), successor: "QH-CGJ", live: [Live(unit: "QH-CGJ", role: .co)]),
            .manual(.unitRetired("CG")))
        // A successor that resolved its own part of the ticket holds it still: it takes nothing more.
        XCTAssertEqual(
            plan(assignment(.co, lead: "ZJ", coUnits: ["CG", "QH-CGJ"]), successor: "QH-CGJ",
                 live: [Live(unit: "ZJ", role: .lead)], holders: ["ZJ", "QH-CGJ"]),
            .end)
    }
}
