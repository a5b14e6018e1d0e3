import Foundation

/// What a complaint or report resolution says about a case (立案) where the profile wants it (PL
/// §15(三)): filed, with its number and date; or not filed, with the reason and the legal basis.
public struct CaseFiling: Codable, Sendable, Hashable {
    /// Whether a case was filed (决定立案).
    public var filed: Bool
    /// The case number (立案编号), when filed.
    public var number: String?
    /// When it was filed (立案日期), when filed.
    public var filedAt: Date?
    /// Why not (不予立案的理由), when not filed.
    public var reason: String?
    /// The legal basis of not filing (法律依据), when not filed.
    public var basis: String?

    public init(filed: Bool, number: String? = nil, filedAt: Date? = nil, reason: String? = nil, basis: String? = nil) {
        self.filed = filed
        self.number = number
        self.filedAt = filedAt
        self.reason = reason
        self.basis = basis
    }

    enum CodingKeys: String, CodingKey {
        case filed, number
        case filedAt = "filed_at"
        case reason, basis
    }

    /// The longest number, reason and basis, in characters.
    public static let maxNumber = 64, maxText = 2_000

    /// What is missing for its decision: the number and date of a filed case, the reason and basis of
    /// one not filed (empty when complete).
    public var missing: [String] {
        func blank(_ text: String?) -> Bool { (text ?? "").allSatisfy(\.isWhitespace) }
        if filed {
            return (blank(number) ? ["case_filing.number"] : []) + (filedAt == nil ? ["case_filing.filed_at"] : [])
        }
        return (blank(reason) ? ["case_filing.reason"] : []) + (blank(basis) ? ["case_filing.basis"] : [])
    }
}
