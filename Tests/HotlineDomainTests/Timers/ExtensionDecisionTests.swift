import Foundation
import XCTest

@testable import HotlineDomain

/// Each profile's extension limits and refusals (PS §14, PL §13, DY (9)).
final class ExtensionDecisionTests: XCTestCase {
    private typealias F = CalendarFixtures

    private func planner(_ profile: RuleProfile) throws -> DeadlinePlanner {
        DeadlinePlanner(profile: profile, calendar: try F.calendar())
    }

    /// An assignment dispatched 2025-03-10 10:00 and (unless `signed` is nil) signed at 10:30.
    private func clock(
        _ profile: RuleProfile, kind: TicketKind = .complaint, urgency: Urgency = .normal, channel: Channel = .hotline,
        signed: String? = "2025-03-10T10:30:00"
    ) throws -> AssignmentClock {
        let planner = try planner(profile)
        let facts = DeadlinePlanner.TicketFacts(kind: kind, urgency: urgency, channel: channel, acceptedAt: F.at("2025-03-10T09:15:00"))
        var clock = AssignmentClock(
            assignmentID: "A-1", ticketNo: "PS-20250310-000001", unit: "CG", role: .sole, kind: kind, urgency: urgency,
            channel: channel, acceptedAt: facts.acceptedAt, itemWorkingDays: nil, dispatchedAt: F.at("2025-03-10T10:00:00"),
            deadlines: try planner.plan(ticket: facts, dispatchedAt: F.at("2025-03-10T10:00:00")), profile: profile)
        if let signed { clock.sign(at: F.at(signed), profile: profile) }
        return clock
    }

    private func check(
        _ clock: AssignmentClock, _ profile: RuleProfile, days: Int, at: String, allowed: Bool = true, pending: Bool = false
    ) throws -> Result<Int, CommandRefusal> {
        ExtensionDecision.check(
            clock: clock, workingDays: days, now: F.at(at), extensionAllowed: allowed, pendingRequest: pending,
            planner: try planner(profile))
    }

