import Foundation
import Yams

@testable import HotlineDomain

/// The rule profiles the platform ships (`deploy/profiles/<name>.yaml`), read as the services read them.
enum RuleProfiles {
    static func pingshan() throws -> RuleProfile { try shipped("pingshan") }
    static func pingli() throws -> RuleProfile { try shipped("pingli") }
    static func daye() throws -> RuleProfile { try shipped("daye") }

    static func shipped(_ name: String) throws -> RuleProfile {
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = repository.appendingPathComponent("deploy/profiles/\(name).yaml")
        return try YAMLDecoder().decode(RuleProfile.self, from: String(contentsOf: file, encoding: .utf8))
    }
}
