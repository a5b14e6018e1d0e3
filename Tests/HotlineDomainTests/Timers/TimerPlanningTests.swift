import Foundation
import XCTest

@testable import HotlineDomain

/// Which timers an assignment needs and when each fires, on the real 2025 calendar.
final class TimerPlanningTests: XCTestCase {
    private typealias F = CalendarFixtures

    private func planners(_ profile: RuleProfile) throws -> (DeadlinePlanner, TimerPlanner) {
        let deadlines = DeadlinePlanner(profile: profile, calendar: try F.calendar())
        return (deadlines, TimerPlanner(deadlines))
    }

    /// A pingshan normal complaint accepted 2025-03-10 09:15 and dispatched at 10:00.
    private func complaint(
        _ profile: RuleProfile, kind: TicketKind = .complaint, urgency: Urgency = .normal, channel: Channel = .hotline,
        dispatched: String = "2025-03-10T10:00:00"
    ) throws -> AssignmentClock {
        let (planner, _) = try planners(profile)
        let facts = DeadlinePlanner.TicketFacts(kind: kind, urgency: urgency, channel: channel, acceptedAt: F.at("2025-03-10T09:15:00"))
        let deadlines = try planner.plan(ticket: facts, dispatchedAt: F.at(dispatched))
        return AssignmentClock(
            assignmentID: "PS-20250310-000001-CG", ticketNo: "PS-20250310-000001", unit: "CG", role: .sole, kind: kind,
            urgency: urgency, channel: channel, acceptedAt: facts.acceptedAt, itemWorkingDays: nil,
            dispatchedAt: F.at(dispatched), deadlines: deadlines, profile: profile)
    }

    private func table(_ timers: [TimerSpec]) -> [String] {
        timers.map { "\($0.purpose) \(F.local($0.dueAt))" + ($0.daysOverdue.map { " d\($0)" } ?? "") }
    }

    func testPingshanComplaintTimers() throws {
        let profile = try RuleProfiles.pingshan()
        let (_, timers) = try planners(profile)
        let clock = try complaint(profile)
        XCTAssertEqual(table(clock.timers(timers, now: F.at("2025-03-10T10:00:01"))), [
            // sign: 3 working hours from 10:00 → 15:00; 75 % is 2 h 15 min of working time (lunch skipped),
            // one working hour before is 14:00.
            "sign.warning.1 2025-03-10T14:00:00",
            "sign.warning.2 2025-03-10T14:15:00",
            "sign.breach 2025-03-10T15:00:00 d0",
            // acceptance notice: 1 wd, counted from the dispatch until the unit signs; 75 % of 13 working
            // hours is 9 h 45 min.
            "notify.warning.1 2025-03-11T14:45:00",
            "notify.warning.2 2025-03-11T17:00:00",
            "notify.breach 2025-03-11T18:00:00 d0",
            // resolve: 7 wd → 03-19 18:00; 75 % of the 55 working hours is 03-18 09:15.
            "resolve.warning.1 2025-03-18T09:15:00",
            "resolve.warning.2 2025-03-19T17:00:00",
            "resolve.breach 2025-03-19T18:00:00 d0",
            "resolve.overdue 2025-03-20T18:00:00 d1",
        ])
    }

    func testUrgentTicketHasFeedbackAndClockTimeWarnings() throws {
        let profile = try RuleProfiles.pingshan()
        let (_, timers) = try planners(profile)
        let clock = try complaint(profile, urgency: .urgent)
        let feedback = clock.timers(timers, now: F.at("2025-03-10T10:00:01")).filter { $0.deadline == .feedback }
        // 2 hours of clock time: 75 % at 11:30, "1 working hour before" becomes one clock hour.
        XCTAssertEqual(table(feedback), [
            "feedback.warning.1 2025-03-10T11:00:00",
            "feedback.warning.2 2025-03-10T11:30:00",
            "feedback.breach 2025-03-10T12:00:00 d0",
        ])
    }

    func testDispatchClockTimers() throws {
        let profile = try RuleProfiles.pingshan()
        let (planner, timers) = try planners(profile)
        var clock = DispatchClock(ticketNo: "PS-20250310-000001")
        try clock.accept(urgency: .urgent, acceptedAt: F.at("2025-03-10T09:15:00"), planner: planner)
        XCTAssertEqual(table(clock.timers(timers, now: F.at("2025-03-10T09:15:00"))), [
            "dispatch.warning.1 2025-03-10T09:37:30",
            "dispatch.breach 2025-03-10T09:45:00 d0",
        ], "30 minutes: 75 % at 22.5 min; one hour before lies before the start")
        clock.dispatchedAt = F.at("2025-03-10T09:20:00")
        XCTAssertEqual(clock.timers(timers, now: F.at("2025-03-10T09:20:00")), [])
    }

