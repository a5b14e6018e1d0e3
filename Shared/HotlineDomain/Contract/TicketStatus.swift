/// Where a ticket stands (the view `ticket_status`). Intake's decision is the first status
/// (`tickets.status`); the dispatcher moves an accepted ticket on in `ticket_progress` (`manual`,
/// `dispatched`, `resolved`, back to `dispatched` when reopened, and `closed` when the survey's
/// `ticket.closed` arrives) (docs/architecture.md "The life of a ticket").
public enum TicketStatus: String, Codable, Sendable, CaseIterable {
    case accepted, answered, rejected, merged, split, dispatched, manual, resolved, closed

    /// Still being handled and not yet resolved: such a ticket can take a merged demand (PS §15(二))
    /// and can be dispatched by the center.
    public static let open: [TicketStatus] = [.accepted, .dispatched, .manual]

    /// `open` as SQL text values.
    public static var openValues: [String] { open.map(\.rawValue) }
}
