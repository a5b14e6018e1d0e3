import Foundation
import HotlineDomain
import XCTest

final class EventCodingTests: XCTestCase {
    private let common: Set<String> = ["event_id", "type", "occurred_at", "ticket_no"]
    private let occurred = ContractTestSupport.time("2026-11-23T09:16:00+08:00")

    private func check<E: HotlineEvent & Equatable>(
        _ type: E.Type, _ literal: String, keys: Set<String>, file: StaticString = #filePath, line: UInt = #line
    ) throws -> E {
        let event = try ContractTestSupport.roundTrip(E.self, literal, expectedKeys: keys, file: file, line: line)
        XCTAssertEqual(event.eventType, E.eventType, file: file, line: line)
        XCTAssertEqual(event.occurredAt, occurred, file: file, line: line)
        XCTAssertEqual(ContractTestSupport.tree(try event.encodedBody())["type"], .string(E.eventType.rawValue), file: file, line: line)
        // The generic reader picks the same struct.
        let generic = try HotlineEvents.decode(Data(literal.utf8))
        XCTAssertEqual(generic as? E, event, file: file, line: line)
        // Never citizen contact data.
        let keys = allKeys(ContractTestSupport.tree(try event.encodedBody()))
        XCTAssertTrue(keys.isDisjoint(with: ["citizen", "phone"]), "\(keys)", file: file, line: line)
        return event
    }

    /// Every key anywhere in a JSON tree.
    private func allKeys(_ value: JSONValue) -> Set<String> {
        switch value {
        case .object(let members):
            return members.reduce(into: Set(members.keys)) { $0.formUnion(allKeys($1.value)) }
        case .array(let items):
            return items.reduce(into: Set<String>()) { $0.formUnion(allKeys($1)) }
        default:
            return []
        }
    }

    func testEventTypesAreTheContracts() {
        XCTAssertEqual(Set(EventType.allCases.map(\.rawValue)), [
            "ticket.accepted", "ticket.answered", "ticket.rejected", "ticket.merged", "ticket.split", "submission.invalid",
            "submission.verification-requested", "submission.verification-reported", "submission.verification-lapsed",
            "ticket.dispatched", "ticket.dispatch-manual", "assignment.signed", "assignment.citizen-notified",
            "assignment.return-requested", "assignment.returned", "assignment.return-denied", "assignment.extension-requested",
            "assignment.extended", "assignment.extension-denied", "assignment.resolution-submitted", "assignment.replanned",
            "assignment.transferred",
            "ticket.resolution-rejected",
            "ticket.resolved", "ticket.stage-resolved", "ticket.reopened", "ticket.closed", "sla.warning", "sla.breached",
            "escalation.raised", "alert.raised", "survey.sent", "survey.completed", "card.issued", "cards.computed", "reference.changed",
            "command.rejected", "knowledge.drafted", "knowledge.published", "knowledge.draft-rejected", "knowledge.withdrawn",
            "knowledge.flagged", "ticket.concluded", "assessment.appealed", "assessment.appeal-decided",
            "assessment.points-awarded", "supervision.opened", "supervision.answered", "supervision.escalated",
            "supervision.closed",
        ])
        for type in EventType.allCases {
            XCTAssertEqual(type.eventStruct.eventType, type)
            XCTAssertEqual(type.routingKey, type.rawValue)
        }
        XCTAssertEqual(EventType.allCases.filter(\.isIntakeOutcome).count, 6)
    }

    // MARK: - Intake outcomes

