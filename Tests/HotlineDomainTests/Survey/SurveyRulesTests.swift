import Foundation
import XCTest

@testable import HotlineDomain

/// The survey form and outcomes of each profile (docs/rules.md "Survey"; PS §20(一), PL §17-20, DY (10)-(11)).
final class SurveyRulesTests: XCTestCase {
    private func response(
        _ ratings: JSONValue, solved: Bool? = nil, contacted: Bool? = nil, wants: Bool? = nil, comment: String? = nil
    ) -> SurveyResponse {
        SurveyResponse(
            surveyID: "SV-1", ticketNo: "PS-20261123-000001", ratings: ratings, solved: solved, contacted: contacted,
            wantsRehandling: wants, comment: comment)
    }

    private func stars(_ speed: Int, _ effect: Int, _ experience: Int, _ feedback: Int) -> JSONValue {
        .object([
            "speed": .number(Double(speed)), "effect": .number(Double(effect)),
            "experience": .number(Double(experience)), "feedback": .number(Double(feedback)),
        ])
    }

    private func answer(_ r: SurveyResponse, _ rules: SurveyRules, file: StaticString = #filePath, line: UInt = #line) throws -> SurveyAnswer {
        switch SurveyAnswer.validate(r, rules: rules) {
        case .success(let answer): return answer
        case .failure(let problems):
            XCTFail("unexpected problems: \(problems)", file: file, line: line)
            throw problems
        }
    }

    private func problems(_ r: SurveyResponse, _ rules: SurveyRules) -> [String] {
        guard case .failure(let problems) = SurveyAnswer.validate(r, rules: rules) else { return [] }
        return problems.problems.map(\.field)
    }

    // MARK: - pingshan: four 1-5 star ratings

    func testPingshanStarsAreValidatedListingEveryProblem() throws {
        let rules = try RuleProfiles.pingshan().survey
        let ok = try answer(response(stars(5, 4, 5, 3)), rules)
        XCTAssertEqual(ok.stars, ["speed": 5, "effect": 4, "experience": 5, "feedback": 3])
        XCTAssertTrue(ok.satisfied)
        XCTAssertFalse(ok.dissatisfied)

        let bad = response(.object([
            "speed": .number(0), "effect": .number(4.5), "experience": .string("5"), "feedback_quality": .number(5),
        ]))
        XCTAssertEqual(
            problems(bad, rules), ["ratings.speed", "ratings.effect", "ratings.experience", "ratings.feedback", "ratings.feedback_quality"])
        guard case .failure(let all) = SurveyAnswer.validate(bad, rules: rules) else { return XCTFail() }
        XCTAssertTrue(all.description.contains("ratings.feedback: required"), all.description)
        XCTAssertTrue(all.description.contains("from 1 to 5"), all.description)
        XCTAssertEqual(problems(response(.string("satisfied")), rules), ["ratings"])
        XCTAssertEqual(problems(response(stars(6, 5, 5, 5)), rules), ["ratings.speed"])
        XCTAssertEqual(
            problems(response(stars(5, 5, 5, 5), comment: String(repeating: "好", count: 2001)), rules), ["comment"])
    }

    func testPingshanLowEffectOrFeedbackOrARequestSendsTheTicketBackEveryTime() throws {
        let rules = try RuleProfiles.pingshan().survey
        let lowEffect = try answer(response(stars(5, 2, 5, 5)), rules)
        var verdict = SurveyVerdict.decide(lowEffect, rules: rules, round: 1, rehandlingsDone: 0)
        XCTAssertTrue(verdict.rehandle)
        XCTAssertEqual(verdict.reason, "low_rating")
        XCTAssertFalse(verdict.satisfied)
        XCTAssertFalse(verdict.centerCallback)

        let lowFeedback = try answer(response(stars(5, 5, 5, 1)), rules)
        verdict = SurveyVerdict.decide(lowFeedback, rules: rules, round: 3, rehandlingsDone: 2)
        XCTAssertTrue(verdict.rehandle, "pingshan sets no limit on re-handlings")
        XCTAssertFalse(verdict.final)

        // Low speed or experience alone: not a re-handling, and counted as satisfied.
        let lowSpeed = try answer(response(stars(1, 3, 1, 3)), rules)
        verdict = SurveyVerdict.decide(lowSpeed, rules: rules, round: 1, rehandlingsDone: 0)
        XCTAssertFalse(verdict.rehandle)
        XCTAssertTrue(verdict.satisfied)

        // The citizen asking for re-handling at the callback.
        let request = try answer(response(stars(5, 5, 5, 5), wants: true), rules)
        verdict = SurveyVerdict.decide(request, rules: rules, round: 1, rehandlingsDone: 0)
        XCTAssertTrue(verdict.rehandle)
        XCTAssertEqual(verdict.reason, "citizen_request")
        XCTAssertFalse(verdict.satisfied)
    }

