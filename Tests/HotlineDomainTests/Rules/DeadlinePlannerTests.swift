import Foundation
import XCTest

@testable import HotlineDomain

final class DeadlinePlannerTests: XCTestCase {
    private typealias F = CalendarFixtures

    private func planner(_ profile: RuleProfile) throws -> DeadlinePlanner {
        DeadlinePlanner(profile: profile, calendar: try F.calendar())
    }

    private func facts(_ kind: TicketKind, _ urgency: Urgency, _ channel: Channel = .hotline, accepted: String)
        -> DeadlinePlanner.TicketFacts
    {
        DeadlinePlanner.TicketFacts(kind: kind, urgency: urgency, channel: channel, acceptedAt: F.at(accepted))
    }

    func testPingshanNormalComplaint() throws {
        let p = try planner(RuleProfiles.pingshan())
        let d = try p.plan(
            ticket: facts(.complaint, .normal, accepted: "2025-03-10T09:15:00"), dispatchedAt: F.at("2025-03-10T10:00:00"))
        XCTAssertEqual(d.dispatchBy.map(F.local), "2025-03-10T11:15:00")
        XCTAssertEqual(F.local(d.signBy), "2025-03-10T15:00:00")
        XCTAssertEqual(F.local(d.notifyBy), "2025-03-11T18:00:00")
        XCTAssertNil(d.feedbackBy)
        XCTAssertEqual(F.local(d.resolveBy), "2025-03-19T18:00:00")
        XCTAssertEqual(d.returnBy.map(F.local), "2025-03-11T18:00:00")
        XCTAssertTrue(p.extensionAllowed(channel: .hotline, urgency: .normal))
    }

    /// PS §11(一): a demand the national or provincial platform assigned follows that platform's deadline,
    /// less pingshan's margin of one working day, even where it is longer than the district's limit.
    func testASuperiorPlatformsDeadlineReplacesTheProfilesLimit() throws {
        let p = try planner(RuleProfiles.pingshan())
        var national = facts(.complaint, .normal, .national, accepted: "2025-03-10T09:15:00")
        national.superiorResolveBy = F.at("2025-03-28T16:00:00")
        let d = try p.plan(ticket: national, dispatchedAt: F.at("2025-03-10T10:00:00"))
        XCTAssertEqual(F.local(d.resolveBy), "2025-03-27T16:00:00", "one working day before the platform's, not 7 wd")
        national.superiorResolveBy = F.at("2025-03-10T15:00:00")
        XCTAssertEqual(
            F.local(try p.plan(ticket: national, dispatchedAt: F.at("2025-03-10T10:00:00")).resolveBy), "2025-03-10T15:00:00",
            "no time for the margin: the platform's own")
        national.superiorResolveBy = F.at("2025-03-28T16:00:00")
        XCTAssertEqual(
            F.local(try planner(RuleProfiles.pingli()).plan(ticket: national, dispatchedAt: F.at("2025-03-10T10:00:00")).resolveBy),
            F.local(try planner(RuleProfiles.pingli()).plan(
                ticket: facts(.complaint, .normal, .national, accepted: "2025-03-10T09:15:00"), dispatchedAt: F.at("2025-03-10T10:00:00")
            ).resolveBy),
            "pingli's text has no such rule: its own limits")
    }

    /// PS §9: a clear case is dispatched within 1 hour, when that comes before the urgency's limit.
    func testAClearCaseIsDispatchedWithinAnHour() throws {
        let p = try planner(RuleProfiles.pingshan())
        var normal = facts(.complaint, .normal, accepted: "2025-03-10T09:15:00")
        normal.clearCase = true
        let d = try p.plan(ticket: normal, dispatchedAt: F.at("2025-03-10T09:20:00"))
        XCTAssertEqual(d.dispatchBy.map(F.local), "2025-03-10T10:15:00", "1 h, not the normal 2 h")
        XCTAssertEqual(
            try p.dispatchBy(urgency: .urgent, acceptedAt: F.at("2025-03-10T09:15:00"), clearCase: true).map(F.local),
            "2025-03-10T09:45:00", "an urgent clear case keeps its 30 minutes")
        XCTAssertEqual(
            try p.dispatchBy(urgency: .normal, acceptedAt: F.at("2025-03-10T09:15:00")).map(F.local), "2025-03-10T11:15:00")
        var clock = DispatchClock(ticketNo: "PS-1")
        try clock.accept(urgency: .normal, acceptedAt: F.at("2025-03-10T09:15:00"), clearCase: true, planner: p)
        XCTAssertEqual(clock.dispatchBy.map(F.local), "2025-03-10T10:15:00")
    }

