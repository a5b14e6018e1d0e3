import Foundation

/// The acceptance notice to the citizen (受理告知): within 1 wd of signing (PS §10(四)).
public struct NoticeRules: Codable, Sendable, Hashable {
    public var from: LimitStart
    public var within: TimeLimit
}
