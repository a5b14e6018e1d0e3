import Foundation

/// Who is warned about urgent and fast tickets (PS §17(三)): unit codes, or `street_office` for the
/// street office of the ticket's street.
public struct WarningTargets: Codable, Sendable, Hashable {
    /// The token that stands for the ticket's street office.
    public static let streetOfficeToken = "street_office"

    public var urgent: [String]
    public var fast: [String]

    public init(urgent: [String] = [], fast: [String] = []) {
        self.urgent = urgent
        self.fast = fast
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        urgent = try c.decodeIfPresent([String].self, forKey: .urgent) ?? []
        fast = try c.decodeIfPresent([String].self, forKey: .fast) ?? []
    }

    /// The targets for an urgency (normal tickets warn nobody).
    public func targets(for urgency: Urgency) -> [String] {
        switch urgency {
        case .urgent: return urgent
        case .fast: return fast
        case .normal: return []
        }
    }
}
