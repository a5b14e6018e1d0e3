/// What a console account may do (docs/console.md "Accounts and roles").
public enum ConsoleRole: String, CaseIterable, Sendable, Codable {
    /// Dispatches the tickets routing could not place and decides the units' returns (派单).
    case dispatcher
    /// Decides extensions, resolutions and stage resolutions, and checks the knowledge base (审核).
    case reviewer
    /// Watches the figures and the tickets, decides nothing (督办、领导查看).
    case supervisor
    /// Everything, and the operations pages: dead letters and the audit log.
    case administrator

    /// The name on the page.
    public var title: String {
        switch self {
        case .dispatcher: "派单员"
        case .reviewer: "审核员"
        case .supervisor: "督办员"
        case .administrator: "管理员"
        }
    }

    public var permissions: Set<ConsolePermission> {
        let reading: Set<ConsolePermission> = [.readTickets, .readDashboard]
        switch self {
        case .dispatcher: return reading.union([.dispatch, .decideReturn])
        case .reviewer: return reading.union([.decideExtension, .decideResolution, .flagKnowledge])
        case .supervisor: return reading.union([.readAudit])
        case .administrator: return Set(ConsolePermission.allCases)
        }
    }

    public func may(_ permission: ConsolePermission) -> Bool { permissions.contains(permission) }
}