    func testSigningEndsTheSignTimersAndTheRowGivesTheNoticeDeadline() throws {
        let profile = try RuleProfiles.pingshan()
        let (planner, timers) = try planners(profile)
        var clock = try complaint(profile)
        let planned = clock.deadlines
        clock.sign(at: F.at("2025-03-11T09:30:00"), profile: profile)
        XCTAssertEqual(clock.deadlines, planned, "the clock plans no deadline")
        let purposes = clock.timers(timers, now: F.at("2025-03-11T09:30:00")).map(\.purpose)
        XCTAssertFalse(purposes.contains { $0.hasPrefix("sign.") })
        // The dispatcher's row re-planned the notice from the signing.
        let signed = try planner.afterSigning(
            planned, ticket: clock.facts, dispatchedAt: clock.dispatchedAt, signedAt: F.at("2025-03-11T09:30:00"),
            returnAllowed: true)
        clock.absorb(AssignmentSnapshot(state: .signed, deadlines: signed), now: F.at("2025-03-11T09:30:00"))
        XCTAssertEqual(F.local(clock.deadlines.notifyBy), "2025-03-12T18:00:00", "1 wd after the signing")
        XCTAssertTrue(clock.timers(timers, now: F.at("2025-03-11T09:30:00")).contains {
            $0.purpose == "notify.breach" && F.local($0.dueAt) == "2025-03-12T18:00:00"
        })
        clock.notify(stage: .acceptance, at: F.at("2025-03-11T10:00:00"))
        XCTAssertFalse(clock.timers(timers, now: F.at("2025-03-11T10:00:00")).contains { $0.deadline == .notify })
    }

    func testDayeStartsTheResolvePeriodAtSigning() throws {
        let profile = try RuleProfiles.daye()
        var clock = try complaint(profile)
        let planned = clock.deadlines
        clock.sign(at: F.at("2025-03-12T11:00:00"), profile: profile)
        XCTAssertEqual(clock.resolveStart, F.at("2025-03-12T11:00:00"), "the warnings count from the signing (DY (8))")
        XCTAssertEqual(clock.deadlines, planned, "the resolve deadline comes from the dispatcher's row")
        var pingshan = try complaint(try RuleProfiles.pingshan())
        pingshan.sign(at: F.at("2025-03-12T11:00:00"), profile: try RuleProfiles.pingshan())
        XCTAssertEqual(pingshan.resolveStart, F.at("2025-03-10T10:00:00"), "pingshan counts handling from receipt")
    }

    func testReturnUnderReviewStopsTheClockAndADenialResumesItOnTheRowsDeadlines() throws {
        let profile = try RuleProfiles.pingshan()
        let (planner, timers) = try planners(profile)
        var clock = try complaint(profile)
        clock.sign(at: F.at("2025-03-10T10:30:00"), profile: profile)
        clock.requestReturn(at: F.at("2025-03-11T10:00:00"), profile: profile)
        XCTAssertEqual(clock.timers(timers, now: F.at("2025-03-11T10:00:00")), [], "no timer runs under review")
        let planned = clock.deadlines
        clock.denyReturn()
        XCTAssertEqual(clock.deadlines, planned, "the clock moves no deadline")
        // The dispatcher moved the row's unmet deadlines: 4 working hours under review (10-12, 14-16)
        // move 03-19 18:00 to 03-20 15:00.
        let (moved, _) = try planner.afterDeniedReturn(
            planned, met: [.sign], ticket: clock.facts, reviewStartedAt: F.at("2025-03-11T10:00:00"),
            decidedAt: F.at("2025-03-11T16:00:00"))
        clock.absorb(AssignmentSnapshot(state: .signed, deadlines: moved), now: F.at("2025-03-11T16:00:00"))
        XCTAssertEqual(F.local(clock.deadlines.resolveBy), "2025-03-20T15:00:00")
        XCTAssertTrue(clock.timers(timers, now: F.at("2025-03-11T16:00:00")).contains {
            $0.purpose == "resolve.breach" && F.local($0.dueAt) == "2025-03-20T15:00:00"
        })
    }

