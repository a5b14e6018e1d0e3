import Foundation

/// The handling limit after a ticket is reopened for re-handling (重办): PS §20(一) gives none, so the
/// original limit applies again; PL §18: 5 days (working days, PL §10); DY: 5 wd.
public struct ReopenRules: Codable, Sendable, Hashable {
    /// Re-handle within the kind's (or catalogue item's) original limit, counted from the reopening.
    public var useOriginalLimit: Bool
    /// Otherwise this limit from the reopening.
    public var within: TimeLimit?

    enum CodingKeys: String, CodingKey {
        case useOriginalLimit = "use_original_limit"
        case within
    }
}