    // MARK: - pingli: three levels, one re-handling, the second evaluation final

    func testPingshanSolvedFollowsTheEffectStarsUnlessTheCallbackAsked() throws {
        let rules = try RuleProfiles.pingshan().survey
        XCTAssertEqual(try answer(response(stars(1, 3, 1, 1)), rules).solved, true)
        XCTAssertEqual(try answer(response(stars(5, 2, 5, 5)), rules).solved, false)
        // The callback's own question (回访核实) wins.
        XCTAssertEqual(try answer(response(stars(5, 5, 5, 5), solved: false), rules).solved, false)
        // Pingli's levels say nothing about it.
        XCTAssertNil(try answer(response(.string("satisfied")), try RuleProfiles.pingli().survey).solved)
    }

    func testPingliLevelsAndTheFinalSecondEvaluation() throws {
        let rules = try RuleProfiles.pingli().survey
        let bare = try answer(response(.string("unsatisfied")), rules)
        XCTAssertEqual(bare.level, "unsatisfied")
        XCTAssertEqual(bare.ratings, .object(["satisfaction": .string("unsatisfied")]))
        let wrapped = try answer(response(.object(["satisfaction": .string("basically_satisfied")])), rules)
        XCTAssertTrue(wrapped.satisfied, "basically satisfied counts as satisfied")
        XCTAssertEqual(problems(response(.string("ok")), rules), ["ratings"])
        XCTAssertEqual(problems(response(.number(3)), rules), ["ratings"])
        XCTAssertEqual(
            problems(response(.object(["satisfaction": .string("meh"), "speed": .number(5)])), rules),
            ["ratings.speed", "ratings.satisfaction"])
        XCTAssertEqual(problems(response(.object([:])), rules), ["ratings.satisfaction"])

        let first = SurveyVerdict.decide(bare, rules: rules, round: 1, rehandlingsDone: 0)
        XCTAssertTrue(first.rehandle)
        XCTAssertEqual(first.reason, "unsatisfied")
        XCTAssertFalse(first.centerCallback)

        let second = SurveyVerdict.decide(bare, rules: rules, round: 2, rehandlingsDone: 1)
        XCTAssertFalse(second.rehandle, "the second evaluation is final")
        XCTAssertTrue(second.final)
        XCTAssertTrue(second.centerCallback, "a second unsatisfied → the center asks the citizen why")

        let satisfiedAfter = SurveyVerdict.decide(wrapped, rules: rules, round: 2, rehandlingsDone: 1)
        XCTAssertFalse(satisfiedAfter.centerCallback)
        XCTAssertTrue(satisfiedAfter.satisfied)

        // A request for re-handling alone does not re-dispatch under pingli.
        let request = try answer(response(.string("satisfied"), wants: true), rules)
        XCTAssertFalse(SurveyVerdict.decide(request, rules: rules, round: 1, rehandlingsDone: 0).rehandle)
    }

    // MARK: - daye: contacted, solved, satisfaction and trust; exclusions

    func testDayeQuestionsAreAllRequired() throws {
        let rules = try RuleProfiles.daye().survey
        let full = response(
            .object(["satisfaction": .string("satisfied"), "trust": .string("basically_satisfied")]), solved: true,
            contacted: true)
        let ok = try answer(full, rules)
        XCTAssertEqual(ok.solved, true)
        XCTAssertEqual(ok.contacted, true)
        XCTAssertTrue(ok.satisfied)
        // The two flags may also come inside ratings.
        let inside = try answer(response(.object([
            "contacted": .bool(false), "solved": .bool(false), "satisfaction": .string("unsatisfied"),
            "trust": .string("unsatisfied"),
        ])), rules)
        XCTAssertEqual(inside.contacted, false)
        XCTAssertFalse(inside.satisfied)

        XCTAssertEqual(
            problems(response(.object(["satisfaction": .string("great"), "mood": .string("x")])), rules),
            ["contacted", "solved", "ratings.satisfaction", "ratings.trust", "ratings.mood"])
        XCTAssertEqual(problems(response(.string("satisfied")), rules), ["ratings", "contacted", "solved"])

        let first = SurveyVerdict.decide(inside, rules: rules, round: 1, rehandlingsDone: 0)
        XCTAssertTrue(first.rehandle, "DY (11): an unsatisfied ticket is re-assigned in writing")
        let second = SurveyVerdict.decide(inside, rules: rules, round: 2, rehandlingsDone: 1)
        XCTAssertFalse(second.rehandle)
        XCTAssertTrue(second.final)
        XCTAssertFalse(second.centerCallback, "daye has no callback task")
    }

