import Foundation

/// The center's dispatch deadline per urgency, clock time from acceptance (PS §11(二), PS §9).
public struct DispatchRules: Codable, Sendable, Hashable {
    public var from: LimitStart
    /// Per urgency: urgent 30 min, fast 1 h, normal 2 h.
    public var within: PerUrgency<TimeLimit>
    /// Clear cases (职责明确、管辖清晰) within this when it comes before the urgency's limit (PS §9: 1 h).
    public var clearCaseWithin: TimeLimit?

    enum CodingKeys: String, CodingKey {
        case from, within
        case clearCaseWithin = "clear_case_within"
    }
}
