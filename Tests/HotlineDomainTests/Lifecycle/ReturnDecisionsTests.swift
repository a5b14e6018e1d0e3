import Foundation
import XCTest

@testable import HotlineDomain

final class ReturnDecisionsTests: XCTestCase {
    private typealias F = CalendarFixtures
    private typealias Live = ReturnDecisions.LiveAssignment

    private func rules() throws -> ReturnRules { try RuleProfiles.pingshan().returns }
    private func router() throws -> Router { Router(jurisdiction: try JurisdictionFixtures.file()) }

    private func request(_ code: String = "not_our_duty", reason: String = "不属于本单位职责", basis: String = "《职责清单》第3条")
        -> UnitRequestReturn
    {
        UnitRequestReturn(assignmentID: "PS-1-CG", reasonCode: code, reason: reason, basis: basis)
    }

    private func facts(
        returnAllowed: Bool = true, extended: Bool = false, deniedBefore: Bool = false,
        returnBy: String = "2025-03-11T18:00:00"
    ) -> ReturnDecisions.Facts {
        ReturnDecisions.Facts(returnAllowed: returnAllowed, extended: extended, deniedBefore: deniedBefore, returnBy: F.at(returnBy))
    }

    private let signed = AssignmentLifecycle.Position(state: .signed, role: .sole)
    private let now = CalendarFixtures.at("2025-03-11T10:00:00")

    private func screen(
        _ request: UnitRequestReturn, _ facts: ReturnDecisions.Facts, position: AssignmentLifecycle.Position? = nil,
        rules: ReturnRules? = nil, at: Date? = nil
    ) throws -> Result<ReturnDecisions.Accepted, CommandRefusal> {
        ReturnDecisions.screen(request, position: position ?? signed, facts: facts, rules: try rules ?? self.rules(), now: at ?? now)
    }

    func testAWellFoundedRequestInTimeGoesToReview() throws {
        let accepted = try screen(request(), facts()).get()
        XCTAssertEqual(accepted.position.state, .returnRequested)
        XCTAssertEqual(accepted.position.resumeState, .signed)
        XCTAssertFalse(accepted.late)
        let pending = AssignmentLifecycle.Position(state: .pending, role: .sole)
        XCTAssertEqual(try screen(request(), facts(), position: pending).get().position.resumeState, .pending)
    }

    /// PS §12(一): a catalogue-routed assignment may only be claimed misclassified, naming the unit.
    func testACatalogueRoutedAssignmentIsReturnedOnlyAsMisclassifiedNamingTheUnit() throws {
        var routed = facts()
        routed.catalogueRouted = true
        var named = request()
        named.suggestedUnit = "ZJ"
        XCTAssertNoThrow(try screen(named, routed).get())
        guard case .failure(let unnamed) = try screen(request(), routed) else { return XCTFail("no suggested unit") }
        XCTAssertEqual(unnamed.reason, .invalid)
        XCTAssertEqual(unnamed.rule, "catalogue_without_suggested_unit")
        var other = request("wrong_location")
        other.suggestedUnit = "ZJ"
        guard case .failure(let refused) = try screen(other, routed) else { return XCTFail("another reason") }
        XCTAssertEqual(refused.reason, .notAllowed)
        XCTAssertTrue(refused.message.contains("PS §12(一)"), refused.message)
        XCTAssertNoThrow(try screen(request("wrong_location"), facts()).get(), "the center's dispatch is not bound by the catalogue")
        XCTAssertNoThrow(try screen(request("wrong_location"), routed, rules: try RuleProfiles.pingli().returns).get(),
                         "pingli sets no catalogue_reasons")
    }

    /// DY (7): a daye return comes with the unit's written explanation (书面退单说明).
    func testADayeReturnNeedsItsWrittenExplanation() throws {
        let daye = try RuleProfiles.daye().returns
        XCTAssertTrue(daye.writtenExplanationRequired)
        guard case .failure(let refusal) = try screen(request(), facts(), rules: daye) else { return XCTFail("no explanation") }
        XCTAssertEqual(refusal.reason, .invalid)
        XCTAssertEqual(refusal.rule, "missing_written_explanation")
        var explained = request()
        explained.writtenExplanation = "经核查，该事项属于区住建局职责，特此说明。"
        XCTAssertNoThrow(try screen(explained, facts(), rules: daye).get())
        XCTAssertNoThrow(try screen(request(), facts()).get(), "pingshan asks for none")
    }

