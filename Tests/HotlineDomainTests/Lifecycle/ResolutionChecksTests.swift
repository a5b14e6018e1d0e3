import Foundation
import XCTest

@testable import HotlineDomain

final class ResolutionChecksTests: XCTestCase {
    private typealias F = CalendarFixtures

    private func resolution(reply: String = "已清理占道摊贩并加强巡查", attachments: [JSONValue]? = nil) -> UnitSubmitResolution {
        UnitSubmitResolution(
            assignmentID: "PS-1-CG", outcome: .resolved, reply: reply, handledAt: F.at("2025-03-12T10:00:00"),
            handler: "张三", attachments: attachments)
    }

    private func photo(_ fields: [String: String]) -> JSONValue { .object(fields.mapValues { .string($0) }) }

    func testAReplyIsRequired() {
        XCTAssertNil(ResolutionChecks.check(resolution(), needsPhotos: false, coUnitsNotReported: []))
        XCTAssertEqual(ResolutionChecks.check(resolution(reply: " \n"), needsPhotos: false, coUnitsNotReported: [])?.reason, .invalid)
        // PL §15(三): a complaint or report resolution says whether a case was filed, completely.
        func filing(_ filing: CaseFiling?) -> CommandRefusal? {
            var resolution = resolution()
            resolution.caseFiling = filing
            return ResolutionChecks.check(resolution, needsPhotos: false, coUnitsNotReported: [], caseFilingRequired: true)
        }
        XCTAssertEqual(filing(nil)?.reason, .invalid)
        XCTAssertTrue(filing(CaseFiling(filed: true))?.message.contains("case_filing.number and case_filing.filed_at") == true)
        XCTAssertNil(filing(CaseFiling(filed: true, number: "坪城立〔2026〕12号", filedAt: Date())))
        XCTAssertTrue(filing(CaseFiling(filed: false, reason: "经调查不构成违法"))?.message.contains("case_filing.basis") == true)
        XCTAssertNil(filing(CaseFiling(filed: false, reason: "经调查不构成违法", basis: "《行政处罚法》第三十三条")))
        // DY (8): where the profile wants it, the contact with the citizen comes first.
        let uncontacted = ResolutionChecks.check(resolution(), needsPhotos: false, coUnitsNotReported: [], contactMissing: true)
        XCTAssertEqual(uncontacted?.reason, .notAllowed)
        XCTAssertTrue(uncontacted?.message.contains("unit.notify-citizen") == true)
    }

    func testBeforeAndAfterPhotosWhereTheItemNeedsThem() {
        let before = photo(["type": "photo", "stage": "before", "url": "https://files.example/1"])
        let after = photo(["kind": "photo_after", "url": "https://files.example/2"])
        XCTAssertNil(ResolutionChecks.check(resolution(attachments: [before, after]), needsPhotos: true, coUnitsNotReported: []))
        let onlyBefore = ResolutionChecks.check(resolution(attachments: [before]), needsPhotos: true, coUnitsNotReported: [])
        XCTAssertEqual(onlyBefore?.reason, .invalid)
        XCTAssertTrue(onlyBefore?.message.contains("after") ?? false, onlyBefore?.message ?? "")
        XCTAssertEqual(ResolutionChecks.check(resolution(), needsPhotos: true, coUnitsNotReported: [])?.reason, .invalid)
        XCTAssertNil(ResolutionChecks.check(resolution(), needsPhotos: false, coUnitsNotReported: []), "no photos needed")
        // A document that says "before" is not a photo.
        let document = photo(["type": "document", "name": "情况说明（处置前）.pdf"])
        XCTAssertEqual(ResolutionChecks.photoStages([document, after]), [.after])
    }

    func testPhotoStagesFromNamesAndChineseLabels() {
        XCTAssertEqual(ResolutionChecks.photoStages([.string("before.jpg"), .string("after.JPG")]), [.before, .after])
        XCTAssertEqual(
            ResolutionChecks.photoStages([photo(["label": "整改前照片"]), photo(["label": "整改后照片"])]), [.before, .after])
        XCTAssertEqual(ResolutionChecks.photoStages([photo(["image": "https://x/a.png", "when": "after"])]), [.after])
        XCTAssertEqual(ResolutionChecks.photoStages(nil), [])
        XCTAssertEqual(ResolutionChecks.photoStages([.number(1), .null]), [])
    }

    func testALeadWaitsForItsCoUnits() {
        let refusal = ResolutionChecks.check(resolution(), needsPhotos: false, coUnitsNotReported: ["ZJ"])
        XCTAssertEqual(refusal?.reason, .wrongState)
        XCTAssertTrue(refusal?.message.contains("ZJ") ?? false)
        XCTAssertEqual(ResolutionChecks.coUnitsNotReported(coUnits: ["ZJ", "GT"], reported: ["GT"]), ["ZJ"])
        XCTAssertEqual(ResolutionChecks.coUnitsNotReported(coUnits: ["ZJ", "GT"], reported: ["GT", "ZJ"]), [])
    }

    func testStageResolutionApprovalLevels() throws {
        let rules = try RuleProfiles.pingshan().stageResolution
        let now = F.at("2025-03-10T10:00:00")
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        func level(_ followUp: String) throws -> StageResolutionRules.Approver {
            let stage = UnitSubmitStageResolution(
                assignmentID: "A", reason: "需协调多部门", progress: "已完成初步清理", plan: "下月完成改造", followUpBy: F.at(followUp))
            return try ResolutionChecks.checkStage(stage, rules: rules, now: now, timeZone: zone).get().approver
        }
        XCTAssertEqual(try level("2025-03-25T10:00:00"), .unitDeputyHead)
        XCTAssertEqual(try level("2025-04-10T10:00:00"), .unitDeputyHead, "exactly one month")
        XCTAssertEqual(try level("2025-04-10T10:00:01"), .unitHead)
        XCTAssertEqual(try level("2025-06-09T10:00:00"), .unitHead)
        XCTAssertEqual(try level("2025-06-10T10:00:00"), .districtLeader, "three months and more")

        let past = UnitSubmitStageResolution(
            assignmentID: "A", reason: "r", progress: "p", plan: "p", followUpBy: F.at("2025-03-10T09:00:00"))
        guard case .failure(let refusal) = ResolutionChecks.checkStage(past, rules: rules, now: now, timeZone: zone) else {
            return XCTFail("a follow-up in the past must be refused")
        }
        XCTAssertEqual(refusal.reason, .invalid)
        let blank = UnitSubmitStageResolution(
            assignmentID: "A", reason: "", progress: "p", plan: " ", followUpBy: F.at("2025-04-10T09:00:00"))
        guard case .failure(let missing) = ResolutionChecks.checkStage(blank, rules: rules, now: now, timeZone: zone) else {
            return XCTFail("blank reason and plan must be refused")
        }
        XCTAssertTrue(missing.message.contains("reason") && missing.message.contains("plan"), missing.message)
    }
}
