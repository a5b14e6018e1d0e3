/// One thing a console page or action needs leave for; roles grant them (`ConsoleRole.permissions`).
public enum ConsolePermission: String, CaseIterable, Sendable {
    case dispatch
    case decideReturn
    case decideExtension
    case decideResolution
    case readTickets
    case readDashboard
    case readAudit
    /// Flag an error in a unit's published knowledge-base entry (`center.flag-knowledge`).
    case flagKnowledge
    case operateDeadLetters
}
