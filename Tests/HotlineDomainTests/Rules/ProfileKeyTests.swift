import Foundation
import XCTest
import Yams

@testable import HotlineDomain

/// Every key of a shipped rule profile is read: the profile as decoded, encoded again, has every key
/// path of the file. A key the decoder does not know (misspelt, or one no rule reads any more) fails
/// here instead of being ignored in silence.
final class ProfileKeyTests: XCTestCase {
    func testEveryKeyOfEveryShippedProfileIsRead() throws {
        for name in ["pingshan", "pingli", "daye"] {
            let repository = URL(fileURLWithPath: #filePath)
                .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            let text = try String(contentsOf: repository.appendingPathComponent("deploy/profiles/\(name).yaml"), encoding: .utf8)
            let file = try XCTUnwrap(try Yams.load(yaml: text), name)
            let profile = try YAMLDecoder().decode(RuleProfile.self, from: text)
            let read = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(profile))
            let unread = Self.paths(file).subtracting(Self.paths(read))
            XCTAssertEqual(unread, [], "\(name): keys read by nothing")
        }
    }

    /// The key paths of a decoded tree (`handling.within.consultation`); list items share their list's path.
    static func paths(_ value: Any, prefix: String = "") -> Set<String> {
        switch value {
        case let object as [String: Any]:
            return object.reduce(into: Set<String>()) { result, entry in
                let path = prefix.isEmpty ? entry.key : "\(prefix).\(entry.key)"
                result.insert(path)
                result.formUnion(paths(entry.value, prefix: path))
            }
        case let list as [Any]:
            return list.reduce(into: Set<String>()) { $0.formUnion(paths($1, prefix: prefix)) }
        default:
            return []
        }
    }
}