    func testRefusals() throws {
        func reason(_ result: Result<ReturnDecisions.Accepted, CommandRefusal>) -> CommandRejection? {
            if case .failure(let refusal) = result { return refusal.reason }
            return nil
        }
        XCTAssertEqual(reason(try screen(request(), facts(returnAllowed: false))), .notAllowed, "first-responsible")
        XCTAssertEqual(reason(try screen(request(), facts(extended: true))), .notAllowed, "extended")
        XCTAssertEqual(reason(try screen(request(), facts(deniedBefore: true))), .notAllowed, "denied before")
        for code in ["cannot_contact", "insufficient_detail", "no_basis", "minor_error", "needs_own_inquiry", "partial_mismatch"] {
            XCTAssertEqual(reason(try screen(request(code), facts())), .notAllowed, code)
        }
        XCTAssertEqual(reason(try screen(request(reason: " "), facts())), .invalid, "no reason")
        XCTAssertEqual(reason(try screen(request(basis: ""), facts())), .invalid, "no basis")
        XCTAssertEqual(
            reason(try screen(request(), facts(), at: F.at("2025-03-11T18:00:01"))), .tooLate, "after the window")
        XCTAssertEqual(
            reason(try screen(request(), facts(), position: .init(state: .resolved, role: .sole))), .wrongState)
        XCTAssertEqual(
            reason(try screen(request(), facts(), position: .init(state: .returnRequested, role: .sole, resumeState: .signed))),
            .wrongState, "one request at a time")
        if case .failure(let refusal) = try screen(request(), facts(), at: F.at("2025-03-12T09:00:00")) {
            XCTAssertTrue(refusal.message.contains("2025-03-11T18:00:00+08:00"), refusal.message)
        }
    }

    func testLateRequestsReviewedWhereTheProfileSaysSoAreMarkedLate() throws {
        var lenient = try rules()
        lenient.lateRequests = .overdueReturn
        let accepted = try screen(request(), facts(), rules: lenient, at: F.at("2025-03-13T09:00:00")).get()
        XCTAssertTrue(accepted.late)
    }

    func testReassignmentChecks() {
        let live = [Live(unit: "ZJ", role: .co)]
        let known: Set<String> = ["CG", "ZJ", "HB"]
        XCTAssertNil(ReturnDecisions.checkReassignment(nil, returningUnit: "CG", live: live, knownUnits: known))
        XCTAssertNil(ReturnDecisions.checkReassignment("HB", returningUnit: "CG", live: live, knownUnits: known))
        XCTAssertEqual(ReturnDecisions.checkReassignment("XX", returningUnit: "CG", live: live, knownUnits: known)?.reason, .invalid)
        XCTAssertEqual(ReturnDecisions.checkReassignment("CG", returningUnit: "CG", live: live, knownUnits: known)?.reason, .invalid)
        XCTAssertEqual(ReturnDecisions.checkReassignment("ZJ", returningUnit: "CG", live: live, knownUnits: known)?.reason, .invalid)
    }

    func testFollowupOfASoleOwnersReturn() throws {
        let r = try router()
        // The catalogue names only CG: without it nobody is left, the center decides.
        XCTAssertEqual(
            ReturnDecisions.followup(
                unit: "CG", role: .sole, leadUnit: nil, live: [], reassignTo: nil, excluded: ["CG"], router: r,
                category: "CG-001", street: "坑梓街道"),
            .manual(.nobodyLeft))
        XCTAssertEqual(
            ReturnDecisions.followup(
                unit: "CG", role: .sole, leadUnit: nil, live: [], reassignTo: "HB", excluded: ["CG"], router: r,
                category: "CG-001", street: "坑梓街道"),
            .assign([PlannedAssignment(unit: "HB", role: .sole)]))
        // A territorial ticket returned by an office goes to manual as well (one office per street).
        XCTAssertEqual(
            ReturnDecisions.followup(
                unit: "KZ", role: .territorial, leadUnit: nil, live: [], reassignTo: nil, excluded: ["KZ"], router: r,
                category: "JD-001", street: "坑梓街道"),
            .manual(.nobodyLeft))
    }

    func testFollowupOfALeadKeepsTheCoUnits() throws {
        let r = try router()
        let live = [Live(unit: "CG", role: .co), Live(unit: "KZ", role: .co)]
        XCTAssertEqual(
            ReturnDecisions.followup(
                unit: "ZJ", role: .lead, leadUnit: "ZJ", live: live, reassignTo: "HB", excluded: ["ZJ"], router: r,
                category: "ZJ-003", street: nil),
            .assign([PlannedAssignment(unit: "HB", role: .lead, leadUnit: "HB", coUnits: ["CG", "KZ"])]))
        // Re-routed without the lead: the catalogue's other units already hold parts, nobody is left.
        XCTAssertEqual(
            ReturnDecisions.followup(
                unit: "ZJ", role: .lead, leadUnit: "ZJ", live: live, reassignTo: nil, excluded: ["ZJ"], router: r,
                category: "ZJ-003", street: nil),
            .manual(.nobodyLeft))
    }

