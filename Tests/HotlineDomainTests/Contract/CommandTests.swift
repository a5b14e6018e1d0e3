import Foundation
import HotlineDomain
import XCTest

final class CommandTests: XCTestCase {
    /// Decodes through `Command.decode`, checks the case's type and the body's round trip against the literal.
    private func decode(
        _ type: String, _ literal: String, keys: Set<String>, file: StaticString = #filePath, line: UInt = #line
    ) throws -> Command {
        let result = Command.decode(type: type, body: Data(literal.utf8))
        let command: Command
        switch result {
        case .success(let value): command = value
        case .failure(let error):
            XCTFail("\(type): \(error.message)", file: file, line: line)
            throw error
        }
        XCTAssertEqual(command.type.rawValue, type, file: file, line: line)
        let encoded = try command.encodedBody()
        XCTAssertEqual(ContractTestSupport.tree(encoded), ContractTestSupport.tree(Data(literal.utf8)), file: file, line: line)
        XCTAssertEqual(ContractTestSupport.keys(encoded), keys, file: file, line: line)
        XCTAssertEqual(try? Command.decode(type: type, body: encoded).get(), command, file: file, line: line)
        return command
    }

    private func failure(_ type: String, _ body: String) -> CommandDecodingError? {
        if case .failure(let error) = Command.decode(type: type, body: Data(body.utf8)) { return error }
        return nil
    }

