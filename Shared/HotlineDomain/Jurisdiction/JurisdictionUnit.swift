import Foundation

/// A responsible unit (责任单位) of a jurisdiction file.
public struct JurisdictionUnit: Codable, Sendable, Hashable {
    /// The district's own code (`JurisdictionUnit.isValidCode`); names the unit's queue
    /// `hotline.unit.<code>`, its broker user `unit.<code>` and its assignments' ids.
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

    /// The rule for a unit code (the contract's): 1 to 32 letters of either case, digits, `-`, `_` and
    /// `.`, as districts have them: an abbreviation (`QH-CGJ`), a 9-character organisation code or an
    /// 18-character unified social credit code (`91440300MA5G8XXXXQ`). Such a code is a valid queue and
    /// broker user name as it is.
    public static let codeRule = "^[A-Za-z0-9._-]{1,32}$"

    /// Words of the jurisdiction file that stand for something else where a unit code may stand
    /// (`owner: territorial`, a warning to `street_office`): no unit may be called so.
    public static let reservedCodes: Set<String> = [CatalogueOwner.territorialToken, WarningTargets.streetOfficeToken]

    /// Whether `code` follows `codeRule`.
    public static func isValidCode(_ code: String) -> Bool {
        (1...32).contains(code.unicodeScalars.count) && code.unicodeScalars.allSatisfy {
            ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)
        }
    }
}