    func testPingshanUrgentConsultationFromTheNationalPlatform() throws {
        let p = try planner(RuleProfiles.pingshan())
        let d = try p.plan(
            ticket: facts(.consultation, .urgent, .national, accepted: "2025-03-10T16:40:00"),
            dispatchedAt: F.at("2025-03-10T17:05:00"))
        XCTAssertEqual(d.dispatchBy.map(F.local), "2025-03-10T17:10:00")
        XCTAssertEqual(F.local(d.signBy), "2025-03-11T10:05:00")
        XCTAssertEqual(d.feedbackBy.map(F.local), "2025-03-10T19:05:00")
        XCTAssertEqual(F.local(d.resolveBy), "2025-03-11T18:00:00")
        XCTAssertEqual(d.returnBy.map(F.local), "2025-03-10T19:05:00", "2 h for national tickets")
        XCTAssertFalse(p.extensionAllowed(channel: .national, urgency: .urgent))
    }

    func testPingshanFastComplaintAcrossSpringFestival2025() throws {
        let p = try planner(RuleProfiles.pingshan())
        let d = try p.plan(
            ticket: facts(.complaint, .fast, accepted: "2025-01-24T15:30:00"), dispatchedAt: F.at("2025-01-24T16:00:00"))
        XCTAssertEqual(d.dispatchBy.map(F.local), "2025-01-24T16:30:00")
        XCTAssertEqual(F.local(d.signBy), "2025-01-26T10:00:00")
        XCTAssertEqual(d.feedbackBy.map(F.local), "2025-01-25T16:00:00", "24 h of clock time")
        XCTAssertEqual(F.local(d.resolveBy), "2025-02-10T18:00:00")
        XCTAssertEqual(F.local(d.notifyBy), "2025-01-26T18:00:00")
    }

    func testCatalogueOverrideSignedAtAndNoReturn() throws {
        let p = try planner(RuleProfiles.pingshan())
        let d = try p.plan(
            ticket: facts(.complaint, .normal, accepted: "2025-03-10T09:15:00"), dispatchedAt: F.at("2025-03-10T10:00:00"),
            itemWorkingDays: 2, signedAt: F.at("2025-03-11T09:30:00"), returnAllowed: false)
        XCTAssertEqual(F.local(d.resolveBy), "2025-03-12T18:00:00")
        XCTAssertEqual(F.local(d.notifyBy), "2025-03-12T18:00:00", "1 wd after the signing")
        XCTAssertNil(d.returnBy)
    }

    func testPingliPlans() throws {
        let p = try planner(RuleProfiles.pingli())
        let normal = try p.plan(
            ticket: facts(.complaint, .normal, accepted: "2025-03-10T09:00:00"), dispatchedAt: F.at("2025-03-10T10:00:00"))
        XCTAssertEqual(F.local(normal.signBy), "2025-03-11T10:00:00", "24 h of clock time")
        XCTAssertEqual(F.local(normal.resolveBy), "2025-03-17T18:00:00")
        XCTAssertEqual(normal.returnBy.map(F.local), "2025-03-12T18:00:00")
        let consultation = try p.plan(
            ticket: facts(.consultation, .normal, accepted: "2025-03-10T09:00:00"), dispatchedAt: F.at("2025-03-10T10:00:00"))
        XCTAssertEqual(F.local(consultation.resolveBy), "2025-03-12T18:00:00")
        let urgent = try p.plan(
            ticket: facts(.complaint, .urgent, accepted: "2025-03-10T09:50:00"), dispatchedAt: F.at("2025-03-10T10:00:00"))
        XCTAssertEqual(F.local(urgent.resolveBy), "2025-03-12T18:00:00", "emergencies finish within 2 days")
        XCTAssertEqual(urgent.feedbackBy.map(F.local), "2025-03-10T12:00:00")
        XCTAssertFalse(p.extensionAllowed(channel: .hotline, urgency: .urgent))
        XCTAssertTrue(p.extensionAllowed(channel: .hotline, urgency: .normal))
    }

    func testDayeCountsFromSigning() throws {
        let p = try planner(RuleProfiles.daye())
        let ticket = facts(.complaint, .normal, accepted: "2025-03-14T16:00:00")
        let unsigned = try p.plan(ticket: ticket, dispatchedAt: F.at("2025-03-14T17:00:00"))
        XCTAssertEqual(F.local(unsigned.signBy), "2025-03-17T18:00:00")
        XCTAssertEqual(F.local(unsigned.resolveBy), "2025-03-21T18:00:00")
        XCTAssertEqual(unsigned.returnBy.map(F.local), "2025-03-18T18:00:00")
        let signed = try p.plan(
            ticket: ticket, dispatchedAt: F.at("2025-03-14T17:00:00"), signedAt: F.at("2025-03-17T11:00:00"))
        XCTAssertEqual(F.local(signed.resolveBy), "2025-03-24T18:00:00")
        XCTAssertEqual(F.local(signed.notifyBy), "2025-03-18T18:00:00")
    }

