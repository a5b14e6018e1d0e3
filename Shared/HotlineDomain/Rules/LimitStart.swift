import Foundation

/// Where a limit starts counting.
public enum LimitStart: String, Sendable, Hashable, Codable, CaseIterable {
    /// The ticket's acceptance (`received_at`).
    case acceptance
    /// The unit's receipt of the assignment (收到/交办: the dispatch).
    case dispatch
    /// The unit's signing (签收); before it is known, the dispatch stands in.
    case signing
}
