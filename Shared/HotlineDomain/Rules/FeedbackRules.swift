import Foundation

/// The unit's first feedback on urgent and fast tickets, clock time (PS §11(二): 2 h / 24 h).
public struct FeedbackRules: Codable, Sendable, Hashable {
    public var from: LimitStart
    /// Only the urgencies named here ask for feedback.
    public var within: PerUrgency<TimeLimit>
}