    func testRehandlingLimits() throws {
        let reopened = F.at("2025-09-30T10:00:00")
        XCTAssertEqual(
            F.local(try planner(RuleProfiles.pingshan()).rehandlingResolveBy(kind: .complaint, reopenedAt: reopened)),
            "2025-10-16T18:00:00")
        XCTAssertEqual(
            F.local(try planner(RuleProfiles.pingli()).rehandlingResolveBy(kind: .complaint, reopenedAt: reopened)),
            "2025-10-14T18:00:00")
        XCTAssertEqual(
            F.local(try planner(RuleProfiles.daye()).rehandlingResolveBy(kind: .consultation, reopenedAt: reopened)),
            "2025-10-14T18:00:00")
    }

    func testPlanningThrowsWhenTheYearIsNotCovered() throws {
        let p = try planner(RuleProfiles.pingshan())
        XCTAssertThrowsError(
            try p.plan(
                ticket: facts(.complaint, .normal, accepted: "2026-12-28T09:00:00"), dispatchedAt: F.at("2026-12-28T10:00:00"))
        ) { XCTAssertEqual($0 as? CalendarError, .yearNotCovered(2027)) }
    }

    func testMissingLimitIsAPlanningError() throws {
        var profile = try RuleProfiles.pingshan()
        profile.sign.within = PerKind(complaint: .workingHours(3))
        let p = try planner(profile)
        XCTAssertThrowsError(
            try p.plan(
                ticket: facts(.suggestion, .normal, accepted: "2025-03-10T09:00:00"), dispatchedAt: F.at("2025-03-10T10:00:00"))
        ) { XCTAssertNotNil($0 as? DeadlinePlanner.PlanningError) }
    }

    func testPingshanExtensions() throws {
        let p = try planner(RuleProfiles.pingshan())
        let ticket = facts(.complaint, .normal, accepted: "2025-03-10T09:15:00")
        let signed = F.at("2025-03-10T11:00:00"), resolveBy = F.at("2025-03-19T18:00:00")
        func check(_ days: Int, at: String, ticket t: DeadlinePlanner.TicketFacts? = nil, count: Int = 0) throws
            -> ExtensionRules.Verdict
        {
            try p.checkExtension(
                ticket: t ?? ticket, requestedWorkingDays: days, requestedAt: F.at(at), signedAt: signed,
                resolveBy: resolveBy, grantedCount: count, grantedWorkingDays: 0)
        }
        XCTAssertEqual(try check(5, at: "2025-03-12T10:00:00"), .refused(.tooEarly, maximum: nil))
        XCTAssertEqual(try check(5, at: "2025-03-13T17:59:00"), .refused(.tooEarly, maximum: nil))
        XCTAssertEqual(try check(5, at: "2025-03-14T10:00:00"), .grantable(workingDays: 5))
        XCTAssertEqual(try check(6, at: "2025-03-14T10:00:00"), .refused(.exceedsLimit, maximum: 5))
        XCTAssertEqual(try check(1, at: "2025-03-14T10:00:00", count: 1), .refused(.countExhausted, maximum: 1))
        XCTAssertEqual(try check(1, at: "2025-03-20T10:00:00"), .refused(.late, maximum: nil))
        XCTAssertEqual(try check(0, at: "2025-03-14T10:00:00"), .refused(.invalidAmount, maximum: nil))
        let national = facts(.complaint, .normal, .provincial, accepted: "2025-03-10T09:15:00")
        XCTAssertEqual(try check(1, at: "2025-03-14T10:00:00", ticket: national), .refused(.notExtendable, maximum: nil))
        let consultation = facts(.consultation, .normal, accepted: "2025-03-10T09:15:00")
        XCTAssertEqual(try check(2, at: "2025-03-10T15:00:00", ticket: consultation), .refused(.exceedsLimit, maximum: 1))
        XCTAssertEqual(try check(1, at: "2025-03-10T15:00:00", ticket: consultation), .grantable(workingDays: 1))
        XCTAssertEqual(F.local(try p.extendedResolveBy(resolveBy, workingDays: 5)), "2025-03-26T18:00:00")
        XCTAssertEqual(ExtensionRules.Refusal.late.rejectionReason, "too_late")
    }

