import HotlineDomain

/// Metric label values taken from messages. A label's value comes from what a client sent, so it is
/// kept to the contract's vocabulary: anything else is `other`, and made-up types cannot grow the
/// number of time series without bound.
public enum MetricLabel {
    private static let messageTypes: Set<String> = Set(EventType.allCases.map(\.rawValue))
        .union(CommandType.allCases.map(\.rawValue))
        .union(["ticket.submit"])

    /// The message type as a label: a type of the contract, or `other`.
    public static func messageType(_ raw: String) -> String {
        messageTypes.contains(raw) ? raw : "other"
    }
}
