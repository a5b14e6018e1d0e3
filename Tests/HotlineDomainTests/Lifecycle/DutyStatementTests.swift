import Foundation
import XCTest

@testable import HotlineDomain

/// PL §19(三): the head's signed statement of duty performed, with a re-handling's resolution.
final class DutyStatementTests: XCTestCase {
    func testOnlyARehandlingUnderAProfileThatTakesItCarriesOne() throws {
        XCTAssertTrue(try RuleProfiles.pingli().handling.dutyStatementOnRehandling == true)
        XCTAssertNil(try RuleProfiles.pingshan().handling.dutyStatementOnRehandling)
        XCTAssertNil(DutyStatement.refusal(acceptedByProfile: true, rehandling: true))
        XCTAssertEqual(DutyStatement.refusal(acceptedByProfile: true, rehandling: false)?.reason, .notAllowed)
        XCTAssertEqual(DutyStatement.refusal(acceptedByProfile: false, rehandling: true)?.rule, "handling.duty_statement_on_rehandling")
    }

    func testItIsSignedAndNotBlank() {
        let now = Date()
        XCTAssertEqual(DutyStatement(statement: "已依法办理", signedBy: "李局长", signedAt: now).problems, [])
        XCTAssertEqual(DutyStatement(statement: " ", signedBy: "", signedAt: now).problems, [
            "duty_statement.statement must not be blank", "duty_statement.signed_by must not be blank",
        ])
        XCTAssertEqual(
            UnitSubmitResolution(
                assignmentID: "A-1", outcome: .explained, reply: "已说明", handledAt: now, handler: "王工",
                dutyStatement: DutyStatement(statement: "x", signedBy: String(repeating: "李", count: 65), signedAt: now)
            ).validationProblems(),
            ["duty_statement.signed_by must be at most 64 characters"])
    }
}
