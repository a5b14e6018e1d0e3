/// The center's work queues (docs/console.md "Work queues"): what waits for a decision, and who
/// may take it.
public enum WorkQueue: String, CaseIterable, Sendable {
    /// Tickets routing could not place (`hotline.dispatch.manual`, `ticket_progress` status `manual`).
    case dispatch
    /// The units' return requests (退回).
    case returns
    /// The units' extension requests (延期).
    case extensions
    /// Submitted final resolutions (办结审核).
    case resolutions
    /// Submitted stage resolutions (阶段性办结审核).
    case stageResolutions = "stage-resolutions"

    public var title: String {
        switch self {
        case .dispatch: "待派单"
        case .returns: "退回申请"
        case .extensions: "延期申请"
        case .resolutions: "办结审核"
        case .stageResolutions: "阶段性办结审核"
        }
    }

    /// The queue's page in the console.
    public var path: String { "/queues?queue=\(rawValue)" }

    public var permission: ConsolePermission {
        switch self {
        case .dispatch: .dispatch
        case .returns: .decideReturn
        case .extensions: .decideExtension
        case .resolutions, .stageResolutions: .decideResolution
        }
    }

    /// The key of one item's claim (`console_claims.item`): one decision per item and round. An
    /// item can come back (a ticket to manual dispatch again, a second resolution after a rejected
    /// one): `round` tells the rounds apart.
    public func claimKey(_ id: String, round: String) -> String { claimPrefix(id) + round }

    /// What every round's claim key of the item begins with.
    public func claimPrefix(_ id: String) -> String {
        switch self {
        case .dispatch: "dispatch:\(id)#"
        case .returns: "return:\(id)#"
        case .extensions: "extension:\(id)#"
        case .resolutions, .stageResolutions: "resolution:\(id)#"
        }
    }
}
