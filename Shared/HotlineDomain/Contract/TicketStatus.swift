/// Where a ticket stands (`tickets.status`). Intake stores the first status from its decision; the
/// dispatcher moves a dispatched ticket on (`manual`, `dispatched`, `resolved`, back to `dispatched`
/// when reopened); the survey closes a resolved one (docs/architecture.md "The life of a ticket").
public enum TicketStatus: String, Codable, Sendable, CaseIterable {
    case accepted, answered, rejected, merged, split, dispatched, manual, resolved, closed

    /// Still being handled and not yet resolved: such a ticket can take a merged demand (PS §15(二))
    /// and can be dispatched by the center.
    public static let open: [TicketStatus] = [.accepted, .dispatched, .manual]

    /// `open` as SQL text values.
    public static var openValues: [String] { open.map(\.rawValue) }
}
