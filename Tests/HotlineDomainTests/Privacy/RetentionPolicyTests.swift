import Foundation
import HotlineDomain
import XCTest

final class RetentionPolicyTests: XCTestCase {
    func testDefaultsAndSettings() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let defaults = RetentionPolicy()
        XCTAssertEqual(defaults.cutoff(.invalidMessages, now: now), now.addingTimeInterval(-90 * 86_400))
        XCTAssertEqual(defaults.cutoff(.publishedOutbox, now: now), now.addingTimeInterval(-86_400))

        let set = try RetentionPolicy(environment: ["HOTLINE_RETENTION_INVALID_MESSAGES_DAYS": "7", "HOTLINE_RETENTION_SUBMISSIONS_DAYS": ""])
        XCTAssertEqual(set.days[.invalidMessages], 7)
        XCTAssertEqual(set.days[.submissions], 365, "an empty setting keeps the default")
    }

    func testSettingsThatWouldBreakDeduplicationOrAreNotDaysAreRefused() {
        for (key, value) in [
            ("HOTLINE_RETENTION_PROCESSED_MESSAGES_DAYS", "1"), ("HOTLINE_RETENTION_NOTIFICATIONS_DAYS", "0"),
            ("HOTLINE_RETENTION_COMMAND_OUTCOMES_DAYS", "thirty"),
        ] {
            XCTAssertThrowsError(try RetentionPolicy(environment: [key: value])) { error in
                XCTAssertTrue("\(error)".hasPrefix("\(key)=\(value)"), "\(error)")
            }
        }
    }

    func testEachRecordIsPurgedByItsTablesOwnerOnly() {
        XCTAssertEqual(
            Set(RetentionPolicy.records(purgedBy: "intake")),
            [.publishedOutbox, .processedMessages, .commandOutcomes, .invalidMessages, .submissions])
        XCTAssertEqual(
            Set(RetentionPolicy.records(purgedBy: "escalation-notifier")),
            [.publishedOutbox, .processedMessages, .commandOutcomes, .invalidMessages, .sentNotifications])
        XCTAssertFalse(RetentionPolicy.records(purgedBy: "dispatcher").contains(.submissions))
    }
}
