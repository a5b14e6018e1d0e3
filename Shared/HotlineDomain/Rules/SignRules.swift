import Foundation

/// The unit's signing deadline per kind (PS §13, PL §10(一), DY (7)).
public struct SignRules: Codable, Sendable, Hashable {
    public var from: LimitStart
    public var within: PerKind<TimeLimit>
    /// An assignment not signed in time counts as signed automatically (视为自动签收, PS §13).
    public var autoSign: Bool

    enum CodingKeys: String, CodingKey {
        case from, within
        case autoSign = "auto_sign"
    }
}
