import Foundation

/// The `leaders` of a jurisdiction file: the district's principal leader (escalation tier 3).
public struct JurisdictionLeaders: Codable, Sendable, Hashable {
    public var principal: OfficialContact

    public init(principal: OfficialContact) { self.principal = principal }
}