    func testPingliAndDayeExtensions() throws {
        let pl = try planner(RuleProfiles.pingli())
        let ticket = facts(.complaint, .normal, accepted: "2025-03-10T09:15:00")
        let resolveBy = F.at("2025-03-17T18:00:00")
        func pingli(_ t: DeadlinePlanner.TicketFacts, count: Int) throws -> ExtensionRules.Verdict {
            try pl.checkExtension(
                ticket: t, requestedWorkingDays: 1, requestedAt: F.at("2025-03-12T10:00:00"), signedAt: nil,
                resolveBy: resolveBy, grantedCount: count, grantedWorkingDays: 5 * count)
        }
        XCTAssertEqual(try pingli(ticket, count: 0), .grantable(workingDays: 5), "each extension as long as the limit")
        XCTAssertEqual(try pingli(ticket, count: 1), .grantable(workingDays: 5))
        XCTAssertEqual(try pingli(ticket, count: 2), .refused(.countExhausted, maximum: 2))
        let urgent = facts(.complaint, .urgent, accepted: "2025-03-10T09:15:00")
        XCTAssertEqual(try pingli(urgent, count: 0), .refused(.notExtendable, maximum: nil))

        let dy = try planner(RuleProfiles.daye())
        func daye(_ days: Int, granted: Int) throws -> ExtensionRules.Verdict {
            try dy.checkExtension(
                ticket: ticket, requestedWorkingDays: days, requestedAt: F.at("2025-03-12T10:00:00"),
                signedAt: F.at("2025-03-10T10:00:00"), resolveBy: resolveBy, grantedCount: 3, grantedWorkingDays: granted)
        }
        XCTAssertEqual(try daye(10, granted: 20), .refused(.exceedsLimit, maximum: 5))
        XCTAssertEqual(try daye(5, granted: 20), .grantable(workingDays: 5))
        XCTAssertEqual(try daye(1, granted: 25), .refused(.exceedsLimit, maximum: 0))
    }

    func testReturnScreening() throws {
        let rules = try RuleProfiles.pingshan().returns
        let returnBy = F.at("2025-03-11T18:00:00")
        func screen(
            _ code: String = "not_our_duty", basis: String? = "《职责清单》第3条", at: String = "2025-03-11T10:00:00",
            allowed: Bool = true, extended: Bool = false, denied: Bool = false, rules r: ReturnRules? = nil
        ) -> ReturnRules.Screening {
            (r ?? rules).screen(
                reasonCode: code, reason: "不属于本单位职责", basis: basis, requestedAt: F.at(at), returnBy: returnBy,
                returnAllowed: allowed, extended: extended, deniedBefore: denied)
        }
        XCTAssertEqual(screen(), .review(late: false))
        XCTAssertEqual(screen("cannot_contact"), .refused(.reasonRefused))
        XCTAssertEqual(screen("partial_mismatch"), .refused(.reasonRefused))
        XCTAssertEqual(screen(basis: " "), .refused(.missingReasonOrBasis))
        XCTAssertEqual(screen(at: "2025-03-12T09:00:00"), .refused(.late))
        XCTAssertEqual(screen(extended: true), .refused(.extended))
        XCTAssertEqual(screen(allowed: false), .refused(.returnNotAllowed))
        XCTAssertEqual(screen(denied: true), .refused(.deniedBefore))
        var lenient = rules
        lenient.lateRequests = .overdueReturn
        XCTAssertEqual(screen(at: "2025-03-12T09:00:00", rules: lenient), .review(late: true))
        XCTAssertEqual(ReturnRules.Refusal.late.rejectionReason, "too_late")
        XCTAssertEqual(ReturnRules.Refusal.returnNotAllowed.rejectionReason, "not_allowed")
    }

    func testWarningPoints() throws {
        let p = try planner(RuleProfiles.pingshan())
        let working = try p.warningPoints(
            start: F.at("2025-03-10T10:00:00"), deadline: F.at("2025-03-11T18:00:00"), limit: .workingDays(1))
        XCTAssertEqual(working.map(F.local), ["2025-03-11T14:45:00", "2025-03-11T17:00:00"])
        let clock = try p.warningPoints(
            start: F.at("2025-03-10T10:00:00"), deadline: F.at("2025-03-10T10:30:00"), limit: .minutes(30))
        XCTAssertEqual(clock.map(F.local), ["2025-03-10T10:22:30"])
        let feedback = try p.warningPoints(
            start: F.at("2025-03-10T10:00:00"), deadline: F.at("2025-03-11T10:00:00"), limit: .hours(24))
        XCTAssertEqual(feedback.map(F.local), ["2025-03-11T04:00:00", "2025-03-11T09:00:00"])
    }

    func testDeadlinesEncodeAsTheContractObject() throws {
        let d = AssignmentDeadlines(
            signBy: F.at("2025-03-10T15:00:00"), notifyBy: F.at("2025-03-11T18:00:00"),
            resolveBy: F.at("2025-03-19T18:00:00"))
        let json = String(decoding: try HotlineJSON.encode(d), as: UTF8.self)
        XCTAssertEqual(
            json,
            #"{"notify_by":"2025-03-11T18:00:00+08:00","resolve_by":"2025-03-19T18:00:00+08:00","sign_by":"2025-03-10T15:00:00+08:00"}"#)
        XCTAssertEqual(try HotlineJSON.decode(AssignmentDeadlines.self, from: Data(json.utf8)), d)
    }
}
