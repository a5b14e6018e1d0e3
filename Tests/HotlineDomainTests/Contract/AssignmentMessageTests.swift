import Foundation
import HotlineDomain
import XCTest

final class AssignmentMessageTests: XCTestCase {
    private let createdLiteral = #"""
    {
      "assignment_id": "A-1", "ticket_no": "PS-20261123-000042", "unit": "CG", "role": "lead",
      "kind": "complaint", "urgency": "fast", "category": "CG-001", "title": "小区门口占道经营",
      "description": "小区门口每天晚上有流动摊贩占道经营。",
      "location": {"street": "坑梓街道", "community": "秀新社区", "address": "秀新路12号", "lat": 22.74, "lon": 114.39},
      "citizen": {"name": "张女士", "phone": "13800138000", "anonymous": false},
      "lead_unit": "CG", "co_units": ["KZ"],
      "deadlines": {"sign_by": "2026-11-23T12:15:00+08:00", "notify_by": "2026-11-24T18:00:00+08:00",
                    "feedback_by": "2026-11-24T09:16:00+08:00", "resolve_by": "2026-12-02T18:00:00+08:00"},
      "return_allowed": true, "extension_allowed": false,
      "history": [
        {"assignment_id": "A-0", "unit": "ZJ", "role": "sole", "state": "returned", "created_at": "2026-11-23T09:20:00+08:00",
         "ended_at": "2026-11-23T10:00:00+08:00", "outcome": "explained", "note": "非本单位职责"}
      ],
      "channel": "hotline", "received_at": "2026-11-23T09:15:00+08:00", "basis": "《深圳经济特区市容和环境卫生管理条例》",
      "attachments": [{"url": "https://files.example/a.jpg"}]
    }
    """#

    func testAssignmentCreated() throws {
        let message = try ContractTestSupport.roundTrip(AssignmentCreated.self, createdLiteral, expectedKeys: [
            "assignment_id", "ticket_no", "unit", "role", "kind", "urgency", "category", "title", "description", "location",
            "citizen", "lead_unit", "co_units", "deadlines", "return_allowed", "extension_allowed", "history", "channel",
            "received_at", "basis", "attachments",
        ])
        XCTAssertEqual(message.assignmentID, "A-1")
        XCTAssertEqual(message.role, .lead)
        XCTAssertEqual(message.urgency, .fast)
        XCTAssertEqual(message.citizen.phone, "13800138000")
        XCTAssertEqual(message.coUnits, ["KZ"])
        XCTAssertEqual(message.deadlines.signBy, ContractTestSupport.time("2026-11-23T04:15:00Z"))
        XCTAssertEqual(message.deadlines.feedbackBy, ContractTestSupport.time("2026-11-24T01:16:00Z"))
        XCTAssertTrue(message.returnAllowed)
        XCTAssertFalse(message.extensionAllowed)
        XCTAssertEqual(message.history, [AssignmentHistoryEntry(
            assignmentID: "A-0", unit: "ZJ", role: .sole, state: .returned,
            createdAt: ContractTestSupport.time("2026-11-23T01:20:00Z"), endedAt: ContractTestSupport.time("2026-11-23T02:00:00Z"),
            outcome: .explained, note: "非本单位职责")])
        let entryKeys = ContractTestSupport.keys(try HotlineJSON.encode(message.history[0]))
        XCTAssertTrue(entryKeys.isSuperset(of: ["assignment_id", "unit", "role", "state", "created_at"]))
    }

    func testAssignmentCreatedMinimal() throws {
        let literal = #"""
        {"assignment_id": "A-2", "ticket_no": "PS-20261123-000042", "unit": "KZ", "role": "co", "kind": "help", "urgency": "normal",
         "description": "d", "citizen": {"anonymous": true}, "co_units": [],
         "deadlines": {"sign_by": "2026-11-23T12:15:00+08:00", "notify_by": "2026-11-24T18:00:00+08:00", "resolve_by": "2026-12-02T18:00:00+08:00"},
         "return_allowed": false, "extension_allowed": true, "history": []}
        """#
        let message = try ContractTestSupport.roundTrip(AssignmentCreated.self, literal)
        XCTAssertNil(message.leadUnit)
        XCTAssertNil(message.deadlines.feedbackBy)
        XCTAssertEqual(message.history, [])
        // Required fields are required.
        let missing = literal.replacingOccurrences(of: #""return_allowed": false, "#, with: "")
        XCTAssertThrowsError(try HotlineJSON.decode(AssignmentCreated.self, from: Data(missing.utf8)))
    }

    func testOtherAssignmentMessages() throws {
        let updated = try ContractTestSupport.roundTrip(AssignmentUpdated.self, #"""
        {"assignment_id": "A-1", "ticket_no": "PS-20261123-000042", "reason": "extended", "note": "延期5个工作日",
         "deadlines": {"sign_by": "2026-11-23T12:15:00+08:00", "notify_by": "2026-11-24T18:00:00+08:00", "resolve_by": "2026-12-09T18:00:00+08:00"},
         "lead_unit": "CG", "co_units": ["KZ", "ZJ"], "return_allowed": false, "extension_allowed": false}
        """#, expectedKeys: ["assignment_id", "ticket_no", "reason", "note", "deadlines", "lead_unit", "co_units", "return_allowed", "extension_allowed"])
        XCTAssertEqual(updated.deadlines?.resolveBy, ContractTestSupport.time("2026-12-09T10:00:00Z"))
        let cancelled = try ContractTestSupport.roundTrip(AssignmentCancelled.self, #"""
        {"assignment_id": "A-3", "ticket_no": "PS-20261123-000042", "reason": "claimed_by_other", "note": "已由KZ签收"}
        """#, expectedKeys: ["assignment_id", "ticket_no", "reason", "note"])
        XCTAssertEqual(cancelled.reason, "claimed_by_other")
        let reopened = try ContractTestSupport.roundTrip(AssignmentReopened.self, #"""
        {"assignment_id": "A-1", "ticket_no": "PS-20261123-000042", "reason": "low_rating", "note": "效果1星",
         "deadlines": {"sign_by": "2026-12-03T12:00:00+08:00", "notify_by": "2026-12-04T18:00:00+08:00", "resolve_by": "2026-12-10T18:00:00+08:00"},
         "survey_id": "SV-1"}
        """#, expectedKeys: ["assignment_id", "ticket_no", "reason", "note", "deadlines", "survey_id"])
        XCTAssertEqual(reopened.surveyID, "SV-1")
        let reminder = try ContractTestSupport.roundTrip(AssignmentReminder.self, #"""
        {"assignment_id": "A-1", "ticket_no": "PS-20261123-000042", "deadline": "sign", "due_at": "2026-11-23T12:15:00+08:00", "note": "请尽快签收"}
        """#, expectedKeys: ["assignment_id", "ticket_no", "deadline", "due_at", "note"])
        XCTAssertEqual(reminder.deadline, .sign)
    }

    func testMessageTypesAndGenericDecoding() throws {
        XCTAssertEqual(AssignmentMessageType.allCases.map(\.rawValue),
                       ["assignment.created", "assignment.updated", "assignment.cancelled", "assignment.reopened", "assignment.reminder"])
        let message = try AssignmentMessage.decode(type: "assignment.created", body: Data(createdLiteral.utf8))
        XCTAssertEqual(message.type, .created)
        XCTAssertEqual(message.assignmentID, "A-1")
        XCTAssertEqual(message.ticketNo, "PS-20261123-000042")
        XCTAssertEqual(try AssignmentMessage.decode(type: "assignment.created", body: try message.encodedBody()), message)
        let cancelled = try AssignmentMessage.decode(type: "assignment.cancelled",
                                                     body: Data(#"{"assignment_id": "A-3", "ticket_no": "PS-20261123-000042", "reason": "closed"}"#.utf8))
        XCTAssertEqual(cancelled, .cancelled(AssignmentCancelled(assignmentID: "A-3", ticketNo: "PS-20261123-000042", reason: "closed")))
        XCTAssertThrowsError(try AssignmentMessage.decode(type: "assignment.deleted", body: Data("{}".utf8)))
        XCTAssertThrowsError(try AssignmentMessage.decode(type: "assignment.reminder", body: Data("{}".utf8))) { error in
            XCTAssertEqual((error as? AssignmentMessage.DecodingFailure)?.message.contains("missing field"), true)
        }
    }
}