    private func refusal(_ result: Result<Int, CommandRefusal>, file: StaticString = #filePath, line: UInt = #line)
        -> CommandRefusal?
    {
        if case .failure(let refusal) = result { return refusal }
        XCTFail("expected a refusal, got \(result)", file: file, line: line)
        return nil
    }

    func testPingshanLimitsPerKind() throws {
        let p = try RuleProfiles.pingshan()
        let complaint = try clock(p)
        XCTAssertEqual(try check(complaint, p, days: 5, at: "2025-03-14T10:00:00"), .success(5))
        let tooMany = refusal(try check(complaint, p, days: 6, at: "2025-03-14T10:00:00"))
        XCTAssertEqual(tooMany?.reason, .notAllowed)
        XCTAssertEqual(tooMany?.rule, ExtensionRules.Refusal.exceedsLimit.rawValue)
        XCTAssertTrue(tooMany?.message.contains("at most 5 working days") ?? false, tooMany?.message ?? "")

        let suggestion = try clock(p, kind: .suggestion)
        XCTAssertEqual(try check(suggestion, p, days: 3, at: "2025-03-12T10:00:00"), .success(3))
        XCTAssertEqual(refusal(try check(suggestion, p, days: 4, at: "2025-03-12T10:00:00"))?.rule, ExtensionRules.Refusal.exceedsLimit.rawValue)

        let consultation = try clock(p, kind: .consultation)
        XCTAssertEqual(try check(consultation, p, days: 1, at: "2025-03-11T10:00:00"), .success(1))
        let consultationTooMany = refusal(try check(consultation, p, days: 2, at: "2025-03-11T10:00:00"))
        XCTAssertTrue(consultationTooMany?.message.contains("at most 1 working day") ?? false)
    }

    func testPingshanComplaintNotWithinThreeWorkingDaysOfSigning() throws {
        let p = try RuleProfiles.pingshan()
        let early = refusal(try check(try clock(p), p, days: 2, at: "2025-03-13T17:00:00"))
        XCTAssertEqual(early?.reason, .wrongState)
        XCTAssertEqual(early?.rule, ExtensionRules.Refusal.tooEarly.rawValue)
        XCTAssertTrue(early?.message.contains("within 3 working days of signing") ?? false, early?.message ?? "")
        XCTAssertEqual(try check(try clock(p), p, days: 2, at: "2025-03-13T18:00:01"), .success(2))
        let unsigned = refusal(try check(try clock(p, signed: nil), p, days: 2, at: "2025-03-14T10:00:00"))
        XCTAssertEqual(unsigned?.rule, ExtensionRules.Refusal.tooEarly.rawValue)
        // Suggestions have no such wait.
        XCTAssertEqual(try check(try clock(p, kind: .suggestion, signed: nil), p, days: 1, at: "2025-03-10T11:00:00"), .success(1))
    }

    func testPingshanRefusals() throws {
        let p = try RuleProfiles.pingshan()
        let national = refusal(try check(try clock(p, channel: .national), p, days: 1, at: "2025-03-14T10:00:00"))
        XCTAssertEqual(national?.reason, .notAllowed)
        XCTAssertEqual(national?.rule, ExtensionRules.Refusal.notExtendable.rawValue)
        XCTAssertTrue(national?.message.contains("national") ?? false)
        XCTAssertEqual(refusal(try check(try clock(p, channel: .provincial), p, days: 1, at: "2025-03-14T10:00:00"))?.rule, ExtensionRules.Refusal.notExtendable.rawValue)

        var extended = try clock(p)
        try extended.extend(workingDays: 2, planner: try planner(p))
        let second = refusal(try check(extended, p, days: 1, at: "2025-03-14T10:00:00"))
        XCTAssertEqual(second?.reason, .notAllowed)
        XCTAssertEqual(second?.rule, ExtensionRules.Refusal.countExhausted.rawValue)
        XCTAssertTrue(second?.message.contains("at most 1 extension") ?? false)

        let late = refusal(try check(try clock(p), p, days: 1, at: "2025-03-19T18:00:01"))
        XCTAssertEqual(late?.reason, .tooLate)
        XCTAssertEqual(refusal(try check(try clock(p), p, days: 0, at: "2025-03-14T10:00:00"))?.reason, .invalid)
        XCTAssertEqual(refusal(try check(try clock(p), p, days: 1, at: "2025-03-14T10:00:00", pending: true))?.reason, .wrongState)
        XCTAssertEqual(refusal(try check(try clock(p), p, days: 1, at: "2025-03-14T10:00:00", allowed: false))?.reason, .notAllowed)
        var ended = try clock(p)
        ended.end(at: F.at("2025-03-12T10:00:00"), reason: "resolved")
        XCTAssertEqual(refusal(try check(ended, p, days: 1, at: "2025-03-14T10:00:00"))?.reason, .wrongState)
        var reviewing = try clock(p)
        reviewing.submitResolution(at: F.at("2025-03-13T10:00:00"))
        XCTAssertEqual(refusal(try check(reviewing, p, days: 1, at: "2025-03-14T10:00:00"))?.reason, .wrongState)

        XCTAssertFalse(ExtensionDecision.furtherExtensionPossible(clock: extended, extensionAllowed: true, planner: try planner(p)))
        XCTAssertTrue(ExtensionDecision.furtherExtensionPossible(clock: try clock(p), extensionAllowed: true, planner: try planner(p)))
    }

    func testPingliTwoExtensionsEachAsLongAsTheOriginalLimit() throws {
        let p = try RuleProfiles.pingli()
        let planner = try planner(p)
        var assignment = try clock(p)
        XCTAssertEqual(F.local(assignment.deadlines.resolveBy), "2025-03-17T18:00:00")
        XCTAssertEqual(try check(assignment, p, days: 2, at: "2025-03-11T10:00:00"), .success(5), "granted: the original 5 wd")
        let longer = refusal(try check(assignment, p, days: 6, at: "2025-03-11T10:00:00"))
        XCTAssertEqual(longer?.rule, ExtensionRules.Refusal.exceedsLimit.rawValue)
        XCTAssertTrue(longer?.message.contains("original limit of 5 working days") ?? false, longer?.message ?? "")
        try assignment.extend(workingDays: 5, planner: planner)
        XCTAssertEqual(F.local(assignment.deadlines.resolveBy), "2025-03-24T18:00:00")
        XCTAssertTrue(ExtensionDecision.furtherExtensionPossible(clock: assignment, extensionAllowed: true, planner: planner))
        XCTAssertEqual(try check(assignment, p, days: 5, at: "2025-03-20T10:00:00"), .success(5))
        try assignment.extend(workingDays: 5, planner: planner)
        XCTAssertEqual(refusal(try check(assignment, p, days: 1, at: "2025-03-21T10:00:00"))?.rule, ExtensionRules.Refusal.countExhausted.rawValue)
        XCTAssertFalse(ExtensionDecision.furtherExtensionPossible(clock: assignment, extensionAllowed: true, planner: planner))

        let late = refusal(try check(try clock(p), p, days: 1, at: "2025-03-17T18:30:00"))
        XCTAssertEqual(late?.reason, .tooLate, "asked before the deadline (PL §13)")
        let emergency = refusal(try check(try clock(p, urgency: .urgent), p, days: 1, at: "2025-03-11T10:00:00"))
        XCTAssertEqual(emergency?.rule, ExtensionRules.Refusal.notExtendable.rawValue)
        XCTAssertTrue(emergency?.message.contains("emergency") ?? false)
    }

    func testDayeAtMostThirtyWorkingDaysInTotal() throws {
        let p = try RuleProfiles.daye()
        let planner = try planner(p)
        var assignment = try clock(p)
        XCTAssertEqual(try check(assignment, p, days: 25, at: "2025-03-12T10:00:00"), .success(25))
        let over = refusal(try check(assignment, p, days: 26, at: "2025-03-12T10:00:00"))
        XCTAssertEqual(over?.reason, .notAllowed)
        XCTAssertTrue(over?.message.contains("30 working days in total; 25 left") ?? false, over?.message ?? "")
        try assignment.extend(workingDays: 20, planner: planner)
        XCTAssertEqual(refusal(try check(assignment, p, days: 6, at: "2025-03-12T10:00:00"))?.rule, ExtensionRules.Refusal.exceedsLimit.rawValue)
        XCTAssertEqual(try check(assignment, p, days: 5, at: "2025-03-12T10:00:00"), .success(5), "no count limit")
        try assignment.extend(workingDays: 5, planner: planner)
        XCTAssertEqual(refusal(try check(assignment, p, days: 1, at: "2025-03-12T10:00:00"))?.rule, ExtensionRules.Refusal.exceedsLimit.rawValue)
        XCTAssertFalse(ExtensionDecision.furtherExtensionPossible(clock: assignment, extensionAllowed: true, planner: planner))
        XCTAssertEqual(
            refusal(try check(try clock(p, channel: .provincial), p, days: 1, at: "2025-03-12T10:00:00"))?.rule, ExtensionRules.Refusal.notExtendable.rawValue)
    }

    func testCitizenNoticeNamesTheReasonAndTheNewDeadline() throws {
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let notice = try XCTUnwrap(ExtensionNotice.notification(
            id: "N-1", requestID: "EXT-1", ticketNo: "PS-20250310-000001",
            citizen: Citizen(name: "张女士", phone: "13800138000"), reason: "需协调多个部门现场核查",
            resolveBy: F.at("2025-03-26T18:00:00"), timeZone: zone))
        XCTAssertEqual(notice.routingKey, "sms.citizen")
        XCTAssertEqual(notice.recipient.phone, "13800138000")
        XCTAssertEqual(notice.dedupKey, "extension:EXT-1:citizen")
        XCTAssertTrue(notice.text.contains("需协调多个部门现场核查"), notice.text)
        XCTAssertTrue(notice.text.contains("2025年3月26日18:00"), notice.text)
        XCTAssertTrue(notice.text.contains("PS-20250310-000001"))
        XCTAssertNil(ExtensionNotice.notification(
            id: "N-2", requestID: "EXT-2", ticketNo: "T", citizen: Citizen(anonymous: true), reason: "r",
            resolveBy: Date(), timeZone: zone))
    }
}