    func testCommandTypesAndSenders() {
        let expected: [String: CommandSender] = [
            "unit.sign": .unit, "unit.notify-citizen": .unit, "unit.request-return": .unit, "unit.request-extension": .unit,
            "unit.submit-resolution": .unit, "unit.submit-stage-resolution": .unit, "unit.report-part": .unit,
            "center.dispatch": .center, "center.decide-return": .center, "center.decide-extension": .center,
            "center.decide-resolution": .center, "center.exclude-dissatisfaction": .center, "center.compute-cards": .center,
            "survey.response": .survey, "unit.draft-knowledge": .unit, "unit.review-knowledge": .unit,
            "unit.withdraw-knowledge": .unit, "center.flag-knowledge": .center, "gateway.search-knowledge": .gateway,
            "unit.conclude-matter": .unit, "unit.appeal-assessment": .unit, "center.decide-appeal": .center,
            "center.award-points": .center, "center.open-supervision": .center, "unit.answer-supervision": .unit,
            "center.escalate-supervision": .center, "center.close-supervision": .center, "unit.report-verification": .unit,
        ]
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: CommandType.allCases.map { ($0.rawValue, $0.sender) }), expected)
        for type in CommandType.allCases {
            XCTAssertEqual(type.bodyType.commandType, type)
            XCTAssertTrue(type.rawValue.hasPrefix(type.sender.rawValue + "."))
        }
    }

    func testIssuers() {
        XCTAssertEqual(CommandIssuer(userID: "unit.CG"), .unit("CG"))
        XCTAssertEqual(CommandIssuer(userID: "center"), .center)
        XCTAssertEqual(CommandIssuer(userID: "survey"), .survey)
        XCTAssertEqual(CommandIssuer(userID: "svc.intake"), .service("intake"))
        XCTAssertNil(CommandIssuer(userID: "unit."))
        XCTAssertNil(CommandIssuer(userID: "guest"))
        XCTAssertEqual(CommandIssuer.unit("KZ").userID, "unit.KZ")
        XCTAssertEqual(CommandIssuer.unit("KZ").unitCode, "KZ")
        XCTAssertTrue(CommandType.unitSign.permits(.unit("CG")))
        XCTAssertFalse(CommandType.unitSign.permits(.center))
        XCTAssertTrue(CommandType.centerDispatch.permits(.center))
        XCTAssertFalse(CommandType.centerDispatch.permits(.unit("CG")))
        XCTAssertFalse(CommandType.surveyResponse.permits(.gateway))
    }

    // MARK: - Unit commands

    func testUnitSign() throws {
        let command = try decode("unit.sign", #"{"assignment_id": "A-1"}"#, keys: ["assignment_id"])
        XCTAssertEqual(command, .unitSign(UnitSign(assignmentID: "A-1")))
        XCTAssertEqual(command.assignmentID, "A-1")
    }

    func testUnitNotifyCitizen() throws {
        let command = try decode("unit.notify-citizen", #"{"assignment_id": "A-1", "stage": "progress", "method": "sms", "at": "2026-11-23T10:00:00+08:00"}"#,
                                 keys: ["assignment_id", "stage", "method", "at"])
        guard case .unitNotifyCitizen(let body) = command else { return XCTFail("\(command)") }
        XCTAssertEqual(body.stage, .progress)
        XCTAssertEqual(body.at, ContractTestSupport.time("2026-11-23T02:00:00Z"))
    }

    func testUnitRequestReturn() throws {
        let command = try decode("unit.request-return", #"""
        {"assignment_id": "A-1", "reason_code": "not_our_duty", "reason": "不属本单位职责", "basis": "三定方案", "suggested_unit": "ZJ"}
        """#, keys: ["assignment_id", "reason_code", "reason", "basis", "suggested_unit"])
        guard case .unitRequestReturn(let body) = command else { return XCTFail("\(command)") }
        XCTAssertEqual(body.suggestedUnit, "ZJ")
        // The suggestion is optional; blank reasons are the center's to deny, not malformed.
        XCTAssertNoThrow(try Command.decode(type: "unit.request-return", body: Data(#"{"assignment_id": "A-1", "reason_code": "", "reason": "", "basis": ""}"#.utf8)).get())
    }

    func testUnitRequestExtension() throws {
        let command = try decode("unit.request-extension", #"{"assignment_id": "A-1", "working_days": 3, "reason": "需协调"}"#,
                                 keys: ["assignment_id", "working_days", "reason"])
        XCTAssertEqual(command, .unitRequestExtension(UnitRequestExtension(assignmentID: "A-1", workingDays: 3, reason: "需协调")))
        XCTAssertEqual(failure("unit.request-extension", #"{"assignment_id": "A-1", "working_days": 0, "reason": "x"}"#)?.message,
                       "malformed unit.request-extension: working_days must be 1-366")
        XCTAssertNotNil(failure("unit.request-extension", #"{"assignment_id": "A-1", "working_days": 2.5, "reason": "x"}"#))
        XCTAssertNotNil(failure("unit.request-extension", #"{"assignment_id": "A-1", "working_days": "3", "reason": "x"}"#))
    }

    func testUnitSubmitResolution() throws {
        let command = try decode("unit.submit-resolution", #"""
        {"assignment_id": "A-1", "outcome": "resolved", "reply": "已清理占道摊贩。", "handled_at": "2026-11-24T15:00:00+08:00",
         "handler": "王科长", "basis": "《条例》第12条", "attachments": [{"url": "https://files.example/r.jpg"}]}
        """#, keys: ["assignment_id", "outcome", "reply", "handled_at", "handler", "basis", "attachments"])
        guard case .unitSubmitResolution(let body) = command else { return XCTFail("\(command)") }
        XCTAssertEqual(body.outcome, .resolved)
        XCTAssertEqual(body.handler, "王科长")
        XCTAssertEqual(body.attachments?.count, 1)
        XCTAssertEqual(ResolutionOutcome.allCases.map(\.rawValue), ["resolved", "explained", "not_adopted"])
        let minimal = try decode("unit.submit-resolution", #"""
        {"assignment_id": "A-1", "outcome": "explained", "reply": "r", "handled_at": "2026-11-24T15:00:00+08:00", "handler": "h"}
        """#, keys: ["assignment_id", "outcome", "reply", "handled_at", "handler"])
        XCTAssertEqual(minimal.assignmentID, "A-1")
    }

    func testUnitSubmitStageResolution() throws {
        let command = try decode("unit.submit-stage-resolution", #"""
        {"assignment_id": "A-1", "reason": "需立项", "progress": "已勘查", "plan": "明年施工", "follow_up_by": "2027-03-31T18:00:00+08:00"}
        """#, keys: ["assignment_id", "reason", "progress", "plan", "follow_up_by"])
        guard case .unitSubmitStageResolution(let body) = command else { return XCTFail("\(command)") }
        XCTAssertEqual(body.plan, "明年施工")
        XCTAssertEqual(body.followUpBy, ContractTestSupport.time("2027-03-31T10:00:00Z"))
    }

    func testUnitReportPart() throws {
        let command = try decode("unit.report-part", #"{"assignment_id": "A-2", "result": "已配合执法"}"#, keys: ["assignment_id", "result"])
        XCTAssertEqual(command, .unitReportPart(UnitReportPart(assignmentID: "A-2", result: "已配合执法")))
    }

    // MARK: - Center commands

    func testCenterDispatch() throws {
        let command = try decode("center.dispatch", #"{"ticket_no": "PS-20261123-000042", "mode": "lead_co", "units": ["CG", "KZ"], "note": "联合处置"}"#,
                                 keys: ["ticket_no", "mode", "units", "note"])
        guard case .centerDispatch(let body) = command else { return XCTFail("\(command)") }
        XCTAssertEqual(body.mode, .leadCo)
        XCTAssertEqual(body.units, ["CG", "KZ"])
        XCTAssertEqual(command.ticketNo, "PS-20261123-000042")
        XCTAssertNil(command.assignmentID)
        XCTAssertEqual(body.mode.roles(count: 3), [.lead, .co, .co])
        XCTAssertEqual(DispatchMode.parallel.roles(count: 2), [.parallel, .parallel])
        XCTAssertEqual(DispatchMode.allCases.map(\.rawValue), ["sole", "lead_co", "parallel", "first_responsible", "territorial"])

        XCTAssertNotNil(failure("center.dispatch", #"{"ticket_no": "PS-20261123-000042", "mode": "sole", "units": ["CG", "KZ"]}"#))
        XCTAssertNotNil(failure("center.dispatch", #"{"ticket_no": "PS-20261123-000042", "mode": "parallel", "units": []}"#))
        XCTAssertNotNil(failure("center.dispatch", #"{"ticket_no": "PS-20261123-000042", "mode": "parallel", "units": ["CG", "CG"]}"#))
        XCTAssertNotNil(failure("center.dispatch", #"{"ticket_no": "PS-20261123-000042", "mode": "random", "units": ["CG"]}"#))
        XCTAssertNotNil(failure("center.dispatch", #"{"ticket_no": " ", "mode": "sole", "units": ["CG"]}"#))
    }

    func testCenterDecisions() throws {
        let decideReturn = try decode("center.decide-return", #"{"assignment_id": "A-1", "approve": true, "reassign_to": "ZJ", "note": "改派"}"#,
                                      keys: ["assignment_id", "approve", "reassign_to", "note"])
        XCTAssertEqual(decideReturn, .centerDecideReturn(CenterDecideReturn(assignmentID: "A-1", approve: true, reassignTo: "ZJ", note: "改派")))
        let decideExtension = try decode("center.decide-extension", #"{"request_id": "X-1", "approve": false, "note": "不同意"}"#,
                                         keys: ["request_id", "approve", "note"])
        XCTAssertEqual(decideExtension, .centerDecideExtension(CenterDecideExtension(requestID: "X-1", approve: false, note: "不同意")))
        XCTAssertNil(decideExtension.assignmentID)
        let decideResolution = try decode("center.decide-resolution", #"{"assignment_id": "A-1", "approve": true, "note": ""}"#,
                                          keys: ["assignment_id", "approve", "note"])
        XCTAssertEqual(decideResolution.assignmentID, "A-1")
        let exclude = try decode("center.exclude-dissatisfaction", #"{"survey_id": "SV-1", "note": "诉求不合理，单位负责人签字"}"#,
                                 keys: ["survey_id", "note"])
        XCTAssertEqual(exclude, .centerExcludeDissatisfaction(CenterExcludeDissatisfaction(surveyID: "SV-1", note: "诉求不合理，单位负责人签字")))
        let cards = try decode("center.compute-cards", #"{"quarter": "2026Q3"}"#, keys: ["quarter"])
        XCTAssertEqual(cards, .centerComputeCards(CenterComputeCards(quarter: "2026Q3")))
        XCTAssertNil(cards.assignmentID)
        XCTAssertEqual(failure("center.compute-cards", #"{"quarter": "2026Q5"}"#)?.message,
                       "malformed center.compute-cards: quarter must look like 2026Q3")
        XCTAssertEqual(failure("center.decide-return", #"{"assignment_id": "A-1", "approve": "yes", "note": ""}"#)?.message,
                       "malformed center.decide-return: field approve must be a boolean")
    }

    func testAssessmentCommands() throws {
        let appeal = try decode(
            "unit.appeal-assessment", #"{"ticket_no": "PL-1", "indicator": "satisfaction_rate", "reason": "诉求超出职责"}"#,
            keys: ["ticket_no", "indicator", "reason"])
        XCTAssertEqual(appeal, .unitAppealAssessment(UnitAppealAssessment(ticketNo: "PL-1", indicator: "satisfaction_rate", reason: "诉求超出职责")))
        XCTAssertEqual(appeal.ticketNo, "PL-1")
        XCTAssertEqual(failure("unit.appeal-assessment", #"{"ticket_no": "PL-1", "indicator": "speed", "reason": " "}"#)?.message,
                       "malformed unit.appeal-assessment: reason must not be blank; indicator must be one of "
                       + ReportRateKind.allCases.map(\.rawValue).joined(separator: ", "))
        let decide = try decode(
            "center.decide-appeal", #"{"appeal_id": "ap-1", "uphold": true, "note": "属实", "operator": "王五"}"#,
            keys: ["appeal_id", "uphold", "note", "operator"])
        XCTAssertEqual(decide.operatorName, "王五")
        let award = try decode(
            "center.award-points", #"{"unit": "DY-ZJJ", "kind": "typical_case", "ticket_no": "DY-1", "note": "典型案例"}"#,
            keys: ["unit", "kind", "ticket_no", "note"])
        XCTAssertEqual(award, .centerAwardPoints(CenterAwardPoints(unit: "DY-ZJJ", kind: "typical_case", ticketNo: "DY-1", note: "典型案例")))
        XCTAssertEqual(failure("center.award-points", #"{"unit": "DY-ZJJ", "kind": "typical_case", "note": ""}"#)?.message,
                       "malformed center.award-points: note must not be blank")
    }

    func testSupervisionCommands() throws {
        let open = try decode(
            "center.open-supervision",
            #"{"unit": "CG", "ticket_no": "PS-1", "ground": "overdue_without_cause", "mode": "phone", "answer_by": "2026-12-07T18:00:00+08:00", "note": "限期办结", "operator": "王五"}"#,
            keys: ["unit", "ticket_no", "ground", "mode", "answer_by", "note", "operator"])
        XCTAssertEqual(open.ticketNo, "PS-1")
        XCTAssertEqual(open.operatorName, "王五")
        XCTAssertEqual(failure("center.open-supervision", #"{"unit": "CG", "ground": "boredom", "mode": "phone", "note": "x"}"#)?
            .message.hasPrefix("malformed center.open-supervision: field ground"), true)
        _ = try decode("unit.answer-supervision", #"{"supervision_id": "SV-1", "answer": "已整改"}"#, keys: ["supervision_id", "answer"])
        _ = try decode("center.escalate-supervision", #"{"supervision_id": "SV-1", "mode": "letter", "note": "书面督办"}"#,
                       keys: ["supervision_id", "mode", "note"])
        let close = try decode(
            "center.close-supervision", #"{"supervision_id": "SV-1", "note": "移交纪委", "referral_grounds": ["shirking", "delay"]}"#,
            keys: ["supervision_id", "note", "referral_grounds"])
        XCTAssertEqual(close, .centerCloseSupervision(CenterCloseSupervision(supervisionID: "SV-1", note: "移交纪委", referralGrounds: [.shirking, .delay])))
        XCTAssertEqual(failure("center.close-supervision", #"{"supervision_id": "SV-1", "note": "x", "referral_grounds": ["delay", "delay"]}"#)?
            .message, "malformed center.close-supervision: referral_grounds must not repeat a ground")
    }

    func testCenterCommandsNameTheirOperator() throws {
        let named = try decode(
            "center.decide-resolution", #"{"assignment_id": "A-1", "approve": true, "note": "", "operator": "王五"}"#,
            keys: ["assignment_id", "approve", "note", "operator"])
        XCTAssertEqual(named.operatorName, "王五")
        XCTAssertNil(try decode("center.compute-cards", #"{"quarter": "2026Q3"}"#, keys: ["quarter"]).operatorName)
        XCTAssertEqual(
            failure("center.dispatch", #"{"ticket_no": "PS-20261123-000042", "mode": "sole", "units": ["CG"], "operator": " "}"#)?.message,
            "malformed center.dispatch: operator must not be blank")
        let long = String(repeating: "王", count: Command.maxOperatorLength + 1)
        XCTAssertEqual(
            failure("center.decide-extension", #"{"request_id": "X-1", "approve": true, "note": "", "operator": "\#(long)"}"#)?.message,
            "malformed center.decide-extension: operator must be at most 64 characters")
        let unit = try XCTUnwrap(try? Command.decode(type: "unit.sign", body: Data(#"{"assignment_id": "A-1", "operator": "x"}"#.utf8)).get())
        XCTAssertNil(unit.operatorName, "a unit's command names no center operator")
    }

    func testSurveyResponse() throws {
        let command = try decode("survey.response", #"""
        {"survey_id": "SV-1", "ticket_no": "PS-20261123-000042", "ratings": {"speed": 5, "effect": 4, "experience": 5, "feedback_quality": 5},
         "solved": true, "contacted": true, "wants_rehandling": false, "comment": "满意"}
        """#, keys: ["survey_id", "ticket_no", "ratings", "solved", "contacted", "wants_rehandling", "comment"])
        guard case .surveyResponse(let body) = command else { return XCTFail("\(command)") }
        XCTAssertEqual(body.ratings["effect"]?.intValue, 4)
        XCTAssertEqual(body.solved, true)
        XCTAssertEqual(command.ticketNo, "PS-20261123-000042")
        let verdict = try decode("survey.response", #"{"survey_id": "SV-2", "ticket_no": "PS-20261123-000043", "ratings": "unsatisfied"}"#,
                                 keys: ["survey_id", "ticket_no", "ratings"])
        guard case .surveyResponse(let second) = verdict else { return XCTFail("\(verdict)") }
        XCTAssertEqual(second.ratings, "unsatisfied")
    }

    // MARK: - Failures

    func testUnknownType() {
        XCTAssertEqual(failure("unit.dance", "{}"), .unknownType("unit.dance"))
        XCTAssertEqual(failure("unit.dance", "{}")?.message, "unknown command type unit.dance")
        XCTAssertEqual(failure("", "{}")?.message, "unknown command type (empty)")
        XCTAssertEqual(failure("unit.dance", "{}")?.rejection, .invalid)
        XCTAssertEqual(failure("ticket.accepted", "{}")?.message, "unknown command type ticket.accepted")
    }

    func testMalformedBodies() {
        XCTAssertEqual(failure("unit.sign", "{}")?.message, "malformed unit.sign: missing field assignment_id")
        XCTAssertEqual(failure("unit.sign", #"{"assignment_id": 7}"#)?.message, "malformed unit.sign: field assignment_id must be a string")
        XCTAssertEqual(failure("unit.sign", #"{"assignment_id": null}"#)?.message, "malformed unit.sign: field assignment_id must not be null")
        XCTAssertEqual(failure("unit.sign", #"{"assignment_id": " "}"#)?.message, "malformed unit.sign: assignment_id must not be blank")
        XCTAssertEqual(failure("unit.sign", "[]")?.message, "malformed unit.sign: body must be a JSON object, not an array")
        XCTAssertEqual(failure("unit.sign", #"{"assignment_id": "A-1""#)?.message.hasPrefix("malformed unit.sign: body is not valid JSON"), true)
        XCTAssertEqual(failure("unit.notify-citizen", #"{"assignment_id": "A-1", "stage": "acceptance", "method": "sms", "at": "2026-11-23 10:00"}"#)?
            .message.hasPrefix("malformed unit.notify-citizen: field at"), true)
        XCTAssertEqual(failure("center.dispatch", #"{"ticket_no": "PS-1", "mode": "sole", "units": [1]}"#)?.message,
                       "malformed center.dispatch: field units[0] must be a string")
        if case .failure(let error) = Command.decode(type: "unit.sign", body: Data([0xFF, 0xFE])) {
            XCTAssertEqual(error.message, "malformed unit.sign: body is not UTF-8")
        } else {
            XCTFail("non-UTF-8 accepted")
        }
        let deep = String(repeating: "[", count: 10_000)
        XCTAssertEqual(failure("unit.sign", deep)?.message.contains("nested deeper"), true)
        let huge = #"{"assignment_id": ""# + String(repeating: "a", count: 300 * 1024) + #""}"#
        XCTAssertEqual(failure("unit.sign", huge)?.message, "malformed unit.sign: body larger than 256 KiB")
    }

    func testATextHoldingANULIsRefusedWithItsField() {
        let body = #"{"assignment_id": "PS-1-CG", "reason_code": "not_our_duty", "reason": "a\u0000b", "basis": "x"}"#
        XCTAssertEqual(
            failure("unit.request-return", body)?.message, "malformed unit.request-return: reason: must not contain NUL characters")
        let key = #"{"assignment_id": "PS-1-CG", "n\u0000te": 1}"#
        XCTAssertEqual(failure("unit.sign", key)?.message, #"malformed unit.sign: n\u0000te: must not contain NUL characters"#)
    }
}
