import Foundation

/// A responsible unit (责任单位) of a jurisdiction file.
public struct JurisdictionUnit: Codable, Sendable, Hashable {
    /// `^[A-Z][A-Z0-9]{0,7}$`; names the unit's queue `hotline.unit.<code>` and AMQP user.
    public var code: String
    public var name: String
    public var kind: UnitKind
    /// The unit's principal head (escalation tier 1).
    public var head: OfficialContact?
    /// The district leader in charge of the unit (escalation tier 2).
    public var leaderInCharge: OfficialContact?

    public init(
        code: String, name: String, kind: UnitKind, head: OfficialContact? = nil,
        leaderInCharge: OfficialContact? = nil
    ) {
        self.code = code
        self.name = name
        self.kind = kind
        self.head = head
        self.leaderInCharge = leaderInCharge
    }

    enum CodingKeys: String, CodingKey {
        case code, name, kind, head
        case leaderInCharge = "leader_in_charge"
    }

    /// Whether `code` is a valid unit code.
    public static func isValidCode(_ code: String) -> Bool {
        guard let first = code.unicodeScalars.first, (1...8).contains(code.unicodeScalars.count),
            ("A"..."Z").contains(first)
        else { return false }
        return code.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}