    func testTicketAccepted() throws {
        let event = try check(TicketAccepted.self, #"""
        {"event_id": "ev-1", "type": "ticket.accepted", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "submission_id": "GW1-20261123-000042", "channel": "hotline",
         "kind": "complaint", "urgency": "normal", "received_at": "2026-11-23T09:15:00+08:00", "category": "CG-001",
         "street": "坑梓街道", "community": "秀新社区", "parent_no": "PS-20261123-000041"}
        """#, keys: common.union(["submission_id", "channel", "kind", "urgency", "received_at", "category", "street", "community", "parent_no"]))
        XCTAssertEqual(event.eventID, "ev-1")
        XCTAssertEqual(event.ticketNo, "PS-20261123-000042")
        XCTAssertEqual(event.submissionID, "GW1-20261123-000042")
        XCTAssertEqual(event.kind, .complaint)
        XCTAssertEqual(event.parentNo, "PS-20261123-000041")
        XCTAssertNil(event.commandID)
    }

    func testTicketAcceptedMinimalOmitsOptionals() throws {
        let event = TicketAccepted(eventID: "e", occurredAt: occurred, ticketNo: "PS-20261123-000001", submissionID: "s",
                                   channel: .web, kind: .help, urgency: .urgent, receivedAt: occurred)
        XCTAssertEqual(ContractTestSupport.keys(try event.encodedBody()),
                       common.union(["submission_id", "channel", "kind", "urgency", "received_at"]))
        XCTAssertEqual(try HotlineJSON.decode(TicketAccepted.self, from: try event.encodedBody()), event)
    }

    func testTicketAnswered() throws {
        let event = try check(TicketAnswered.self, #"""
        {"event_id": "ev-2", "type": "ticket.answered", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000043", "submission_id": "s2", "channel": "app",
         "received_at": "2026-11-23T09:15:00+08:00", "category": "ZX-001", "knowledge_id": "KB-9"}
        """#, keys: common.union(["submission_id", "channel", "received_at", "category", "knowledge_id"]))
        XCTAssertEqual(event.knowledgeID, "KB-9")
        XCTAssertEqual(event.channel, .app)
    }

    func testTicketRejected() throws {
        let event = try check(TicketRejected.self, #"""
        {"event_id": "ev-3", "type": "ticket.rejected", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000044", "submission_id": "s3", "reason": "emergency_redirect",
         "basis": "ZS §13(一)", "emergency_number": "110", "channel": "hotline"}
        """#, keys: common.union(["submission_id", "reason", "basis", "emergency_number", "channel"]))
        XCTAssertEqual(event.reason, .emergencyRedirect)
        XCTAssertEqual(event.basis, "ZS §13(一)")
        XCTAssertEqual(event.emergencyNumber, "110")
    }

    func testTicketMerged() throws {
        let event = try check(TicketMerged.self, #"""
        {"event_id": "ev-4", "type": "ticket.merged", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000045", "submission_id": "s4", "merged_into": "PS-20261120-000007", "channel": "web"}
        """#, keys: common.union(["submission_id", "merged_into", "channel"]))
        XCTAssertEqual(event.mergedInto, "PS-20261120-000007")
    }

    func testTicketSplit() throws {
        let event = try check(TicketSplit.self, #"""
        {"event_id": "ev-5", "type": "ticket.split", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000046", "submission_id": "s5",
         "children": ["PS-20261123-000047", "PS-20261123-000048"], "channel": "hotline"}
        """#, keys: common.union(["submission_id", "children", "channel"]))
        XCTAssertEqual(event.children, ["PS-20261123-000047", "PS-20261123-000048"])
    }

    func testSubmissionInvalid() throws {
        let event = try check(SubmissionInvalid.self, #"""
        {"event_id": "ev-6", "type": "submission.invalid", "occurred_at": "2026-11-23T09:16:00+08:00",
         "submission_id": "s6", "errors": [{"field": "citizen.phone", "problem": "required unless anonymous"},
         {"field": "demands[1].description", "problem": "must not be blank"}], "invalid_id": "inv-1"}
        """#, keys: ["event_id", "type", "occurred_at", "submission_id", "errors", "invalid_id"])
        XCTAssertNil(event.ticketNo)
        XCTAssertEqual(event.errors, [FieldProblem(field: "citizen.phone", problem: "required unless anonymous"),
                                      FieldProblem(field: "demands[1].description", problem: "must not be blank")])
        // The submission id may be unknown.
        let unknown = SubmissionInvalid(eventID: "e", occurredAt: occurred, errors: [FieldProblem(field: "body", problem: "not UTF-8")])
        XCTAssertEqual(ContractTestSupport.keys(try unknown.encodedBody()), ["event_id", "type", "occurred_at", "errors"])
    }

    // MARK: - Dispatch

    func testTicketDispatched() throws {
        let event = try check(TicketDispatched.self, #"""
        {"event_id": "ev-7", "type": "ticket.dispatched", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "mode": "lead_co", "manual": true, "command_id": "cmd-1",
         "assignments": [
           {"assignment_id": "A-1", "unit": "CG", "role": "lead",
            "deadlines": {"sign_by": "2026-11-23T12:00:00+08:00", "notify_by": "2026-11-24T18:00:00+08:00",
                          "resolve_by": "2026-12-02T18:00:00+08:00"}},
           {"assignment_id": "A-2", "unit": "KZ", "role": "co"}
         ]}
        """#, keys: common.union(["assignments", "mode", "manual", "command_id"]))
        XCTAssertEqual(event.assignments.map(\.unit), ["CG", "KZ"])
        XCTAssertEqual(event.assignments.map(\.role), [.lead, .co])
        XCTAssertEqual(event.assignments[0].deadlines?.resolveBy, ContractTestSupport.time("2026-12-02T18:00:00+08:00"))
        XCTAssertEqual(event.mode, .leadCo)
        XCTAssertEqual(event.commandID, "cmd-1")
        let item = try ContractTestSupport.roundTrip(DispatchedAssignment.self, #"{"assignment_id": "A-9", "unit": "ZJ", "role": "first_responsible"}"#,
                                                     expectedKeys: ["assignment_id", "unit", "role"])
        XCTAssertEqual(item, DispatchedAssignment(assignmentID: "A-9", unit: "ZJ", role: .firstResponsible))
    }

    func testTicketDispatchManual() throws {
        let event = try check(TicketDispatchManual.self, #"""
        {"event_id": "ev-8", "type": "ticket.dispatch-manual", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "reason": "no catalogue item", "candidates": ["CG", "ZJ"], "category": "QT-999"}
        """#, keys: common.union(["reason", "candidates", "category"]))
        XCTAssertEqual(event.reason, "no catalogue item")
        XCTAssertEqual(event.candidates, ["CG", "ZJ"])
    }

    // MARK: - Assignments

    func testAssignmentSigned() throws {
        let event = try check(AssignmentSigned.self, #"""
        {"event_id": "ev-9", "type": "assignment.signed", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "assignment_id": "A-1", "unit": "CG", "auto": false, "role": "parallel",
         "command_id": "cmd-2"}
        """#, keys: common.union(["assignment_id", "unit", "auto", "role", "command_id"]))
        XCTAssertFalse(event.auto)
        XCTAssertEqual(event.role, .parallel)
        XCTAssertEqual(event.commandID, "cmd-2")
    }

    func testAssignmentCitizenNotified() throws {
        let event = try check(AssignmentCitizenNotified.self, #"""
        {"event_id": "ev-10", "type": "assignment.citizen-notified", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "assignment_id": "A-1", "unit": "CG", "stage": "acceptance",
         "method": "phone", "at": "2026-11-23T09:10:00+08:00", "command_id": "cmd-3"}
        """#, keys: common.union(["assignment_id", "unit", "stage", "method", "at", "command_id"]))
        XCTAssertEqual(event.stage, .acceptance)
        XCTAssertEqual(event.at, ContractTestSupport.time("2026-11-23T01:10:00Z"))
    }

    func testAssignmentReturnRequested() throws {
        let event = try check(AssignmentReturnRequested.self, #"""
        {"event_id": "ev-11", "type": "assignment.return-requested", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "assignment_id": "A-1", "unit": "CG", "reason_code": "not_our_duty",
         "reason": "不属本单位职责", "basis": "三定方案", "suggested_unit": "ZJ", "late": false, "command_id": "cmd-4"}
        """#, keys: common.union(["assignment_id", "unit", "reason_code", "reason", "basis", "suggested_unit", "late", "command_id"]))
        XCTAssertEqual(event.reasonCode, "not_our_duty")
        XCTAssertEqual(event.suggestedUnit, "ZJ")
    }

    func testAssignmentReturnedAndDenied() throws {
        let returned = try check(AssignmentReturned.self, #"""
        {"event_id": "ev-12", "type": "assignment.returned", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "assignment_id": "A-1", "unit": "CG", "reassigned_to": "ZJ",
         "note": "同意", "overdue": false, "command_id": "cmd-5"}
        """#, keys: common.union(["assignment_id", "unit", "reassigned_to", "note", "overdue", "command_id"]))
        XCTAssertEqual(returned.reassignedTo, "ZJ")
        let denied = try check(AssignmentReturnDenied.self, #"""
        {"event_id": "ev-13", "type": "assignment.return-denied", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "assignment_id": "A-1", "unit": "CG", "note": "理由不充分", "command_id": "cmd-6"}
        """#, keys: common.union(["assignment_id", "unit", "note", "command_id"]))
        XCTAssertEqual(denied.note, "理由不充分")
    }

    func testAssignmentExtensionEvents() throws {
        let requested = try check(AssignmentExtensionRequested.self, #"""
        {"event_id": "ev-14", "type": "assignment.extension-requested", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "assignment_id": "A-1", "unit": "CG", "request_id": "X-1",
         "working_days": 5, "reason": "需现场勘查", "command_id": "cmd-7"}
        """#, keys: common.union(["assignment_id", "unit", "request_id", "working_days", "reason", "command_id"]))
        XCTAssertEqual(requested.requestID, "X-1")
        XCTAssertEqual(requested.workingDays, 5)
        let extended = try check(AssignmentExtended.self, #"""
        {"event_id": "ev-15", "type": "assignment.extended", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "assignment_id": "A-1", "unit": "CG", "resolve_by": "2026-12-09T18:00:00+08:00",
         "request_id": "X-1", "working_days": 5, "note": "同意", "command_id": "cmd-8"}
        """#, keys: common.union(["assignment_id", "unit", "resolve_by", "request_id", "working_days", "note", "command_id"]))
        XCTAssertEqual(extended.resolveBy, ContractTestSupport.time("2026-12-09T10:00:00Z"))
        let denied = try check(AssignmentExtensionDenied.self, #"""
        {"event_id": "ev-16", "type": "assignment.extension-denied", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "assignment_id": "A-1", "unit": "CG", "request_id": "X-1", "note": "不同意",
         "command_id": "cmd-9"}
        """#, keys: common.union(["assignment_id", "unit", "request_id", "note", "command_id"]))
        XCTAssertEqual(denied.requestID, "X-1")
    }

    func testAssignmentResolutionSubmitted() throws {
        let event = try check(AssignmentResolutionSubmitted.self, #"""
        {"event_id": "ev-17", "type": "assignment.resolution-submitted", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "assignment_id": "A-1", "unit": "CG", "resolution_kind": "stage",
         "outcome": "explained", "handled_at": "2026-11-23T09:00:00+08:00", "follow_up_by": "2027-01-23T18:00:00+08:00",
         "command_id": "cmd-10"}
        """#, keys: common.union(["assignment_id", "unit", "resolution_kind", "outcome", "handled_at", "follow_up_by", "command_id"]))
        XCTAssertEqual(event.resolutionKind, .stage)
        XCTAssertEqual(event.outcome, .explained)
        XCTAssertEqual(ResolutionKind.allCases.map(\.rawValue), ["final", "stage", "part"])
    }

    // MARK: - Ticket lifecycle

    func testAssignmentReplanned() throws {
        let event = try check(AssignmentReplanned.self, #"""
        {"event_id": "ev-34", "type": "assignment.replanned", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "assignment_id": "A-1", "unit": "CG", "reason": "reopened",
         "deadlines": {"sign_by": "2026-11-23T12:15:00+08:00", "notify_by": "2026-11-24T18:00:00+08:00",
                       "resolve_by": "2026-12-02T18:00:00+08:00"},
         "reopened_at": "2026-11-23T09:15:58+08:00"}
        """#, keys: common.union(["assignment_id", "unit", "reason", "deadlines", "reopened_at"]))
        XCTAssertEqual(event.reason, AssignmentReplanned.reopened)
        XCTAssertEqual(event.deadlines.resolveBy, ContractTestSupport.time("2026-12-02T10:00:00Z"))
        XCTAssertEqual(event.reopenedAt, ContractTestSupport.time("2026-11-23T01:15:58Z"))
        XCTAssertNil(event.commandID)
    }

    func testAssignmentTransferred() throws {
        let event = try check(AssignmentTransferred.self, #"""
        {"event_id": "ev-35", "type": "assignment.transferred", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "assignment_id": "PS-20261123-000042-CG", "unit": "CG",
         "reason": "unit_retired", "successor": "QH-CGJ", "successor_assignment_id": "PS-20261123-000042-QH-CGJ"}
        """#, keys: common.union(["assignment_id", "unit", "reason", "successor", "successor_assignment_id"]))
        XCTAssertEqual(event.reason, AssignmentTransferred.unitRetired)
        XCTAssertEqual(event.successorAssignmentID, "PS-20261123-000042-QH-CGJ")
        let toManual = AssignmentTransferred(
            eventID: "e", occurredAt: occurred, ticketNo: "PS-20261123-000042", assignmentID: "A-1", unit: "CG",
            reason: AssignmentTransferred.unitRetired)
        XCTAssertEqual(ContractTestSupport.keys(try toManual.encodedBody()), common.union(["assignment_id", "unit", "reason"]))
    }

    func testTicketResolutionEvents() throws {
        let rejected = try check(TicketResolutionRejected.self, #"""
        {"event_id": "ev-18", "type": "ticket.resolution-rejected", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "assignment_id": "A-1", "unit": "CG", "note": "答复不完整", "command_id": "cmd-11"}
        """#, keys: common.union(["assignment_id", "unit", "note", "command_id"]))
        XCTAssertEqual(rejected.note, "答复不完整")
        let resolved = try check(TicketResolved.self, #"""
        {"event_id": "ev-19", "type": "ticket.resolved", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "assignment_id": "A-1", "unit": "CG", "outcome": "not_adopted", "command_id": "cmd-12"}
        """#, keys: common.union(["assignment_id", "unit", "outcome", "command_id"]))
        XCTAssertEqual(resolved.outcome, .notAdopted)
        let stage = try check(TicketStageResolved.self, #"""
        {"event_id": "ev-20", "type": "ticket.stage-resolved", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "assignment_id": "A-1", "unit": "CG", "follow_up_by": "2027-01-23T18:00:00+08:00",
         "command_id": "cmd-13"}
        """#, keys: common.union(["assignment_id", "unit", "follow_up_by", "command_id"]))
        XCTAssertEqual(stage.followUpBy, ContractTestSupport.time("2027-01-23T10:00:00Z"))
    }

    func testTicketReopenedAndClosed() throws {
        let reopened = try check(TicketReopened.self, #"""
        {"event_id": "ev-21", "type": "ticket.reopened", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "assignment_id": "A-1", "unit": "CG", "reason": "low_rating",
         "survey_id": "SV-1", "command_id": "cmd-14"}
        """#, keys: common.union(["assignment_id", "unit", "reason", "survey_id", "command_id"]))
        XCTAssertEqual(reopened.assignmentID, "A-1")
        XCTAssertEqual(reopened.surveyID, "SV-1")
        let closed = try check(TicketClosed.self, #"""
        {"event_id": "ev-22", "type": "ticket.closed", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "reason": "resolved", "command_id": "cmd-15"}
        """#, keys: common.union(["reason", "command_id"]))
        XCTAssertEqual(closed.reason, "resolved")
    }

    // MARK: - SLA, escalation, alerts

    func testSLAEvents() throws {
        let warning = try check(SLAWarning.self, #"""
        {"event_id": "ev-23", "type": "sla.warning", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "assignment_id": "A-1", "unit": "CG", "deadline": "follow_up",
         "due_at": "2026-11-23T12:00:00+08:00"}
        """#, keys: common.union(["assignment_id", "unit", "deadline", "due_at"]))
        XCTAssertEqual(warning.deadline, .followUp)
        XCTAssertEqual(warning.dueAt, ContractTestSupport.time("2026-11-23T04:00:00Z"))
        let breached = try check(SLABreached.self, #"""
        {"event_id": "ev-24", "type": "sla.breached", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "assignment_id": "A-1", "unit": "CG", "deadline": "resolve",
         "due_at": "2026-11-20T18:00:00+08:00"}
        """#, keys: common.union(["assignment_id", "unit", "deadline", "due_at"]))
        XCTAssertEqual(breached.deadline, .resolve)
        XCTAssertEqual(
            DeadlineKind.allCases.map(\.rawValue),
            ["dispatch", "sign", "notify", "feedback", "resolve", "follow_up", "knowledge_correction"])
        // A knowledge-base correction's deadline: no ticket, the correction and its entry.
        let correction = try check(SLAWarning.self, #"""
        {"event_id": "ev-25", "type": "sla.warning", "occurred_at": "2026-11-23T09:16:00+08:00", "unit": "CG",
         "deadline": "knowledge_correction", "due_at": "2026-12-08T18:00:00+08:00", "correction_id": "KB-000042-C1",
         "knowledge_id": "KB-000042"}
        """#, keys: ["event_id", "type", "occurred_at", "unit", "deadline", "due_at", "correction_id", "knowledge_id"])
        XCTAssertNil(correction.ticketNo)
        // The dispatch deadline is the center's: no assignment.
        let dispatch = try check(SLABreached.self, #"""
        {"event_id": "ev-25", "type": "sla.breached", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "deadline": "dispatch", "due_at": "2026-11-23T09:15:00+08:00"}
        """#, keys: common.union(["deadline", "due_at"]))
        XCTAssertNil(dispatch.assignmentID)
    }

    func testEscalationRaised() throws {
        let event = try check(EscalationRaised.self, #"""
        {"event_id": "ev-26", "type": "escalation.raised", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "tier": 2,
         "recipients": [{"role": "leader_in_charge", "unit_code": "CG", "name": "分管副区长"}],
         "assignment_id": "A-1", "unit": "CG", "deadline": "resolve", "days_overdue": 4.5}
        """#, keys: common.union(["tier", "recipients", "assignment_id", "unit", "deadline", "days_overdue"]))
        XCTAssertEqual(event.tier, 2)
        XCTAssertEqual(event.recipients, [NotificationRecipient(role: .leaderInCharge, unitCode: "CG", name: "分管副区长")])
        XCTAssertEqual(event.daysOverdue, 4.5)
    }

    func testAlertRaised() throws {
        let event = try check(AlertRaised.self, #"""
        {"event_id": "ev-27", "type": "alert.raised", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "alert_kind": "repeat_caller", "units": ["CG"], "category": "CG-001",
         "street": "坑梓街道", "community": "秀新社区", "count": 3, "note": "一月内第3次"}
        """#, keys: common.union(["alert_kind", "units", "category", "street", "community", "count", "note"]))
        XCTAssertEqual(event.alertKind, .repeatCaller)
        XCTAssertEqual(AlertKind.allCases.map(\.rawValue), ["safety", "high_frequency", "hotspot", "sensitive", "repeat_caller"])
    }

    // MARK: - Surveys, cards, rejections

    func testSurveyEvents() throws {
        let sent = try check(SurveySent.self, #"""
        {"event_id": "ev-28", "type": "survey.sent", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "survey_id": "SV-1", "method": "sms", "units": ["CG"]}
        """#, keys: common.union(["survey_id", "method", "units"]))
        XCTAssertEqual(sent.surveyID, "SV-1")
        let completed = try check(SurveyCompleted.self, #"""
        {"event_id": "ev-29", "type": "survey.completed", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "survey_id": "SV-1",
         "ratings": {"speed": 5, "effect": 2, "experience": 4, "feedback_quality": 1},
         "solved": false, "contacted": true, "wants_rehandling": true, "satisfied": false, "rehandle": true,
         "excluded": false, "command_id": "cmd-16"}
        """#, keys: common.union(["survey_id", "ratings", "solved", "contacted", "wants_rehandling", "satisfied", "rehandle",
                                  "excluded", "command_id"]))
        XCTAssertEqual(completed.ratings?["effect"]?.intValue, 2)
        XCTAssertEqual(completed.wantsRehandling, true)
    }

    func testCardIssued() throws {
        let event = try check(CardIssued.self, #"""
        {"event_id": "ev-30", "type": "card.issued", "occurred_at": "2026-11-23T09:16:00+08:00",
         "color": "red", "unit": "CG", "quarter": "2026Q4", "reason": "连续两个季度黄牌"}
        """#, keys: ["event_id", "type", "occurred_at", "color", "unit", "quarter", "reason"])
        XCTAssertEqual(event.color, .red)
        XCTAssertNil(event.ticketNo)
        XCTAssertEqual(event.quarter, "2026Q4")
    }

    func testCardsComputed() throws {
        let event = try check(CardsComputed.self, #"""
        {"event_id": "ev-31", "type": "cards.computed", "occurred_at": "2026-11-23T09:16:00+08:00", "quarter": "2026Q3",
         "counts": [{"unit": "CG", "overdue": 10, "shirked": 0}],
         "cards": [{"unit": "CG", "color": "yellow", "overdue": 10, "shirked": 0, "reason": "10 overdue",
                    "issued_at": "2026-11-23T09:16:00+08:00", "new": true}],
         "command_id": "c-9"}
        """#, keys: ["event_id", "type", "occurred_at", "quarter", "counts", "cards", "command_id"])
        XCTAssertNil(event.ticketNo)
        XCTAssertEqual(event.counts, [UnitQuarterCounts(unit: "CG", overdue: 10, shirked: 0)])
        XCTAssertEqual(event.cards.map(\.color), [.yellow])
        XCTAssertEqual(event.cards.first?.new, true)
        XCTAssertEqual(event.commandID, "c-9")
    }

    func testReferenceChanged() throws {
        let event = try check(ReferenceChanged.self, #"""
        {"event_id": "ev-32", "type": "reference.changed", "occurred_at": "2026-11-23T09:16:00+08:00",
         "reference": "jurisdiction", "catalogue_version": 7}
        """#, keys: ["event_id", "type", "occurred_at", "reference", "catalogue_version"])
        XCTAssertNil(event.ticketNo)
        XCTAssertEqual(event.reference, .jurisdiction)
        XCTAssertEqual(event.catalogueVersion, 7)
        let calendar = try check(ReferenceChanged.self, #"""
        {"event_id": "ev-33", "type": "reference.changed", "occurred_at": "2026-11-23T09:16:00+08:00",
         "reference": "calendar", "years": [2026, 2027]}
        """#, keys: ["event_id", "type", "occurred_at", "reference", "years"])
        XCTAssertEqual(calendar.years, [2026, 2027])
    }

    func testKnowledgeEvents() throws {
        let published = try check(KnowledgePublished.self, #"""
        {"event_id": "ev-40", "type": "knowledge.published", "occurred_at": "2026-11-23T09:16:00+08:00",
         "knowledge_id": "KB-000042", "revision": 2, "unit": "CG", "kind": "policy", "title": "新能源车停车优惠",
         "effective_from": "2026-11-30T00:00:00+08:00", "report_timing": "on_time", "working_days_ahead": 5,
         "correction_id": "KB-000042-C1", "corrected_on_time": true, "command_id": "cmd-40"}
        """#, keys: [
            "event_id", "type", "occurred_at", "knowledge_id", "revision", "unit", "kind", "title", "effective_from",
            "report_timing", "working_days_ahead", "correction_id", "corrected_on_time", "command_id",
        ])
        XCTAssertNil(published.ticketNo, "the knowledge base's events have no ticket")
        XCTAssertEqual(published.reportTiming, .onTime)
        let flagged = try check(KnowledgeFlagged.self, #"""
        {"event_id": "ev-41", "type": "knowledge.flagged", "occurred_at": "2026-11-23T09:16:00+08:00",
         "knowledge_id": "KB-000042", "correction_id": "KB-000042-C1", "unit": "CG", "due_at": "2026-11-25T18:00:00+08:00"}
        """#, keys: ["event_id", "type", "occurred_at", "knowledge_id", "correction_id", "unit", "due_at"])
        XCTAssertEqual(flagged.dueAt, ContractTestSupport.time("2026-11-25T18:00:00+08:00"))
        _ = try check(KnowledgeDrafted.self, #"""
        {"event_id": "ev-42", "type": "knowledge.drafted", "occurred_at": "2026-11-23T09:16:00+08:00",
         "knowledge_id": "KB-000042", "revision": 1, "unit": "CG", "kind": "qa"}
        """#, keys: ["event_id", "type", "occurred_at", "knowledge_id", "revision", "unit", "kind"])
        _ = try check(KnowledgeDraftRejected.self, #"""
        {"event_id": "ev-43", "type": "knowledge.draft-rejected", "occurred_at": "2026-11-23T09:16:00+08:00",
         "knowledge_id": "KB-000042", "revision": 1, "unit": "CG"}
        """#, keys: ["event_id", "type", "occurred_at", "knowledge_id", "revision", "unit"])
        _ = try check(KnowledgeWithdrawn.self, #"""
        {"event_id": "ev-44", "type": "knowledge.withdrawn", "occurred_at": "2026-11-23T09:16:00+08:00",
         "knowledge_id": "KB-000042", "unit": "CG"}
        """#, keys: ["event_id", "type", "occurred_at", "knowledge_id", "unit"])
    }

    func testTicketConcluded() throws {
        let concluded = try check(TicketConcluded.self, #"""
        {"event_id": "ev-45", "type": "ticket.concluded", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261101-000042", "unit": "CG", "notice_no": "坪城终〔2026〕7号",
         "issued_at": "2026-11-22T10:00:00+08:00", "bars_repeats": true, "command_id": "cmd-45"}
        """#, keys: common.union(["unit", "notice_no", "issued_at", "bars_repeats", "command_id"]))
        XCTAssertEqual(concluded.issuedAt, ContractTestSupport.time("2026-11-22T10:00:00+08:00"))
        XCTAssertTrue(concluded.barsRepeats)
    }

    func testAssessmentEvents() throws {
        let appealed = try check(AssessmentAppealed.self, #"""
        {"event_id": "ev-46", "type": "assessment.appealed", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PL-20261101-000042", "appeal_id": "ap-1", "unit": "PL-ZJJ", "indicator": "satisfaction_rate",
         "command_id": "cmd-46"}
        """#, keys: common.union(["appeal_id", "unit", "indicator", "command_id"]))
        XCTAssertEqual(appealed.indicator, .satisfactionRate)
        let decided = try check(AssessmentAppealDecided.self, #"""
        {"event_id": "ev-47", "type": "assessment.appeal-decided", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PL-20261101-000042", "appeal_id": "ap-1", "unit": "PL-ZJJ", "indicator": "satisfaction_rate",
         "upheld": true, "note": "诉求超出法定职责", "command_id": "cmd-47"}
        """#, keys: common.union(["appeal_id", "unit", "indicator", "upheld", "note", "command_id"]))
        XCTAssertTrue(decided.upheld)
        let awarded = try check(AssessmentPointsAwarded.self, #"""
        {"event_id": "ev-48", "type": "assessment.points-awarded", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "DY-20261101-000042", "award_id": "aw-1", "unit": "DY-ZJJ", "kind": "typical_case", "points": 2,
         "command_id": "cmd-48"}
        """#, keys: common.union(["award_id", "unit", "kind", "points", "command_id"]))
        XCTAssertEqual(awarded.points, 2)
    }

    func testSupervisionEvents() throws {
        let opened = try check(SupervisionOpened.self, #"""
        {"event_id": "ev-49", "type": "supervision.opened", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261101-000042", "supervision_id": "SV-1", "unit": "CG", "ground": "overdue_without_cause",
         "mode": "phone", "level": 1, "answer_by": "2026-11-26T09:16:00+08:00", "note": "限期办结", "command_id": "cmd-49"}
        """#, keys: common.union(["supervision_id", "unit", "ground", "mode", "level", "answer_by", "note", "command_id"]))
        XCTAssertEqual(opened.mode, .phone)
        _ = try check(SupervisionAnswered.self, #"""
        {"event_id": "ev-50", "type": "supervision.answered", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261101-000042", "supervision_id": "SV-1", "unit": "CG", "level": 1, "on_time": true, "command_id": "cmd-50"}
        """#, keys: common.union(["supervision_id", "unit", "level", "on_time", "command_id"]))
        _ = try check(SupervisionEscalated.self, #"""
        {"event_id": "ev-51", "type": "supervision.escalated", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261101-000042", "supervision_id": "SV-1", "unit": "CG", "mode": "reminder_letter", "level": 2,
         "answer_by": "2026-11-26T09:16:00+08:00", "note": "提醒函", "command_id": "cmd-51"}
        """#, keys: common.union(["supervision_id", "unit", "mode", "level", "answer_by", "note", "command_id"]))
        let closed = try check(SupervisionClosed.self, #"""
        {"event_id": "ev-52", "type": "supervision.closed", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261101-000042", "supervision_id": "SV-1", "unit": "CG", "level": 2,
         "referral_grounds": ["shirking"], "note": "移交区纪委监委", "command_id": "cmd-52"}
        """#, keys: common.union(["supervision_id", "unit", "level", "referral_grounds", "note", "command_id"]))
        XCTAssertEqual(closed.referralGrounds, [.shirking])
    }

    func testVerificationEvents() throws {
        let requested = try check(SubmissionVerificationRequested.self, #"""
        {"event_id": "ev-53", "type": "submission.verification-requested", "occurred_at": "2026-11-23T09:16:00+08:00",
         "submission_id": "GW1-1", "verification_id": "VF-1", "unit": "KZ", "street": "坑梓街道",
         "due_by": "2026-11-23T11:16:00+08:00", "channel": "hotline"}
        """#, keys: ["event_id", "type", "occurred_at", "submission_id", "verification_id", "unit", "street", "due_by", "channel"])
        XCTAssertNil(requested.ticketNo, "no ticket while the submission is held")
        let reported = try check(SubmissionVerificationReported.self, #"""
        {"event_id": "ev-54", "type": "submission.verification-reported", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "submission_id": "GW1-1", "verification_id": "VF-1", "unit": "KZ",
         "verified": false, "verified_at": "2026-11-23T09:10:00+08:00", "on_time": true, "command_id": "cmd-54"}
        """#, keys: common.union(["submission_id", "verification_id", "unit", "verified", "verified_at", "on_time", "command_id"]))
        XCTAssertEqual(reported.commandID, "cmd-54")
        _ = try check(SubmissionVerificationLapsed.self, #"""
        {"event_id": "ev-55", "type": "submission.verification-lapsed", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "submission_id": "GW1-1", "verification_id": "VF-1", "unit": "KZ",
         "due_by": "2026-11-23T09:16:00+08:00"}
        """#, keys: common.union(["submission_id", "verification_id", "unit", "due_by"]))
    }

    func testCommandRejected() throws {
        let event = try check(CommandRejected.self, #"""
        {"event_id": "ev-31", "type": "command.rejected", "occurred_at": "2026-11-23T09:16:00+08:00",
         "ticket_no": "PS-20261123-000042", "command_id": "cmd-17", "command_type": "unit.sign", "reason": "forbidden",
         "message": "assignment A-1 belongs to another unit", "assignment_id": "A-1"}
        """#, keys: common.union(["command_id", "command_type", "reason", "message", "assignment_id"]))
        XCTAssertEqual(event.commandID, "cmd-17")
        XCTAssertEqual(event.reason, .forbidden)
        XCTAssertEqual(CommandRejection.allCases.map(\.rawValue), ["forbidden", "not_found", "invalid", "wrong_state", "too_late", "not_allowed"])
    }

    // MARK: - The type field

    func testTypeIsCheckedOnDecode() {
        let wrongType = #"""
        {"event_id": "e", "type": "ticket.answered", "occurred_at": "2026-11-23T09:16:00+08:00", "ticket_no": "PS-20261123-000042",
         "submission_id": "s", "channel": "hotline", "kind": "complaint", "urgency": "normal", "received_at": "2026-11-23T09:15:00+08:00"}
        """#
        XCTAssertThrowsError(try HotlineJSON.decode(TicketAccepted.self, from: Data(wrongType.utf8)))
        let noType = wrongType.replacingOccurrences(of: #""type": "ticket.answered", "#, with: "")
        XCTAssertThrowsError(try HotlineJSON.decode(TicketAccepted.self, from: Data(noType.utf8)))
        let right = wrongType.replacingOccurrences(of: "ticket.answered", with: "ticket.accepted")
        XCTAssertNoThrow(try HotlineJSON.decode(TicketAccepted.self, from: Data(right.utf8)))
    }

    func testGenericDecodingErrors() {
        XCTAssertThrowsError(try HotlineEvents.decode(Data("[]".utf8)))
        XCTAssertThrowsError(try HotlineEvents.decode(Data(#"{"type": "ticket.exploded"}"#.utf8))) { error in
            XCTAssertEqual((error as? HotlineEvents.DecodingFailure)?.message, "unknown event type ticket.exploded")
        }
        XCTAssertThrowsError(try HotlineEvents.decode(Data(#"{"type": "card.issued", "event_id": "e"}"#.utf8))) { error in
            XCTAssertEqual((error as? HotlineEvents.DecodingFailure)?.message.contains("missing field"), true)
        }
        // The AMQP type and the body's type must agree.
        let card = #"{"event_id": "e", "type": "card.issued", "occurred_at": "2026-11-23T09:16:00+08:00", "color": "yellow", "unit": "CG", "quarter": "2026Q4"}"#
        XCTAssertNoThrow(try HotlineEvents.decode(type: "card.issued", body: Data(card.utf8)))
        XCTAssertThrowsError(try HotlineEvents.decode(type: "sla.warning", body: Data(card.utf8)))
    }
}
