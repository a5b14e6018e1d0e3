import Foundation
import HotlineDomain
import XCTest

/// PS §8(一)3: a demand the operator asks to verify waits for the street's grid worker; found untrue it
/// is not accepted, verified or lapsed it is decided as any other.
final class GridVerificationTests: XCTestCase {
    let now = IntakeFixtures.now

    var rules: GridVerificationRules { IntakeFixtures.profile().intake.gridVerification! }

    func verified(_ location: Location? = IntakeFixtures.place(), demands: [Demand]? = nil) -> Submission {
        var submission = IntakeFixtures.submission(category: "CG-001", location: location, demands: demands)
        submission.verifyOnSite = true
        return submission
    }

    func testPingshanVerifiesWithinTwoHours() throws {
        XCTAssertEqual(rules.within, .hours(2))
        XCTAssertTrue(rules.basis.hasPrefix("PS §8(一)3"), rules.basis)
        XCTAssertNil(try RuleProfiles.pingli().intake.gridVerification, "pingli's text has no such rule")
    }

    func testTheStreetOfficeOfTheLocationVerifies() throws {
        let decision = IntakeDecision(IntakeFixtures.context())
        let place = try XCTUnwrap(decision.verificationPlace(verified(IntakeFixtures.place(street: "坑梓"))))
        XCTAssertEqual(place.street, "坑梓街道", "the jurisdiction's spelling")
        XCTAssertEqual(place.office, "KZ")
        XCTAssertNil(decision.verificationPlace(verified(IntakeFixtures.place(street: nil))))
    }

    func testProblems() {
        XCTAssertEqual(GridVerification.problems(verified(), rules: rules, street: "坑梓街道", office: "KZ"), [])
        XCTAssertEqual(GridVerification.problems(verified(), rules: nil, street: "坑梓街道", office: "KZ").map(\.field), ["verify_on_site"])
        XCTAssertEqual(GridVerification.problems(verified(), rules: rules, street: nil, office: nil).map(\.field), ["location.street"])
        XCTAssertEqual(
            GridVerification.problems(IntakeFixtures.submission(), rules: nil, street: nil, office: nil), [],
            "not asked for: nothing to check")
    }

    func testOnlyADemandThatMakesATicketIsHeld() throws {
        let calendar = try CalendarFixtures.calendar()
        let decision = IntakeDecision(IntakeFixtures.context())
        func hold(_ submission: Submission, open: [OpenTicket] = []) throws -> GridVerification.Hold? {
            let outcome = decision.decide(submission, openTickets: open, concludedMatters: [])
            return try GridVerification.hold(submission, outcome: outcome, rules: rules, office: "KZ", calendar: calendar, now: now)
        }
        let held = try XCTUnwrap(try hold(verified()))
        XCTAssertEqual(held.office, "KZ")
        XCTAssertEqual(held.street, "坑梓街道")
        XCTAssertEqual(held.dueBy, now.addingTimeInterval(7_200), "two clock hours")
        XCTAssertNotNil(try hold(verified(demands: [
            Demand(category: "CG-001", description: "门口占道经营"), Demand(category: "CG-003", description: "垃圾无人清运"),
        ])), "a split is held whole")
        XCTAssertNil(try hold(verified(), open: [IntakeFixtures.open()]), "merged into a ticket already being handled")
        var emergency = verified()
        emergency.description = "楼下着火了，有人被困"
        XCTAssertNil(try hold(emergency), "redirected at once")
        XCTAssertNil(try hold(IntakeFixtures.submission(category: "CG-001")), "not asked for")
        let outcome = decision.decide(verified(), openTickets: [], concludedMatters: [])
        XCTAssertNil(try GridVerification.hold(verified(), outcome: outcome, rules: nil, office: "KZ", calendar: calendar, now: now))
    }

    func testAnUntrueMatterIsNotAcceptedAndAVerifiedOneIsDecidedAsAnyOther() {
        let decided = IntakeDecision(IntakeFixtures.context()).decide(verified(), openTickets: [], concludedMatters: [])
        guard case .rejected(let plan, let rejection) = GridVerification.outcome(
            .notVerified, decided: decided, note: "现场无占道经营", rules: rules)
        else { return XCTFail("not rejected") }
        XCTAssertEqual(plan, decided.plan)
        XCTAssertEqual(rejection.reason, .noSubstance)
        XCTAssertEqual(rejection.decidedBy, .gridWorker)
        XCTAssertEqual(rejection.basis, rules.basis)
        XCTAssertEqual(rejection.note, "现场无占道经营")
        XCTAssertEqual(GridVerification.outcome(.verified, decided: decided, note: nil, rules: rules), decided)
        XCTAssertEqual(GridVerification.outcome(.lapsed, decided: decided, note: nil, rules: rules), decided)
    }

    func testReportRefusals() {
        let requestedAt = now.addingTimeInterval(-3_600)
        func reason(
            by unit: String = "KZ", result: GridVerification.Result? = nil, at: Date? = nil, found: Bool = true
        ) -> CommandRejection? {
            let command = UnitReportVerification(
                verificationID: "VF-1", verified: true, verifiedAt: at ?? now.addingTimeInterval(-60), verifier: "网格员 张三")
            let pending = found ? GridVerification.Pending(office: "KZ", requestedAt: requestedAt, result: result) : nil
            return GridVerification.refusal(command, by: unit, pending: pending, now: now, skew: 300)?.reason
        }
        XCTAssertNil(reason())
        XCTAssertEqual(reason(found: false), .notFound)
        XCTAssertEqual(reason(by: "ML"), .forbidden)
        XCTAssertEqual(reason(result: .lapsed), .wrongState)
        XCTAssertEqual(reason(result: .verified), .wrongState)
        XCTAssertEqual(reason(at: requestedAt.addingTimeInterval(-60)), .invalid)
        XCTAssertEqual(reason(at: now.addingTimeInterval(600)), .invalid)
    }

    func testTheReportNeedsANoteWhenTheMatterIsNotVerified() {
        let untrue = UnitReportVerification(verificationID: "VF-1", verified: false, verifiedAt: now, verifier: "张三")
        XCTAssertEqual(untrue.validationProblems(), ["note is required when the matter is not verified"])
        var noted = untrue
        noted.note = "现场无此情况"
        XCTAssertEqual(noted.validationProblems(), [])
        XCTAssertEqual(
            UnitReportVerification(verificationID: " ", verified: true, verifiedAt: now, verifier: "").validationProblems(),
            ["verification_id must not be blank", "verifier must not be blank"])
    }

    func testTheSubmissionFieldIsABooleanNotWithTheOperatorsOwnDecisions() {
        let base = #"{"submission_id":"S-1","channel":"hotline","received_at":"2026-11-23T09:15:00+08:00","citizen":{"phone":"13800138000","anonymous":false},"description":"小区门口有流动摊贩占道经营""#
        func problems(_ tail: String) -> [String] {
            SubmissionValidator.validate(body: Data((base + tail + "}").utf8), now: now).problems.map(\.field)
        }
        XCTAssertEqual(problems(#","verify_on_site":true"#), [])
        XCTAssertEqual(problems(#","verify_on_site":"yes""#), ["verify_on_site"])
        XCTAssertEqual(problems(#","verify_on_site":true,"answered_on_call":{"answer":"可到政务中心办理"}"#), ["verify_on_site"])
        guard case .valid(let submission) = SubmissionValidator.validate(
            body: Data((base + #","verify_on_site":true}"#).utf8), now: now)
        else { return XCTFail("invalid") }
        XCTAssertEqual(submission.verifyOnSite, true)
    }
}
