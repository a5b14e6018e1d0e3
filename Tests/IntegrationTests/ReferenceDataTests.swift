import Foundation
import HotlineDomain
import HotlineRuntime
import XCTest

/// The reference data cache: read from the database and the profile file, decoded again only when a
/// source changed, and never stale past its age.
final class ReferenceDataTests: XCTestCase {
    func testAChangedProfileIsReadAfterItsAgeAndAnUnchangedOneStays() async throws {
        let stack = try TestStack.fromEnvironment()
        let database = stack.database()
        let shipped = URL(fileURLWithPath: stack.repoRoot).appendingPathComponent("deploy/profiles/pingshan.yaml")
        let text = try String(contentsOf: shipped, encoding: .utf8)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("profile-\(UUID().uuidString).yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }

        let cache = ReferenceDataCache(database: database, profileFile: file, maxAge: 0)
        let first = try await cache.current()
        XCTAssertEqual(first.profile.survey.expiresAfter, .days(3))
        let again = try await cache.current()
        XCTAssertEqual(again.profile, first.profile, "unchanged sources give the same data")
        XCTAssertFalse(again.catalogue.items.isEmpty, "the catalogue is indexed with the jurisdiction")

        let changed = text.replacingOccurrences(of: "expires_after: {days: 3}", with: "expires_after: {days: 5}")
        XCTAssertNotEqual(changed, text, "the shipped profile still sets expires_after")
        try changed.write(to: file, atomically: true, encoding: .utf8)
        let reloaded = try await cache.current()
        XCTAssertEqual(reloaded.profile.survey.expiresAfter, .days(5), "a changed source is decoded again")
        await database.shutdown()
    }
}
