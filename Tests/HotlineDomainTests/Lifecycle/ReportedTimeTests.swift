import Foundation
import XCTest

@testable import HotlineDomain

final class ReportedTimeTests: XCTestCase {
    private let dispatchedAt = Date(timeIntervalSince1970: 1_750_000_000.750)
    private let now = Date(timeIntervalSince1970: 1_750_003_600)

    private func problem(_ offsetFromDispatch: TimeInterval) -> String? {
        ReportedTime.problem(
            Date(timeIntervalSince1970: 1_750_000_000 + offsetFromDispatch), field: "at", dispatchedAt: dispatchedAt,
            now: now, skew: 300)?.problem
    }

    func testATimeWithinTheAssignmentsLifeIsAccepted() {
        XCTAssertNil(problem(0), "the dispatch's own second, though the dispatch had a fraction more")
        XCTAssertNil(problem(1_800))
        XCTAssertNil(problem(3_600 + 300), "up to the allowed skew ahead of the platform's clock")
    }

    func testATimeBeforeTheDispatchOrBeyondTheSkewIsRefused() {
        XCTAssertEqual(problem(-1), "before the assignment was dispatched")
        XCTAssertEqual(problem(3_600 + 301), "in the future")
        let refusal = ReportedTime.refusal(FieldProblem(field: "handled_at", problem: "in the future"))
        XCTAssertEqual(refusal.reason, .invalid)
        XCTAssertEqual(refusal.message, "handled_at: in the future")
    }
}