    func testADeniedReturnOfAFollowUpTakesTheRowsFollowUpDate() throws {
        let profile = try RuleProfiles.pingshan()
        let (_, timers) = try planners(profile)
        var clock = try complaint(profile)
        clock.stageResolve(at: F.at("2025-03-14T16:00:00"), followUpBy: F.at("2025-04-14T18:00:00"))
        clock.absorb(AssignmentSnapshot(state: .stageResolved, followUpBy: F.at("2025-04-14T22:00:00")), now: Date())
        XCTAssertEqual(clock.followUpBy.map(F.local), "2025-04-14T22:00:00")
        XCTAssertTrue(clock.timers(timers, now: F.at("2025-03-15T10:00:00")).contains {
            $0.purpose == "follow_up.breach" && F.local($0.dueAt) == "2025-04-14T22:00:00"
        })
        // A row's follow-up date never starts a follow-up the clock has not seen (ticket.stage-resolved).
        var unstaged = try complaint(profile)
        unstaged.absorb(AssignmentSnapshot(state: .signed, followUpBy: F.at("2025-04-14T22:00:00")), now: Date())
        XCTAssertNil(unstaged.followUpBy)
    }

    func testApprovedReturnEndsTheAssignment() throws {
        let profile = try RuleProfiles.pingshan()
        let (_, timers) = try planners(profile)
        var clock = try complaint(profile)
        clock.requestReturn(at: F.at("2025-03-10T11:00:00"), profile: profile)
        clock.end(at: F.at("2025-03-10T15:00:00"), reason: "returned")
        XCTAssertEqual(clock.timers(timers, now: F.at("2025-03-10T15:00:00")), [])
    }

    func testExtensionMovesTheResolveTimers() throws {
        let profile = try RuleProfiles.pingshan()
        let (planner, timers) = try planners(profile)
        var clock = try complaint(profile)
        try clock.extend(workingDays: 5, planner: planner)
        XCTAssertEqual(F.local(clock.deadlines.resolveBy), "2025-03-26T18:00:00")
        XCTAssertTrue(clock.isExtended)
        let resolve = clock.timers(timers, now: F.at("2025-03-14T10:00:00")).filter { $0.deadline == .resolve }
        XCTAssertEqual(resolve.first { $0.action == .breach }.map { F.local($0.dueAt) }, "2025-03-26T18:00:00")
    }

    func testResolutionReviewSuspendsAndARejectionChangesNothing() throws {
        let profile = try RuleProfiles.pingshan()
        let (_, timers) = try planners(profile)
        var clock = try complaint(profile, urgency: .fast)
        clock.sign(at: F.at("2025-03-10T10:30:00"), profile: profile)
        let before = clock.timers(timers, now: F.at("2025-03-12T10:00:00"))
        clock.submitResolution(at: F.at("2025-03-12T10:00:00"))
        let during = clock.timers(timers, now: F.at("2025-03-12T10:00:00"))
        XCTAssertFalse(during.contains { $0.deadline == .resolve || $0.deadline == .feedback })
        clock.rejectResolution()
        XCTAssertEqual(clock.timers(timers, now: F.at("2025-03-12T10:00:00")), before, "the deadline is neither paused nor reset")
    }

    func testStageResolutionGetsItsFollowUpDate() throws {
        let profile = try RuleProfiles.pingshan()
        let (_, timers) = try planners(profile)
        var clock = try complaint(profile)
        clock.notify(stage: .acceptance, at: F.at("2025-03-10T11:00:00"))
        clock.signedAt = F.at("2025-03-10T10:10:00")
        clock.submitResolution(at: F.at("2025-03-14T10:00:00"))
        clock.stageResolve(at: F.at("2025-03-14T16:00:00"), followUpBy: F.at("2025-04-14T18:00:00"))
        let planned = clock.timers(timers, now: F.at("2025-03-14T16:00:00"))
        XCTAssertEqual(Set(planned.map(\.deadline)), [.followUp])
        XCTAssertEqual(planned.first { $0.action == .breach }.map { F.local($0.dueAt) }, "2025-04-14T18:00:00")
        XCTAssertEqual(planned.first { $0.action == .overdue }.map { F.local($0.dueAt) }, "2025-04-15T18:00:00")
    }

