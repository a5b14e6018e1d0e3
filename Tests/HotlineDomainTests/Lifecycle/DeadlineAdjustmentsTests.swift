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

    /// The successor of a retired unit signs and notifies afresh, against the citizen's resolve deadline.
    func testAHandoverKeepsTheResolveDeadlineAndRestartsTheOthers() throws {
        let planner = DeadlinePlanner(profile: try RuleProfiles.pingshan(), calendar: try F.calendar())
        let previous = try planner.plan(ticket: facts(), dispatchedAt: F.at("2025-03-10T10:00:00"))
        let handedOverAt = F.at("2025-03-13T10:00:00")
        let handedOver = try planner.afterHandover(
            ticket: facts(), handedOverAt: handedOverAt, returnAllowed: true, previous: previous)
        let fresh = try planner.plan(ticket: facts(), dispatchedAt: handedOverAt)
        XCTAssertEqual(handedOver.resolveBy, previous.resolveBy)
        XCTAssertEqual(handedOver.signBy, fresh.signBy)
        XCTAssertGreaterThan(handedOver.signBy, previous.signBy)
        XCTAssertEqual(handedOver.notifyBy, fresh.notifyBy)
        XCTAssertEqual(handedOver.returnBy, fresh.returnBy)
    }

    // MARK: - A denied return

    /// `afterDeniedReturn` of an assignment dispatched 2025-03-10 10:00 whose return was under review
    /// from 11:00 to 15:00 that day: 2 working hours (11-12, 14-15), 4 hours of clock time.
    private func denied(
        _ profile: RuleProfile, urgency: Urgency = .normal, met: Set<DeadlineKind> = [], followUpBy: Date? = nil,
        reviewStartedAt: String? = "2025-03-10T11:00:00"
    ) throws -> (planned: AssignmentDeadlines, moved: AssignmentDeadlines, followUpBy: Date?) {
        let planner = DeadlinePlanner(profile: profile, calendar: try F.calendar())
        let ticket = DeadlinePlanner.TicketFacts(
            kind: .complaint, urgency: urgency, channel: .hotline, acceptedAt: F.at("2025-03-10T09:15:00"))
        let planned = try planner.plan(ticket: ticket, dispatchedAt: F.at("2025-03-10T10:00:00"))
        let (moved, followUp) = try planner.afterDeniedReturn(
            planned, followUpBy: followUpBy, met: met, ticket: ticket, reviewStartedAt: reviewStartedAt.map(F.at),
            decidedAt: F.at("2025-03-10T15:00:00"))
        return (planned, moved, followUp)
    }

    func testADeniedReturnMovesEveryUnmetDeadlineByTheWorkingTimeUnderReview() throws {
        let (planned, moved, followUp) = try denied(try RuleProfiles.pingshan())
        XCTAssertEqual(F.local(planned.signBy), "2025-03-10T15:00:00")
        XCTAssertEqual(F.local(moved.signBy), "2025-03-10T17:00:00", "3 wh to sign: 2 working hours later")
        XCTAssertEqual(F.local(moved.notifyBy), "2025-03-12T11:00:00", "1 wd notice: from 03-11 18:00")
        XCTAssertEqual(F.local(moved.resolveBy), "2025-03-20T11:00:00", "7 wd to resolve: from 03-19 18:00")
        XCTAssertNil(moved.feedbackBy, "a normal ticket has no feedback deadline")
        XCTAssertEqual(moved.returnBy, planned.returnBy, "no return after a denial: its window stays")
        XCTAssertEqual(moved.dispatchBy, planned.dispatchBy)
        XCTAssertNil(followUp)
    }

    func testClockTimeLimitsMoveByTheClockTimeUnderReview() throws {
        // pingshan: feedback on an urgent ticket within 2 hours of clock time, 12:00 → 16:00.
        let (planned, urgent, _) = try denied(try RuleProfiles.pingshan(), urgency: .urgent)
        XCTAssertEqual(planned.feedbackBy.map(F.local), "2025-03-10T12:00:00")
        XCTAssertEqual(urgent.feedbackBy.map(F.local), "2025-03-10T16:00:00")
        XCTAssertEqual(F.local(urgent.resolveBy), "2025-03-20T11:00:00", "working days still move by working time")
        // pingli: sign within 24 hours, 03-11 10:00 → 14:00.
        let (pingliPlanned, pingli, _) = try denied(try RuleProfiles.pingli())
        XCTAssertEqual(F.local(pingliPlanned.signBy), "2025-03-11T10:00:00")
        XCTAssertEqual(F.local(pingli.signBy), "2025-03-11T14:00:00")
    }

    func testMetDeadlinesStay() throws {
        let (planned, moved, _) = try denied(try RuleProfiles.pingshan(), urgency: .urgent, met: [.sign, .notify, .feedback])
        XCTAssertEqual(moved.signBy, planned.signBy)
        XCTAssertEqual(moved.notifyBy, planned.notifyBy)
        XCTAssertEqual(moved.feedbackBy, planned.feedbackBy)
        XCTAssertEqual(F.local(moved.resolveBy), "2025-03-20T11:00:00", "the resolve deadline is met only by resolving")
    }

    func testAFollowUpDateMovesInsteadOfTheResolveDeadline() throws {
        let (planned, moved, followUp) = try denied(
            try RuleProfiles.pingshan(), met: [.sign, .notify], followUpBy: F.at("2025-04-14T18:00:00"))
        XCTAssertEqual(followUp.map(F.local), "2025-04-14T22:00:00", "a follow-up date is clock time")
        XCTAssertEqual(moved, planned)
    }

    func testNothingMovesWithoutAReviewOrWhereReviewTimeCounts() throws {
        let follow = F.at("2025-04-14T18:00:00")
        let (planned, unreviewed, kept) = try denied(try RuleProfiles.pingshan(), followUpBy: follow, reviewStartedAt: nil)
        XCTAssertEqual(unreviewed, planned)
        XCTAssertEqual(kept, follow)
        var counting = try RuleProfiles.pingshan()
        counting.returns.reviewTimeCounts = true
        let (countingPlanned, counted, countedFollowUp) = try denied(counting, urgency: .urgent, followUpBy: follow)
        XCTAssertEqual(counted, countingPlanned)
        XCTAssertEqual(countedFollowUp, follow)
    }

    // MARK: - An approved return, a reopen

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
