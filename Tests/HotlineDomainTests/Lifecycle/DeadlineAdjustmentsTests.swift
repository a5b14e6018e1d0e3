import Foundation
import XCTest

@testable import HotlineDomain

final class DeadlineAdjustmentsTests: XCTestCase {
    private typealias F = CalendarFixtures

    private func facts(_ kind: TicketKind = .complaint, accepted: String = "2025-03-10T09:15:00") -> DeadlinePlanner.TicketFacts {
        DeadlinePlanner.TicketFacts(kind: kind, urgency: .normal, channel: .hotline, acceptedAt: F.at(accepted))
    }

    func testSigningRestartsTheLimitsCountedFromSigning() throws {
        let planner = DeadlinePlanner(profile: try RuleProfiles.pingshan(), calendar: try F.calendar())
        let dispatched = F.at("2025-03-10T10:00:00")
        let planned = try planner.plan(ticket: facts(), dispatchedAt: dispatched)
        let signed = try planner.afterSigning(
            planned, ticket: facts(), dispatchedAt: dispatched, signedAt: F.at("2025-03-11T09:30:00"), returnAllowed: true)
        XCTAssertEqual(F.local(signed.notifyBy), "2025-03-12T18:00:00", "1 wd from signing")
        XCTAssertEqual(signed.resolveBy, planned.resolveBy, "pingshan counts handling from receipt")
        XCTAssertEqual(signed.signBy, planned.signBy)

        let daye = DeadlinePlanner(profile: try RuleProfiles.daye(), calendar: try F.calendar())
        let dayePlanned = try daye.plan(ticket: facts(), dispatchedAt: dispatched)
        let dayeSigned = try daye.afterSigning(
            dayePlanned, ticket: facts(), dispatchedAt: dispatched, signedAt: F.at("2025-03-11T09:30:00"), returnAllowed: true)
        XCTAssertEqual(F.local(dayeSigned.resolveBy), "2025-03-18T18:00:00", "daye: 5 wd from signing")
    }

    func testTimeUnderReturnReviewDoesNotCount() throws {
        let planner = DeadlinePlanner(profile: try RuleProfiles.pingshan(), calendar: try F.calendar())
        let planned = try planner.plan(ticket: facts(), dispatchedAt: F.at("2025-03-10T10:00:00"))
        XCTAssertEqual(F.local(planned.resolveBy), "2025-03-19T18:00:00")
        // Under review from Tuesday 16:00 to Wednesday 10:00: 2 h + 1 h of working time.
        let denied = try planner.afterDeniedReturn(
            planned, reviewStartedAt: F.at("2025-03-11T16:00:00"), decidedAt: F.at("2025-03-12T10:00:00"))
        XCTAssertEqual(F.local(denied.resolveBy), "2025-03-20T12:00:00")
        XCTAssertEqual(try planner.afterDeniedReturn(planned, reviewStartedAt: nil, decidedAt: F.at("2025-03-12T10:00:00")), planned)

        var counting = try RuleProfiles.pingshan()
        counting.returns.reviewTimeCounts = true
        let strict = DeadlinePlanner(profile: counting, calendar: try F.calendar())
        XCTAssertEqual(
            try strict.afterDeniedReturn(
                planned, reviewStartedAt: F.at("2025-03-11T16:00:00"), decidedAt: F.at("2025-03-12T10:00:00")),
            planned)
    }

    func testAnApprovedReturnRestartsTheDeadlineOrCarriesItOver() throws {
        let planner = DeadlinePlanner(profile: try RuleProfiles.pingshan(), calendar: try F.calendar())
        let previous = try planner.plan(ticket: facts(), dispatchedAt: F.at("2025-03-10T10:00:00"))
        let redispatched = F.at("2025-03-12T10:00:00")
        let fresh = try planner.afterApprovedReturn(
            ticket: facts(), redispatchedAt: redispatched, returnAllowed: true, previous: previous,
            reviewStartedAt: F.at("2025-03-11T16:00:00"))
        XCTAssertEqual(F.local(fresh.resolveBy), "2025-03-21T18:00:00", "7 wd from the re-dispatch (ZS §17)")
        XCTAssertEqual(fresh.returnBy.map(F.local), "2025-03-13T18:00:00")

        var noRestart = try RuleProfiles.pingshan()
        noRestart.returns.approvedRestartsDeadline = false
        let carried = try DeadlinePlanner(profile: noRestart, calendar: try F.calendar()).afterApprovedReturn(
            ticket: facts(), redispatchedAt: redispatched, returnAllowed: false, previous: previous,
            reviewStartedAt: F.at("2025-03-11T16:00:00"))
        XCTAssertEqual(F.local(carried.resolveBy), "2025-03-20T12:00:00", "first receipt's deadline, paused for the review")
        XCTAssertNil(carried.returnBy)
    }

    func testReopenGivesTheProfilesRehandlingLimit() throws {
        let reopenedAt = F.at("2025-03-20T10:00:00")
        let pingshan = DeadlinePlanner(profile: try RuleProfiles.pingshan(), calendar: try F.calendar())
        let planned = try pingshan.plan(ticket: facts(), dispatchedAt: F.at("2025-03-10T10:00:00"))
        let reopened = try pingshan.afterReopen(planned, kind: .complaint, reopenedAt: reopenedAt)
        XCTAssertEqual(F.local(reopened.resolveBy), "2025-03-31T18:00:00", "pingshan: the original 7 wd again")
        XCTAssertEqual(reopened.signBy, planned.signBy)
        let pingli = DeadlinePlanner(profile: try RuleProfiles.pingli(), calendar: try F.calendar())
        XCTAssertEqual(
            F.local(try pingli.afterReopen(planned, kind: .complaint, reopenedAt: reopenedAt).resolveBy), "2025-03-27T18:00:00",
            "pingli: 5 wd")
    }
}
