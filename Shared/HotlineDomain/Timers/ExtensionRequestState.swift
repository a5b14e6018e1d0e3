/// Where a unit's extension request (延期申请) stands in the center's review
/// (`sla_extension_requests.state`).
public enum ExtensionRequestState: String, Codable, Sendable, CaseIterable {
    /// Waiting for the center (`center.decide-extension`); at most one per assignment.
    case pending
    case approved
    case denied
    /// Lapsed: the assignment ended before the center decided.
    case void
}
