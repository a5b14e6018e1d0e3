import Foundation

/// Which deadline an SLA event or reminder is about.
public enum DeadlineKind: String, Codable, Sendable, CaseIterable {
    /// The center's dispatch deadline (30 min / 1 h / 2 h from acceptance).
    case dispatch
    /// The unit's sign deadline.
    case sign
    /// The acceptance notice to the citizen.
    case notify
    /// Feedback to the citizen for urgent and fast tickets.
    case feedback
    /// The resolve deadline.
    case resolve
    /// A stage resolution's follow-up deadline.
    case followUp = "follow_up"
    /// A unit's correction of a knowledge-base entry the center flagged (PS §22(五)).
    case knowledgeCorrection = "knowledge_correction"
}

/// The kind of an early warning (预警, PS §17; DY (12)).
public enum AlertKind: String, Codable, Sendable, CaseIterable {
    /// Safety hazards: landslides, road collapse, water, power, gas or heating failures.
    case safety
    /// The same matter recurring in a period.
    case highFrequency = "high_frequency"
    /// Many citizens in a short time.
    case hotspot
    /// Sensitive matters.
    case sensitive
    /// One citizen raising the same problem again and again.
    case repeatCaller = "repeat_caller"
}

/// Why a command was refused (`command.rejected`'s `reason`).
public enum CommandRejection: String, Codable, Sendable, CaseIterable {
    /// The sender may not issue it (another unit's assignment, a `center.*` command not from `center`).
    case forbidden
    /// What it names does not exist.
    case notFound = "not_found"
    /// The body is malformed or the type unknown.
    case invalid
    /// The assignment or ticket is not in a state that allows it.
    case wrongState = "wrong_state"
    /// Its window has passed.
    case tooLate = "too_late"
    /// The rules do not allow it here (e.g. a return of a first-responsible or extended assignment).
    case notAllowed = "not_allowed"
}

/// The color of a quarterly card (PS §20(二)).
public enum CardColor: String, Codable, Sendable, CaseIterable {
    case yellow, red
}

/// What `assignment.resolution-submitted` carries.
public enum ResolutionKind: String, Codable, Sendable, CaseIterable {
    /// A final resolution (办结), for the center's review.
    case `final`
    /// A stage resolution (阶段性办结), for the center's review.
    case stage
    /// A co-unit's part (`unit.report-part`), for the lead unit.
    case part
}
