import Foundation

/// How a ticket is dispatched (PS §10, §12, §15; PL §8).
public enum DispatchMode: String, Codable, Sendable, CaseIterable {
    /// One unit.
    case sole
    /// A lead unit (牵头) and co-units (协办); the first unit named leads.
    case leadCo = "lead_co"
    /// All candidates at once; the first to sign handles it (并行分拨).
    case parallel
    /// The unit best placed, which may not return it (首接负责).
    case firstResponsible = "first_responsible"
    /// The street office where the matter is (属地兜底).
    case territorial

    /// Whether the mode takes exactly one unit.
    public var isSingleUnit: Bool {
        switch self {
        case .sole, .firstResponsible, .territorial: return true
        case .leadCo, .parallel: return false
        }
    }

    /// The roles of `count` units dispatched in this mode, in the order named (lead first).
    public func roles(count: Int) -> [AssignmentRole] {
        guard count > 0 else { return [] }
        switch self {
        case .sole: return Array(repeating: .sole, count: count)
        case .leadCo: return [.lead] + Array(repeating: .co, count: count - 1)
        case .parallel: return Array(repeating: .parallel, count: count)
        case .firstResponsible: return Array(repeating: .firstResponsible, count: count)
        case .territorial: return Array(repeating: .territorial, count: count)
        }
    }
}

/// The outcome of a unit's resolution (`unit.submit-resolution`).
public enum ResolutionOutcome: String, Codable, Sendable, CaseIterable {
    /// Solved.
    case resolved
    /// Explained to the citizen (e.g. a lawful situation that cannot change).
    case explained
    /// A suggestion or request not adopted, with reasons.
    case notAdopted = "not_adopted"
}

/// Which notice a unit gave the citizen (`unit.notify-citizen`'s `stage`, PS §10(四)).
public enum CitizenNoticeStage: String, Codable, Sendable, CaseIterable {
    /// The acceptance notice (受理告知), within 1 working day of signing.
    case acceptance
    /// A progress notice.
    case progress
}
