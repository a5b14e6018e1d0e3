import Foundation
import XCTest

@testable import HotlineDomain

/// Who may do what to an entry (PS §22: 谁提供，谁审核，谁负责), its ids, its commands' checks, and the
/// correction deadline's events.
final class KnowledgeEntryRulesTests: XCTestCase {
    private let published = KnowledgeEntrySnapshot(knowledgeID: "KB-000001", unit: "CG", state: .published)

    func testAUnitActsOnlyOnItsOwnEntries() {
        XCTAssertNil(KnowledgeEntryRules.checkDraft(nil, knowledgeID: nil, by: "CG"), "a new entry")
        XCTAssertNil(KnowledgeEntryRules.checkDraft(published, knowledgeID: "KB-000001", by: "CG"))
        XCTAssertEqual(KnowledgeEntryRules.checkDraft(published, knowledgeID: "KB-000001", by: "KZ")?.reason, .forbidden)
        XCTAssertEqual(KnowledgeEntryRules.checkDraft(nil, knowledgeID: "KB-000009", by: "CG")?.reason, .notFound)
        XCTAssertEqual(KnowledgeEntryRules.checkWithdraw(published, knowledgeID: "KB-000001", by: "KZ")?.reason, .forbidden)
    }

    func testTheReviewerIsNeverTheEditorAndReviewsTheWaitingDraft() {
        let draft = (revision: 2, editor: "王采编")
        func review(_ revision: Int, _ reviewer: String) -> CommandRefusal? {
            KnowledgeEntryRules.checkReview(
                published, knowledgeID: "KB-000001", by: "CG", draft: draft, revision: revision, reviewer: reviewer)
        }
        XCTAssertNil(review(2, "李审核"))
        XCTAssertEqual(review(2, " 王采编 ")?.reason, .notAllowed)
        XCTAssertFalse(review(2, "王采编")?.message.contains("王") ?? true, "no name in a refusal: it is published")
        XCTAssertEqual(review(1, "李审核")?.reason, .wrongState)
        XCTAssertEqual(
            KnowledgeEntryRules.checkReview(
                published, knowledgeID: "KB-000001", by: "CG", draft: nil, revision: 2, reviewer: "李审核")?.reason,
            .wrongState, "no draft waiting")
    }

    func testTheCenterFlagsAPublishedEntryOnceAtATime() {
        XCTAssertNil(KnowledgeEntryRules.checkFlag(published, knowledgeID: "KB-000001"))
        var flagged = published
        flagged.openCorrection = "KB-000001-C1"
        XCTAssertEqual(KnowledgeEntryRules.checkFlag(flagged, knowledgeID: "KB-000001")?.reason, .wrongState)
        var draft = published
        draft.state = .draft
        XCTAssertEqual(KnowledgeEntryRules.checkFlag(draft, knowledgeID: "KB-000001")?.reason, .wrongState)
        draft.state = .withdrawn
        XCTAssertEqual(KnowledgeEntryRules.checkWithdraw(draft, knowledgeID: "KB-000001", by: "CG")?.reason, .wrongState)
        XCTAssertEqual(KnowledgeEntryRules.checkFlag(nil, knowledgeID: "KB-000009")?.reason, .notFound)
    }

    func testACorrectionNamesItsEntry() {
        XCTAssertEqual(KnowledgeNaming.knowledgeID(number: 42), "KB-000042")
        XCTAssertEqual(KnowledgeNaming.knowledgeID(number: 1_234_567), "KB-1234567")
        let correction = KnowledgeNaming.correctionID(knowledgeID: "KB-000042", number: 3)
        XCTAssertEqual(correction, "KB-000042-C3")
        XCTAssertEqual(KnowledgeNaming.knowledgeID(ofCorrection: correction), "KB-000042")
        XCTAssertNil(KnowledgeNaming.knowledgeID(ofCorrection: "PS-20261123-000042-CG"))
        XCTAssertNil(KnowledgeNaming.knowledgeID(ofCorrection: "KB-000042-C"))
    }

    func testCommandsAreCheckedBeyondTheirShape() {
        func problem(_ type: CommandType, _ json: String) -> String? {
            if case .failure(let error) = Command.decode(type: type.rawValue, body: Data(json.utf8)) { return error.message }
            return nil
        }
        XCTAssertNil(problem(.unitDraftKnowledge, #"{"kind":"qa","title":"t","body":"b","editor":"王"}"#))
        XCTAssertNotNil(problem(.unitDraftKnowledge, #"{"kind":"faq","title":"t","body":"b","editor":"王"}"#))
        XCTAssertTrue(problem(.unitDraftKnowledge, #"{"kind":"qa","title":" ","body":"b","editor":"王"}"#)?
            .contains("title must not be blank") ?? false)
        XCTAssertTrue(problem(.unitDraftKnowledge, #"{"kind":"qa","title":"t","body":"b","editor":"王","public_interest":true}"#)?
            .contains("public_interest is only for kind policy") ?? false)
        XCTAssertTrue(problem(.unitDraftKnowledge, """
            {"kind":"policy","title":"t","body":"b","editor":"王","effective_from":"2026-12-09T00:00:00+08:00",
             "valid_until":"2026-12-01T00:00:00+08:00"}
            """)?.contains("valid_until must be after effective_from") ?? false)
        XCTAssertTrue(problem(.unitReviewKnowledge, #"{"knowledge_id":"KB-1","revision":1,"approve":false,"reviewer":"李"}"#)?
            .contains("note must say why") ?? false)
        XCTAssertTrue(problem(.gatewaySearchKnowledge, #"{"query":"居住证","limit":51}"#)?.contains("limit must be 1-50") ?? false)
        XCTAssertTrue(problem(.centerFlagKnowledge, #"{"knowledge_id":"KB-1","problem":"错","operator":" "}"#)?
            .contains("operator must not be blank") ?? false)
        XCTAssertEqual(CommandType.gatewaySearchKnowledge.sender, .gateway)
        XCTAssertTrue(CommandType.gatewaySearchKnowledge.permits(.gateway))
        XCTAssertFalse(CommandType.unitDraftKnowledge.permits(.gateway))
        if case .otherService = DispatcherCommandRouting(type: "unit.draft-knowledge") {} else {
            XCTFail("the dispatcher leaves knowledge commands to the knowledge service")
        }
    }

    func testACorrectionsTimerFiresWithItsIds() {
        let timer = TimerFiring.DueTimer(
            id: 1, ticketNo: nil, assignmentID: nil, unit: "CG", deadline: .knowledgeCorrection, action: .breach,
            dueAt: Date(timeIntervalSince1970: 100), deadlineAt: Date(timeIntervalSince1970: 100), daysOverdue: nil,
            assignmentState: nil, subject: "KB-000042-C1")
        guard case .fire(.breached(let event)) = TimerFiring.decide(timer, now: Date(timeIntervalSince1970: 101), eventID: "e") else {
            return XCTFail("a due correction breaches")
        }
        XCTAssertEqual(event.correctionID, "KB-000042-C1")
        XCTAssertEqual(event.knowledgeID, "KB-000042")
        XCTAssertNil(event.ticketNo)
        XCTAssertEqual(event.unit, "CG")
        var made = timer
        made.correctionOpen = false
        XCTAssertEqual(TimerFiring.decide(made, now: Date(timeIntervalSince1970: 101), eventID: "e"), .drop,
                       "a correction made meanwhile fires nothing")
    }
}