    func testReopenTakesTheDispatchersDeadlinesAndStartsAfresh() throws {
        let profile = try RuleProfiles.pingshan()
        let (planner, timers) = try planners(profile)
        var clock = try complaint(profile)
        clock.stageResolve(at: F.at("2025-03-14T16:00:00"), followUpBy: F.at("2025-04-14T18:00:00"))
        clock.end(at: F.at("2025-03-18T10:00:00"), reason: "resolved")
        XCTAssertEqual(clock.timers(timers, now: F.at("2025-03-31T10:00:00")), [])
        let reopenedAt = F.at("2025-04-01T10:00:00")
        let deadlines = try planner.afterReopen(clock.deadlines, kind: .complaint, reopenedAt: reopenedAt)
        clock.reopen(at: reopenedAt, deadlines: deadlines)
        XCTAssertEqual(clock.deadlines, deadlines)
        XCTAssertEqual(F.local(clock.deadlines.resolveBy), "2025-04-11T18:00:00", "the original 7 wd again (Qingming 04-04 off)")
        XCTAssertEqual(clock.resolveStart, reopenedAt)
        XCTAssertEqual(clock.signedAt, reopenedAt, "never signed: the reopening counts as the signing")
        XCTAssertFalse(clock.hasEnded)
        XCTAssertNil(clock.followUpBy, "the follow-up ended")
        let planned = clock.timers(timers, now: reopenedAt)
        XCTAssertTrue(planned.contains { $0.purpose == "resolve.breach" && F.local($0.dueAt) == "2025-04-11T18:00:00" })
        XCTAssertFalse(planned.contains { $0.deadline == .followUp })
    }

    func testOverdueTickLandsOnTheNextWholeDay() {
        let deadline = F.at("2025-03-19T18:00:00")
        XCTAssertEqual(OverdueDays.nextTick(deadline: deadline, now: F.at("2025-03-19T10:00:00")).days, 1)
        let late = OverdueDays.nextTick(deadline: deadline, now: F.at("2025-03-21T20:00:00"))
        XCTAssertEqual(late.days, 3)
        XCTAssertEqual(F.local(late.dueAt), "2025-03-22T18:00:00")
        XCTAssertEqual(OverdueDays.whole(since: deadline, now: F.at("2025-03-22T18:00:00")), 3)
        XCTAssertEqual(OverdueDays.whole(since: deadline, now: F.at("2025-03-19T17:00:00")), 0)
    }

    func testRowOfTheDispatcherWins() throws {
        let profile = try RuleProfiles.pingshan()
        var clock = try complaint(profile, urgency: .fast)
        var moved = clock.deadlines
        moved.resolveBy = F.at("2025-03-21T18:00:00")
        clock.absorb(
            AssignmentSnapshot(
                state: .signed, deadlines: moved, signedAt: F.at("2025-03-10T11:00:00"),
                notifiedAt: F.at("2025-03-10T11:30:00"), feedbackAt: F.at("2025-03-10T12:00:00")),
            now: Date())
        XCTAssertEqual(clock.deadlines.resolveBy, F.at("2025-03-21T18:00:00"))
        XCTAssertEqual(clock.signedAt, F.at("2025-03-10T11:00:00"))
        XCTAssertEqual(clock.notifiedAt, F.at("2025-03-10T11:30:00"))
        XCTAssertEqual(clock.feedbackAt, F.at("2025-03-10T12:00:00"), "the progress notice ends the feedback deadline")
        XCTAssertEqual(
            Set(clock.timers(TimerPlanner(profile: profile, calendar: try F.calendar()), now: F.at("2025-03-10T12:00:00"))
                .map(\.deadline)),
            [.resolve])
        XCTAssertFalse(clock.hasEnded)
        clock.absorb(AssignmentSnapshot(state: .cancelled, endedAt: F.at("2025-03-10T12:00:00")), now: Date())
        XCTAssertEqual(clock.endReason, "cancelled")
    }

    func testRowWithoutTheLatestExtensionKeepsTheClocksResolveDeadline() throws {
        let profile = try RuleProfiles.pingshan()
        var clock = try complaint(profile)
        let planner = DeadlinePlanner(profile: profile, calendar: try F.calendar())
        let before = clock.deadlines
        try clock.extend(workingDays: 2, planner: planner)
        let extended = clock.deadlines.resolveBy
        XCTAssertGreaterThan(extended, before.resolveBy)
        // The dispatcher has not applied assignment.extended yet: its row still has the old deadline.
        var stale = before
        stale.notifyBy = F.at("2025-03-11T18:00:00")
        clock.absorb(AssignmentSnapshot(state: .signed, deadlines: stale, extensions: 0), now: Date())
        XCTAssertEqual(clock.deadlines.resolveBy, extended, "the extension stands")
        XCTAssertEqual(clock.deadlines.notifyBy, F.at("2025-03-11T18:00:00"), "the row's other deadlines are taken")
        // Once it has, the row wins again.
        var later = clock.deadlines
        later.resolveBy = extended.addingTimeInterval(3600)
        clock.absorb(AssignmentSnapshot(state: .signed, deadlines: later, extensions: 1), now: Date())
        XCTAssertEqual(clock.deadlines.resolveBy, extended.addingTimeInterval(3600))
    }
}
