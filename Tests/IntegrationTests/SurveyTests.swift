import Foundation
import HotlineMessaging
import HotlineStorage
import XCTest

/// The survey service end to end through the broker and the database (docs/rules.md "Survey"): invitations
/// after resolution (phone from the database), each profile's form and outcome (pingshan stars →
/// reopen → re-handled → second survey → close; pingli one re-handling, the final second evaluation
/// and the center's callback task; daye questions and the center's exclusion), invalid, duplicate and
/// late responses, expiry as no response, mediation/law-enforcement items not counted, and merged
/// tickets surveyed citizen by citizen.
///
/// The platform runs the pingshan profile; the pingli and daye test stops the shared survey process
/// and starts one with `HOTLINE_PROFILE` set, restoring the pingshan one afterwards.
final class SurveyTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    // MARK: - pingshan: low rating → reopen → re-handled → second survey → closed

    func testPingshanLowRatingReopensAndTheSecondSurveyClosesTheTicket() async throws {
        try await withSurveyHarness { h in
            let ticketNo = try await h.lifecycle.submit(category: "CG-001")
            let storedPhone = try await h.lifecycle.text(
                "SELECT citizen->>'phone' AS t FROM tickets WHERE ticket_no = $1", [ticketNo])
            let phone = try XCTUnwrap(storedPhone)
            let assignmentID = try await h.resolveFirst(ticketNo, unit: "CG")

            let sent = try await h.surveySent(ticketNo, round: 1)
            let surveyID = try XCTUnwrap(sent.string("survey_id"))
            XCTAssertEqual(surveyID, "SV-\(ticketNo)-1")
            XCTAssertEqual(sent.string("method"), "sms")
            XCTAssertEqual(sent.json["units"] as? [String], ["CG"])
            XCTAssertEqual(sent.json["counted"] as? Bool, true)
            XCTAssertNil(sent.json["citizen"], "events carry no contact data")
            XCTAssertFalse(String(decoding: sent.body, as: UTF8.self).contains(phone))
            let sms = await h.notifications.wait { $0.string("ticket_no") == ticketNo && $0.routingKey == "sms.citizen" }
            let invitation = try XCTUnwrap(sms.first, "an SMS invitation")
            XCTAssertEqual((invitation.json["recipient"] as? [String: Any])?["phone"] as? String, phone, "the phone comes from the database")
            XCTAssertEqual(invitation.string("template"), "survey.invitation")
            XCTAssertTrue(invitation.string("text")?.contains(surveyID) ?? false)
            XCTAssertEqual(invitation.string("dedup_key"), "survey:\(surveyID):invitation")
            XCTAssertEqual(invitation.properties.type, "notification")

            // Refusals: no sender (the broker itself stops other users' survey.* keys), unknown survey, wrong ticket, invalid ratings (every problem listed).
            try await h.lifecycle.expectRejected(
                h.lifecycle.command(nil, "survey.response", h.stars(surveyID, ticketNo, 5, 5, 5, 5)), "forbidden")
            try await h.lifecycle.expectRejected(
                h.lifecycle.command("survey", "survey.response", h.stars("SV-NOPE", ticketNo, 5, 5, 5, 5)), "not_found")
            try await h.lifecycle.expectRejected(
                h.lifecycle.command("survey", "survey.response", h.stars(surveyID, "PS-19000101-000001", 5, 5, 5, 5)), "invalid")
            let invalid = try await h.lifecycle.command("survey", "survey.response", [
                "survey_id": surveyID, "ticket_no": ticketNo,
                "ratings": ["speed": 0, "effect": "good", "experience": 5, "mood": 3],
            ])
            try h.lifecycle.expectRejected(invalid, "invalid")
            let fields = (invalid.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            XCTAssertEqual(Set(fields), ["ratings.speed", "ratings.effect", "ratings.feedback", "ratings.mood"])
            for field in fields { XCTAssertTrue(invalid.string("message")?.contains(field) ?? false, field) }
            try await h.lifecycle.expectRejected(
                h.lifecycle.command("center", "center.exclude-dissatisfaction", ["survey_id": surveyID, "note": "x"]), "not_allowed")
            expectEqual(try await h.lifecycle.text("SELECT status AS t FROM surveys WHERE survey_id = $1", [surveyID]), "sent")

            // Effect at 2 stars: back to the unit.
            let commandID = UUID().uuidString
            let completed = try await h.lifecycle.command(
                "survey", "survey.response", h.stars(surveyID, ticketNo, 5, 2, 4, 4), messageID: commandID)
            XCTAssertEqual(completed.string("type"), "survey.completed")
            XCTAssertEqual(completed.string("survey_id"), surveyID)
            XCTAssertEqual(completed.string("command_id"), commandID)
            XCTAssertEqual(completed.json["rehandle"] as? Bool, true)
            XCTAssertEqual(completed.json["satisfied"] as? Bool, false)
            XCTAssertEqual(completed.string("reason"), "low_rating")
            let reopened = await h.lifecycle.events.wait { $0.routingKey == "ticket.reopened" && $0.string("ticket_no") == ticketNo }
            // The dispatcher (bound to `survey.#` too) has committed its handling: it leaves the outcome to the survey.
            try await h.lifecycle.poll("the dispatcher saw the survey's command") {
                try await h.lifecycle.scalar(
                    "SELECT count(*) AS n FROM processed_messages WHERE consumer = 'dispatcher.foreign-commands' AND message_id = $1",
                    [commandID]) == 1
            }
            let outcomes = h.lifecycle.events.messages.filter { $0.properties.correlationID == commandID }
            XCTAssertEqual(outcomes.count, 1, "exactly one outcome platform-wide")
            XCTAssertEqual(reopened.first?.string("assignment_id"), assignmentID)
            XCTAssertEqual(reopened.first?.string("survey_id"), surveyID)
            let back = await h.lifecycle.unit("CG").wait {
                $0.properties.type == "assignment.reopened" && $0.string("assignment_id") == assignmentID
            }
            XCTAssertEqual(back.first?.string("reason"), "low_rating")

            // The same command again: the same outcome on the reply queue, nothing else; a new answer: wrong_state.
            try await h.lifecycle.command(
                "survey", "survey.response", h.stars(surveyID, ticketNo, 5, 2, 4, 4), messageID: commandID, waitForOutcome: false)
            let replies = await h.lifecycle.replies("survey").wait(for: 2) { $0.properties.correlationID == commandID }
            XCTAssertEqual(Set(replies.compactMap { $0.string("event_id") }), [completed.string("event_id")!])
            try await h.lifecycle.expectRejected(
                h.lifecycle.command("survey", "survey.response", h.stars(surveyID, ticketNo, 5, 5, 5, 5)), "wrong_state")
            XCTAssertEqual(h.lifecycle.events.messages.filter {
                $0.routingKey == "ticket.reopened" && $0.string("ticket_no") == ticketNo
            }.count, 1)
            XCTAssertTrue(h.lifecycle.events.messages.filter {
                $0.routingKey == "ticket.closed" && $0.string("ticket_no") == ticketNo
            }.isEmpty, "a reopened ticket is not closed")

            // Re-handled and resolved again → the second survey; all good → closed.
            try await h.lifecycle.poll("the dispatcher reopened the ticket") {
                try await h.lifecycle.text("SELECT status AS t FROM ticket_status WHERE ticket_no = $1", [ticketNo]) == "dispatched"
            }
            try await h.resolveAgain(assignmentID)
            let second = try await h.surveySent(ticketNo, round: 2)
            let secondID = try XCTUnwrap(second.string("survey_id"))
            XCTAssertEqual(secondID, "SV-\(ticketNo)-2")
            let done = try await h.lifecycle.command("survey", "survey.response", h.stars(secondID, ticketNo, 4, 5, 5, 4))
            XCTAssertEqual(done.string("type"), "survey.completed")
            XCTAssertEqual(done.json["rehandle"] as? Bool, false)
            XCTAssertEqual(done.json["satisfied"] as? Bool, true)
            let closed = await h.lifecycle.events.wait { $0.routingKey == "ticket.closed" && $0.string("ticket_no") == ticketNo }
            XCTAssertEqual(closed.first?.string("reason"), "survey")
            try await h.lifecycle.poll("the dispatcher recorded the close") {
                try await h.lifecycle.text("SELECT status AS t FROM ticket_status WHERE ticket_no = $1", [ticketNo]) == "closed"
            }
            expectEqual(try await h.lifecycle.scalar(
                """
                SELECT count(*)::int AS n FROM surveys WHERE ticket_no = $1 AND status = 'answered' AND counted
                  AND ((round = 1 AND rehandle AND NOT satisfied) OR (round = 2 AND NOT rehandle AND satisfied))
                """, [ticketNo]), 2)
            let metrics = try await h.lifecycle.platform.process("survey")?.metrics() ?? ""
            XCTAssertTrue(metrics.contains("hotline_survey_outcomes_total{outcome=\"reopened\"}"), metrics)
        }
    }

    // MARK: - Expiry; mediation / law-enforcement items surveyed but not counted

    func testAnUnansweredSurveyExpiresAsNoResponseAndClosesTheTicket() async throws {
        try await withSurveyHarness { h in
            // JJ-002 (违章停车) is a law-enforcement item: surveyed, not counted (PS §20(一)).
            // The citizen is anonymous: no invitation can be sent; the survey is recorded and expires.
            let outcome = try await h.submit(
                address: "秀新路\(Int.random(in: 100_000...999_999))号", category: "JJ-002",
                description: "小区门口有车辆违停，长期占道停车堵门", anonymous: true)
            XCTAssertEqual(outcome.routingKey, "ticket.accepted", String(decoding: outcome.body, as: UTF8.self))
            let ticketNo = try XCTUnwrap(outcome.string("ticket_no"))
            _ = try await h.resolveFirst(ticketNo, unit: "JJ")
            let sent = try await h.surveySent(ticketNo, round: 1)
            let surveyID = try XCTUnwrap(sent.string("survey_id"))
            XCTAssertEqual(sent.json["counted"] as? Bool, false)
            XCTAssertNil(sent.json["method"], "no invitation for an anonymous citizen")
            expectEqual(try await h.lifecycle.scalar(
                "SELECT count(*)::int AS n FROM surveys WHERE survey_id = $1 AND NOT invited", [surveyID]), 1)
            let expires = try XCTUnwrap(ISO8601DateFormatter().date(from: sent.string("expires_at") ?? ""))
            XCTAssertEqual(expires.timeIntervalSinceNow, 3 * 86_400, accuracy: 120, "the pingshan window is 3 days")

            // Nobody answers: move the due time into the past (the poller compares with its own clock).
            try await h.lifecycle.execute(
                "UPDATE surveys SET expires_at = $2::timestamptz - interval '1 minute' WHERE survey_id = $1",
                [surveyID, ISO8601DateFormatter().string(from: Date())])
            let completed = await h.lifecycle.events.wait(timeout: 30) {
                $0.routingKey == "survey.completed" && $0.string("survey_id") == surveyID
            }
            let event = try XCTUnwrap(completed.first, "survey.completed on expiry")
            // (Officials may be told of the place: earlier tests' demands there can make a hotspot alert.)
            XCTAssertTrue(
                h.notifications.messages.filter { $0.string("ticket_no") == ticketNo && $0.routingKey.hasSuffix(".citizen") }
                    .isEmpty, "nothing was texted to the citizen")
            XCTAssertEqual(event.json["expired"] as? Bool, true)
            XCTAssertNil(event.json["satisfied"], "no response is never satisfied")
            let closed = await h.lifecycle.events.wait { $0.routingKey == "ticket.closed" && $0.string("ticket_no") == ticketNo }
            XCTAssertEqual(closed.first?.string("reason"), "survey_expired")
            expectEqual(try await h.lifecycle.scalar(
                "SELECT count(*)::int AS n FROM surveys WHERE survey_id = $1 AND status = 'expired' AND satisfied IS NULL AND NOT counted",
                [surveyID]), 1)
            try await h.lifecycle.poll("the dispatcher recorded the close") {
                try await h.lifecycle.text("SELECT status AS t FROM ticket_status WHERE ticket_no = $1", [ticketNo]) == "closed"
            }
            try await h.lifecycle.expectRejected(
                h.lifecycle.command("survey", "survey.response", h.stars(surveyID, ticketNo, 5, 5, 5, 5)), "wrong_state")
        }
    }

    // MARK: - The citizen's callback channel (ZS §23)

    func testTheSurveyCallsBackTheWayTheCitizenChose() async throws {
        try await withSurveyHarness { h in
            // A call: a call-back task for the center's agents on the phone channel, not an SMS.
            let called = try await h.submit(address: "秀新路\(Int.random(in: 100_000...999_999))号", callback: "phone")
            let calledNo = try XCTUnwrap(called.string("ticket_no"), String(decoding: called.body, as: UTF8.self))
            _ = try await h.resolveFirst(calledNo, unit: "CG")
            let sentByPhone = try await h.surveySent(calledNo, round: 1)
            XCTAssertEqual(sentByPhone.string("method"), "phone")
            let task = await h.notifications.wait { $0.string("ticket_no") == calledNo && $0.routingKey == "phone.citizen" }
            XCTAssertEqual(task.first?.string("template"), "survey.invitation.phone")
            XCTAssertTrue(
                h.notifications.messages.filter { $0.string("ticket_no") == calledNo && $0.routingKey == "sms.citizen" }.isEmpty,
                "no SMS to a citizen who asked to be called")

            // None: the survey is recorded without an invitation.
            let quiet = try await h.submit(address: "秀新路\(Int.random(in: 100_000...999_999))号", callback: "none")
            let quietNo = try XCTUnwrap(quiet.string("ticket_no"))
            _ = try await h.resolveFirst(quietNo, unit: "CG")
            let sentQuietly = try await h.surveySent(quietNo, round: 1)
            XCTAssertNil(sentQuietly.json["method"], "no callback wanted")
            expectEqual(try await h.lifecycle.scalar(
                "SELECT count(*)::int AS n FROM surveys WHERE ticket_no = $1 AND NOT invited", [quietNo]), 1)

            // Any other value is a contract error.
            let invalid = try await h.submit(address: "秀新路1号", callback: "pigeon")
            XCTAssertEqual(invalid.routingKey, "submission.invalid")
            XCTAssertTrue(String(decoding: invalid.body, as: UTF8.self).contains("citizen.callback"))
        }
    }

    // MARK: - Merged tickets: each citizen surveyed separately

    func testEveryCitizenOfAMergedTicketIsSurveyedSeparately() async throws {
        try await withSurveyHarness { h in
            let address = "秀新路\(Int.random(in: 100_000...999_999))号"
            let first = try await h.submit(address: address)
            let firstNo = try XCTUnwrap(first.string("ticket_no"))
            XCTAssertEqual(first.routingKey, "ticket.accepted")
            let merged = try await h.submit(address: address)
            XCTAssertEqual(merged.routingKey, "ticket.merged", String(decoding: merged.body, as: UTF8.self))
            XCTAssertEqual(merged.string("merged_into"), firstNo)
            let mergedNo = try XCTUnwrap(merged.string("ticket_no"))
            let phones = try await [firstNo, mergedNo].asyncMap { no in
                try await h.lifecycle.text("SELECT citizen->>'phone' AS t FROM tickets WHERE ticket_no = $1", [no])
            }
            XCTAssertNotEqual(phones[0], phones[1])

            let assignmentID = try await h.resolveFirst(firstNo, unit: "CG")
            let own = try await h.surveySent(firstNo, round: 1)
            let other = try await h.surveySent(mergedNo, round: 1)
            XCTAssertNil(own.string("handled_ticket_no"))
            XCTAssertEqual(other.string("handled_ticket_no"), firstNo)
            for (no, phone) in zip([firstNo, mergedNo], phones) {
                let sms = await h.notifications.wait { $0.routingKey == "sms.citizen" && $0.string("ticket_no") == no }
                XCTAssertEqual(sms.count, 1, no)
                XCTAssertEqual((sms.first?.json["recipient"] as? [String: Any])?["phone"] as? String, phone, no)
            }

            // The merged citizen is unhappy with the effect: the handled ticket goes back to its unit; the
            // handled ticket's own citizen is content, but that ticket stays open while it is re-handled.
            let otherID = try XCTUnwrap(other.string("survey_id"))
            let unhappy = try await h.lifecycle.command("survey", "survey.response", h.stars(otherID, mergedNo, 3, 1, 3, 3))
            XCTAssertEqual(unhappy.json["rehandle"] as? Bool, true)
            let reopened = await h.lifecycle.events.wait { $0.routingKey == "ticket.reopened" && $0.string("ticket_no") == firstNo }
            XCTAssertEqual(reopened.first?.string("assignment_id"), assignmentID)
            let ownID = try XCTUnwrap(own.string("survey_id"))
            let content = try await h.lifecycle.command("survey", "survey.response", h.stars(ownID, firstNo, 4, 4, 4, 4))
            XCTAssertEqual(content.json["rehandle"] as? Bool, false)
            try await h.lifecycle.poll("the dispatcher reopened the handled ticket") {
                try await h.lifecycle.text("SELECT status AS t FROM ticket_status WHERE ticket_no = $1", [firstNo]) == "dispatched"
            }
            XCTAssertTrue(h.lifecycle.events.messages.filter {
                $0.routingKey == "ticket.closed" && [firstNo, mergedNo].contains($0.string("ticket_no") ?? "")
            }.isEmpty, "nothing closes while the matter is re-handled")

            // Re-handled: both citizens are asked again (round 2), each closes their own ticket.
            try await h.resolveAgain(assignmentID)
            let ownAgain = try await h.surveyID(firstNo, round: 2)
            let otherAgain = try await h.surveyID(mergedNo, round: 2)
            _ = try await h.lifecycle.command("survey", "survey.response", h.stars(otherAgain, mergedNo, 5, 5, 5, 5))
            _ = try await h.lifecycle.command("survey", "survey.response", h.stars(ownAgain, firstNo, 5, 4, 5, 4))
            for no in [firstNo, mergedNo] {
                let closed = await h.lifecycle.events.wait { $0.routingKey == "ticket.closed" && $0.string("ticket_no") == no }
                XCTAssertEqual(closed.count, 1, no)
                try await h.lifecycle.poll("the dispatcher recorded the close of \(no)") {
                    try await h.lifecycle.text("SELECT status AS t FROM ticket_status WHERE ticket_no = $1", [no]) == "closed"
                }
            }
            expectEqual(try await h.lifecycle.scalar(
                "SELECT count(*)::int AS n FROM surveys WHERE handled_no = $1 AND status = 'answered' AND satisfied", [firstNo]), 3)
            expectEqual(try await h.lifecycle.scalar(
                "SELECT count(*)::int AS n FROM surveys WHERE handled_no = $1 AND rehandle", [firstNo]), 1)
        }
    }

    // MARK: - pingli and daye, each with its own survey process

    func testPingliOneReHandlingThenAFinalEvaluationAndTheCentersCallback() async throws {
        try await withSurveyHarness(profile: "pingli") { h in
            let ticketNo = try await h.lifecycle.submit(category: "CG-001")
            let assignmentID = try await h.resolveFirst(ticketNo, unit: "CG")
            let first = try await h.surveyID(ticketNo, round: 1)
            try await h.lifecycle.expectRejected(
                h.lifecycle.command("survey", "survey.response", h.stars(first, ticketNo, 5, 5, 5, 5)), "invalid")
            let unsatisfied = try await h.lifecycle.command(
                "survey", "survey.response", ["survey_id": first, "ticket_no": ticketNo, "ratings": "unsatisfied"])
            XCTAssertEqual(unsatisfied.json["rehandle"] as? Bool, true)
            XCTAssertEqual(unsatisfied.string("reason"), "unsatisfied")
            let reopened = await h.lifecycle.events.wait { $0.routingKey == "ticket.reopened" && $0.string("ticket_no") == ticketNo }
            XCTAssertEqual(reopened.first?.string("assignment_id"), assignmentID)
            _ = await h.lifecycle.unit("CG").wait {
                $0.properties.type == "assignment.reopened" && $0.string("assignment_id") == assignmentID
            }
            try await h.lifecycle.poll("the dispatcher reopened the ticket") {
                try await h.lifecycle.text("SELECT status AS t FROM ticket_status WHERE ticket_no = $1", [ticketNo]) == "dispatched"
            }
            try await h.resolveAgain(assignmentID)
            let second = try await h.surveyID(ticketNo, round: 2)
            let final = try await h.lifecycle.command(
                "survey", "survey.response",
                ["survey_id": second, "ticket_no": ticketNo, "ratings": ["satisfaction": "unsatisfied"], "comment": "还是没解决"])
            XCTAssertEqual(final.string("type"), "survey.completed")
            XCTAssertEqual(final.json["rehandle"] as? Bool, false, "the second evaluation is final")
            XCTAssertEqual(final.json["final"] as? Bool, true)
            XCTAssertEqual(final.json["callback"] as? Bool, true)
            let task = await h.notifications.wait { $0.routingKey == "oa.unit" && $0.string("ticket_no") == ticketNo }
            XCTAssertEqual(task.first?.string("template"), "survey.callback.center")
            XCTAssertEqual((task.first?.json["recipient"] as? [String: Any])?["role"] as? String, "center")
            let closed = await h.lifecycle.events.wait { $0.routingKey == "ticket.closed" && $0.string("ticket_no") == ticketNo }
            XCTAssertEqual(closed.count, 1)
            XCTAssertEqual(h.lifecycle.events.messages.filter {
                $0.routingKey == "ticket.reopened" && $0.string("ticket_no") == ticketNo
            }.count, 1, "one re-handling only")
            expectEqual(try await h.lifecycle.text("SELECT profile AS t FROM surveys WHERE survey_id = $1", [second]), "pingli")
        }
    }

    func testDayeQuestionsAndTheCentersExclusionOfADissatisfaction() async throws {
        try await withSurveyHarness(profile: "daye") { h in
            let ticketNo = try await h.lifecycle.submit(category: "CG-001")
            let assignmentID = try await h.resolveFirst(ticketNo, unit: "CG")
            let first = try await h.surveyID(ticketNo, round: 1)
            let missing = try await h.lifecycle.command(
                "survey", "survey.response", ["survey_id": first, "ticket_no": ticketNo, "ratings": ["satisfaction": "satisfied"]])
            try h.lifecycle.expectRejected(missing, "invalid")
            let fields = (missing.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            XCTAssertEqual(Set(fields), ["contacted", "solved", "ratings.trust"])
            // Nothing to exclude before an answer.
            try await h.lifecycle.expectRejected(
                h.lifecycle.command("center", "center.exclude-dissatisfaction", ["survey_id": first, "note": "单位申请核减"]),
                "wrong_state")

            let answer: [String: Any] = [
                "survey_id": first, "ticket_no": ticketNo, "contacted": true, "solved": false,
                "ratings": ["satisfaction": "unsatisfied", "trust": "basically_satisfied"],
            ]
            let unsatisfied = try await h.lifecycle.command("survey", "survey.response", answer)
            XCTAssertEqual(unsatisfied.json["rehandle"] as? Bool, true, "DY (11) 书面交办")
            _ = await h.lifecycle.unit("CG").wait {
                $0.properties.type == "assignment.reopened" && $0.string("assignment_id") == assignmentID
            }
            try await h.lifecycle.poll("the dispatcher reopened the ticket") {
                try await h.lifecycle.text("SELECT status AS t FROM ticket_status WHERE ticket_no = $1", [ticketNo]) == "dispatched"
            }
            try await h.resolveAgain(assignmentID)
            let second = try await h.surveyID(ticketNo, round: 2)
            var again = answer
            again["survey_id"] = second
            let final = try await h.lifecycle.command("survey", "survey.response", again)
            XCTAssertEqual(final.json["rehandle"] as? Bool, false)
            XCTAssertEqual(final.json["final"] as? Bool, true)
            XCTAssertEqual(final.json["callback"] as? Bool, false, "daye has no callback task")
            _ = await h.lifecycle.events.wait { $0.routingKey == "ticket.closed" && $0.string("ticket_no") == ticketNo }

            // The unit asks (signed by its principal head); the center excludes it: no longer counted.
            try await h.lifecycle.expectRejected(
                h.lifecycle.command(nil, "center.exclude-dissatisfaction", ["survey_id": second, "note": "x"]), "forbidden")
            try await h.lifecycle.expectRejected(
                h.lifecycle.command("center", "center.exclude-dissatisfaction", ["survey_id": second, "note": " "]), "invalid")
            let excluded = try await h.lifecycle.command(
                "center", "center.exclude-dissatisfaction", ["survey_id": second, "note": "CG申请核减：已依法依规办理，主要负责人签字盖章"])
            XCTAssertEqual(excluded.string("type"), "survey.completed")
            XCTAssertEqual(excluded.json["excluded"] as? Bool, true)
            XCTAssertEqual(excluded.json["counted"] as? Bool, false)
            expectEqual(try await h.lifecycle.scalar(
                "SELECT count(*)::int AS n FROM surveys WHERE survey_id = $1 AND excluded AND NOT counted AND satisfied = false",
                [second]), 1)
            try await h.lifecycle.expectRejected(
                h.lifecycle.command("center", "center.exclude-dissatisfaction", ["survey_id": second, "note": "again"]),
                "wrong_state")
            try await h.lifecycle.expectRejected(
                h.lifecycle.command("center", "center.exclude-dissatisfaction", ["survey_id": "SV-NOPE", "note": "x"]),
                "not_found")
        }
    }
}

// MARK: - Harness

private func expectEqual<T: Equatable>(
    _ value: T, _ expected: T, _ message: String = "", file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(value, expected, message, file: file, line: line)
}

extension Array where Element: Sendable {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}

/// Runs a test body with the lifecycle harness and an observer of the survey's notifications; with a
/// `profile`, the shared survey process is replaced by one running that profile for the test.
func withSurveyHarness(profile: String? = nil, _ body: (SurveyHarness) async throws -> Void) async throws {
    let lifecycle = try await LifecycleHarness.start()
    let notifications = Observer.bound(
        to: "hotline.notifications", routingKeys: ["sms.citizen", "phone.citizen", "oa.unit"], stack: lifecycle.stack)
    await notifications.waitUntilConnected()
    let harness = SurveyHarness(lifecycle: lifecycle, notifications: notifications)
    var failure: (any Error)?
    do {
        if let profile { try await harness.switchSurvey(to: profile) }
        try await body(harness)
    } catch {
        failure = error
    }
    if profile != nil {
        do { try await harness.switchSurvey(to: nil) } catch { failure = failure ?? error }
    }
    await notifications.close(deleting: true, stack: lifecycle.stack)
    await lifecycle.close()
    if let failure { throw failure }
}

struct SurveyHarness: Sendable {
    let lifecycle: LifecycleHarness
    let notifications: Observer

    /// Replaces the survey process by one with `HOTLINE_PROFILE` = `profile` (nil: the default).
    func switchSurvey(to profile: String?) async throws {
        let platform = lifecycle.platform
        platform.remove("survey")?.terminate()
        let port = lifecycle.stack.portBase + 1 + (Platform.services.firstIndex(of: "survey") ?? 4)
        let process = try platform.launch(
            "survey", port: port, environment: profile.map { ["HOTLINE_PROFILE": $0] } ?? [:])
        try await process.waitUntilHealthy()
    }

    /// Signs, resolves and has the center approve the ticket's assignment at `unit`; returns its id.
    func resolveFirst(_ ticketNo: String, unit: String) async throws -> String {
        let created = try await lifecycle.created(ticketNo, unit: unit)
        let assignmentID = try XCTUnwrap(created.string("assignment_id"))
        let signed = try await lifecycle.command("unit.\(unit)", "unit.sign", ["assignment_id": assignmentID])
        XCTAssertEqual(signed.string("type"), "assignment.signed")
        try await resolveAgain(assignmentID, unit: unit)
        return assignmentID
    }

    /// Submits a resolution for a signed (or reopened) assignment and has the center approve it.
    func resolveAgain(_ assignmentID: String, unit: String = "CG") async throws {
        let submitted = try await lifecycle.command("unit.\(unit)", "unit.submit-resolution", lifecycle.resolution(assignmentID))
        XCTAssertEqual(submitted.string("type"), "assignment.resolution-submitted", submitted.string("message") ?? "")
        let resolved = try await lifecycle.command(
            "center", "center.decide-resolution", ["assignment_id": assignmentID, "approve": true, "note": "同意办结"])
        XCTAssertEqual(resolved.string("type"), "ticket.resolved", resolved.string("message") ?? "")
    }

    /// The ticket's `survey.sent` of `round`.
    func surveySent(_ ticketNo: String, round: Int) async throws -> Observer.Message {
        let found = await lifecycle.events.wait {
            $0.routingKey == "survey.sent" && $0.string("ticket_no") == ticketNo && ($0.json["round"] as? Int) == round
        }
        return try XCTUnwrap(found.first, "survey.sent round \(round) for \(ticketNo)")
    }

    /// The id of the ticket's survey of `round`.
    func surveyID(_ ticketNo: String, round: Int) async throws -> String {
        let sent = try await surveySent(ticketNo, round: round)
        return try XCTUnwrap(sent.string("survey_id"))
    }

    /// A pingshan star answer.
    func stars(_ surveyID: String, _ ticketNo: String, _ speed: Int, _ effect: Int, _ experience: Int, _ feedback: Int) -> [String: Any] {
        [
            "survey_id": surveyID, "ticket_no": ticketNo,
            "ratings": ["speed": speed, "effect": effect, "experience": experience, "feedback": feedback],
        ]
    }

    /// Submits a demand at `address` with a citizen of its own (or an anonymous one); returns the intake outcome event.
    func submit(
        address: String, category: String = "CG-001", description: String = "小区门口有流动摊贩占道经营，影响通行",
        anonymous: Bool = false, phone: String? = nil, callback: String? = nil
    ) async throws -> Observer.Message {
        let submissionID = "SVT-\(UUID().uuidString.prefix(12))"
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        var citizen: [String: Any] = anonymous
            ? ["anonymous": true]
            : ["name": "测试市民", "phone": phone ?? "139\(Int.random(in: 10_000_000...99_999_999))", "anonymous": false]
        if let callback { citizen["callback"] = callback }
        let body: [String: Any] = [
            "submission_id": submissionID, "channel": "hotline", "received_at": formatter.string(from: Date()),
            "citizen": citizen,
            "category": category, "description": description,
            "location": ["street": "坑梓街道", "community": "秀新社区", "address": address],
        ]
        try await lifecycle.publishAs(
            "gateway", exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit",
            body: Array(try JSONSerialization.data(withJSONObject: body)))
        let outcome = await lifecycle.events.wait { $0.string("submission_id") == submissionID }
        return try XCTUnwrap(outcome.first, "an intake outcome for \(submissionID)")
    }
}