    func testExclusionsOnlyWhereTheProfileAllowsThemAndOnlyForAnsweredDissatisfactions() throws {
        let daye = try RuleProfiles.daye().survey
        let note = "单位申请核减，主要负责人签字盖章"
        XCTAssertNil(SurveyExclusion.check(rules: daye, status: .answered, satisfied: false, excluded: false, note: note))
        XCTAssertEqual(
            SurveyExclusion.check(rules: daye, status: .answered, satisfied: true, excluded: false, note: note)?.reason, .wrongState)
        XCTAssertEqual(
            SurveyExclusion.check(rules: daye, status: .sent, satisfied: nil, excluded: false, note: note)?.reason, .wrongState)
        XCTAssertEqual(
            SurveyExclusion.check(rules: daye, status: .expired, satisfied: nil, excluded: false, note: note)?.reason, .wrongState)
        XCTAssertEqual(
            SurveyExclusion.check(rules: daye, status: .answered, satisfied: false, excluded: true, note: note)?.reason, .wrongState)
        let blank = SurveyExclusion.check(rules: daye, status: .answered, satisfied: false, excluded: false, note: "  ")
        XCTAssertEqual(blank?.reason, .invalid)
        XCTAssertTrue(blank?.message.contains("principal head") ?? false, blank?.message ?? "")
        for rules in [try RuleProfiles.pingshan().survey, try RuleProfiles.pingli().survey] {
            XCTAssertEqual(
                SurveyExclusion.check(rules: rules, status: .answered, satisfied: false, excluded: false, note: note)?.reason,
                .notAllowed)
        }
    }

    func testPingliAndDayeReHandleWithinFiveWorkingDaysPingshanWithTheOriginalLimit() throws {
        let calendar = try CalendarFixtures.calendar()
        let reopened = CalendarFixtures.at("2026-11-23T10:00:00")  // a Monday
        for profile in [try RuleProfiles.pingli(), try RuleProfiles.daye()] {
            let planner = DeadlinePlanner(profile: profile, calendar: calendar)
            XCTAssertEqual(
                CalendarFixtures.local(try planner.rehandlingResolveBy(kind: .complaint, reopenedAt: reopened)),
                "2026-11-30T18:00:00", "PL §18 / DY (11): 5 working days, \(profile.profile)")
        }
        let pingshan = DeadlinePlanner(profile: try RuleProfiles.pingshan(), calendar: calendar)
        XCTAssertEqual(
            CalendarFixtures.local(try pingshan.rehandlingResolveBy(kind: .complaint, reopenedAt: reopened)),
            "2026-12-02T18:00:00", "PS: the complaint's 7 working days again")
    }

    // MARK: - Closing, expiry, notices

    func testTheHandledTicketStaysOpenWhileItIsReHandled() {
        XCTAssertTrue(SurveyVerdict.closesTicket(surveyTicket: "T1", handledTicket: "T1", sentBack: false, reopenedThisRound: false))
        XCTAssertFalse(SurveyVerdict.closesTicket(surveyTicket: "T1", handledTicket: "T1", sentBack: true, reopenedThisRound: false))
        XCTAssertFalse(
            SurveyVerdict.closesTicket(surveyTicket: "T1", handledTicket: "T1", sentBack: false, reopenedThisRound: true),
            "a merged citizen sent the handled ticket back: it stays open although its own citizen is content")
        XCTAssertTrue(
            SurveyVerdict.closesTicket(surveyTicket: "T2", handledTicket: "T1", sentBack: false, reopenedThisRound: true),
            "a content merged citizen's own ticket closes with its survey")
        XCTAssertFalse(
            SurveyVerdict.closesTicket(surveyTicket: "T2", handledTicket: "T1", sentBack: true, reopenedThisRound: false),
            "a merged citizen who sent the matter back waits for the re-handling and is asked again")
    }