    func testFollowupOfACoUnitAndOfAParallelCandidate() throws {
        let r = try router()
        XCTAssertEqual(
            ReturnDecisions.followup(
                unit: "CG", role: .co, leadUnit: "ZJ", live: [Live(unit: "ZJ", role: .lead), Live(unit: "KZ", role: .co)],
                reassignTo: nil, excluded: ["CG"], router: r, category: "ZJ-003", street: nil),
            .nothing)
        XCTAssertEqual(
            ReturnDecisions.followup(
                unit: "CG", role: .co, leadUnit: "ZJ", live: [Live(unit: "ZJ", role: .lead), Live(unit: "KZ", role: .co)],
                reassignTo: "HB", excluded: ["CG"], router: r, category: "ZJ-003", street: nil),
            .assign([PlannedAssignment(unit: "HB", role: .co, leadUnit: "ZJ", coUnits: ["KZ", "HB"])]))
        XCTAssertEqual(
            ReturnDecisions.followup(
                unit: "CG", role: .parallel, leadUnit: nil, live: [Live(unit: "HB", role: .parallel)], reassignTo: nil,
                excluded: ["CG"], router: r, category: nil, street: nil),
            .nothing, "the other candidate may still claim it")
        XCTAssertEqual(
            ReturnDecisions.followup(
                unit: "CG", role: .parallel, leadUnit: nil, live: [], reassignTo: nil, excluded: ["CG"], router: r,
                category: nil, street: nil),
            .manual(.noCategory), "the last candidate: back to the center")
    }

    func testCenterDispatchPlans() throws {
        let r = try router()
        XCTAssertEqual(
            try r.plan(CenterDispatch(ticketNo: "T", mode: .parallel, units: ["CG", "HB"])).get(),
            [PlannedAssignment(unit: "CG", role: .parallel), PlannedAssignment(unit: "HB", role: .parallel)])
        XCTAssertEqual(
            try r.plan(CenterDispatch(ticketNo: "T", mode: .firstResponsible, units: ["CG"])).get(),
            [PlannedAssignment(unit: "CG", role: .firstResponsible, leadUnit: "CG", returnAllowed: false)])
        XCTAssertEqual(
            try r.plan(CenterDispatch(ticketNo: "T", mode: .leadCo, units: ["ZJ", "CG"])).get(),
            [PlannedAssignment(unit: "ZJ", role: .lead, leadUnit: "ZJ", coUnits: ["CG"]),
             PlannedAssignment(unit: "CG", role: .co, leadUnit: "ZJ", coUnits: ["CG"])])
        XCTAssertEqual(
            try r.plan(CenterDispatch(ticketNo: "T", mode: .sole, units: ["HB"])).get(), [PlannedAssignment(unit: "HB", role: .sole)])
        XCTAssertEqual(
            try r.plan(CenterDispatch(ticketNo: "T", mode: .territorial, units: ["KZ"])).get(),
            [PlannedAssignment(unit: "KZ", role: .territorial)])
        guard case .failure(let refusal) = r.plan(CenterDispatch(ticketNo: "T", mode: .parallel, units: ["CG", "NOPE"])) else {
            return XCTFail("an unknown unit must be refused")
        }
        XCTAssertEqual(refusal.reason, .invalid)
        XCTAssertTrue(refusal.message.contains("NOPE"), refusal.message)
    }

    func testAutomaticRoutingSendsUnknownStreetsToManual() throws {
        let r = try router()
        XCTAssertEqual(r.routeAutomatically(category: "CG-001", street: "火星街道"), .manual(.unknownStreet("火星街道")))
        XCTAssertEqual(r.routeAutomatically(category: "CG-001", street: nil), .assign([PlannedAssignment(unit: "CG", role: .sole)]))
        XCTAssertEqual(r.routeAutomatically(category: "CG-001", street: "坑梓街道"), .assign([PlannedAssignment(unit: "CG", role: .sole)]))
        XCTAssertEqual(r.routeAutomatically(category: nil, street: "坑梓街道"), .manual(.noCategory))
        XCTAssertEqual(r.routeAutomatically(category: "JD-001", street: "坪山街道"), .assign([PlannedAssignment(unit: "PS1", role: .territorial)]))
        XCTAssertEqual(
            r.routeAutomatically(category: "JD-001", street: " 坪山 "), .assign([PlannedAssignment(unit: "PS1", role: .territorial)]),
            "as intake, a street without its 街道 suffix")
        XCTAssertEqual(r.routeAutomatically(category: "JD-001", street: nil), .manual(.unknownStreet(nil)))
        XCTAssertEqual(r.routeAutomatically(category: "JD-001", street: ""), .manual(.unknownStreet(nil)))
    }
}