    func testSurveysExpireAfterTheProfilesWindow() throws {
        let calendar = try CalendarFixtures.calendar()
        let sent = CalendarFixtures.at("2026-11-23T10:00:00")
        for profile in [try RuleProfiles.pingshan(), try RuleProfiles.pingli(), try RuleProfiles.daye()] {
            XCTAssertEqual(
                try profile.survey.expiresAt(sentAt: sent, calendar: calendar), CalendarFixtures.at("2026-11-26T10:00:00"),
                profile.profile)
        }
    }

    func testInvitationsAndTheCentersCallbackTask() throws {
        let rules = try RuleProfiles.pingshan().survey
        let citizen = Citizen(name: "张女士", phone: "13800138000", anonymous: false)
        let invitation = try XCTUnwrap(SurveyNotices.invitation(
            id: "N1", surveyID: "SV-PS-1-1", ticketNo: "PS-1", citizen: citizen, rules: rules))
        XCTAssertEqual(invitation.routingKey, "sms.citizen")
        XCTAssertEqual(invitation.recipient.phone, "13800138000")
        XCTAssertTrue(invitation.text.contains("SV-PS-1-1"))
        XCTAssertTrue(invitation.text.contains("1-5星"))
        XCTAssertEqual(invitation.dedupKey, "survey:SV-PS-1-1:invitation")
        XCTAssertNil(SurveyNotices.invitation(
            id: "N2", surveyID: "SV", ticketNo: "PS-1", citizen: Citizen(name: nil, phone: nil, anonymous: true), rules: rules))
        XCTAssertNil(SurveyNotices.invitation(
            id: "N3", surveyID: "SV", ticketNo: "PS-1", citizen: Citizen(name: "x", phone: "13800138000", anonymous: true),
            rules: rules), "an anonymous citizen is not texted")
        // ZS §23: the citizen's choice.
        let called = try XCTUnwrap(SurveyNotices.invitation(
            id: "N5", surveyID: "SV-PS-1-1", ticketNo: "PS-1",
            citizen: Citizen(name: "张女士", phone: "13800138000", callback: .phone), rules: rules))
        XCTAssertEqual(called.routingKey, "phone.citizen")
        XCTAssertEqual(called.template, SurveyNotices.phoneInvitationTemplate)
        XCTAssertEqual(called.recipient.phone, "13800138000")
        XCTAssertNil(SurveyNotices.invitation(
            id: "N6", surveyID: "SV", ticketNo: "PS-1", citizen: Citizen(name: "x", phone: "13800138000", callback: CallbackChannel.none),
            rules: rules), "no callback wanted")
        XCTAssertTrue(SurveyNotices.invitationText(ticketNo: "PL-1", surveyID: "SV", rules: try RuleProfiles.pingli().survey)
            .contains("不满意"))

        let callback = SurveyNotices.centerCallback(id: "N4", surveyID: "SV-PL-1-2", ticketNo: "PL-1", units: ["CG"])
        XCTAssertEqual(callback.routingKey, "oa.unit")
        XCTAssertEqual(callback.recipient.role, .center)
        XCTAssertTrue(callback.text.contains("征询不满意的原因"))
        XCTAssertEqual(callback.dedupKey, "survey:SV-PL-1-2:callback")
    }

    func testRejectionsCarryTheProblemList() throws {
        let event = CommandRejected(
            eventID: "E1", occurredAt: CalendarFixtures.at("2026-11-23T10:00:00"), ticketNo: "PS-1", commandID: "C1",
            commandType: "survey.response", reason: .invalid, message: "invalid",
            errors: [FieldProblem(field: "ratings.speed", problem: "required")])
        let json = try XCTUnwrap(JSONValue.parse(try HotlineJSON.encode(event)))
        XCTAssertEqual(json["errors"]?.arrayValue?.first?["field"]?.stringValue, "ratings.speed")
        let again = try HotlineJSON.decode(CommandRejected.self, from: try HotlineJSON.encode(event))
        XCTAssertEqual(again, event)
        let completed = SurveyCompleted(
            eventID: "E2", occurredAt: CalendarFixtures.at("2026-11-23T10:00:00"), ticketNo: "PS-1", surveyID: "SV",
            expired: true, round: 2)
        let completedJSON = try XCTUnwrap(JSONValue.parse(try HotlineJSON.encode(completed)))
        XCTAssertEqual(completedJSON["expired"]?.boolValue, true)
        XCTAssertEqual(completedJSON["round"]?.intValue, 2)
        XCTAssertNil(completedJSON["rehandle"], "absent fields stay absent")
    }
}
