import Foundation

/// A value per ticket kind, as a profile writes it: any of `consultation`, `help`, `complaint`,
/// `report`, `suggestion`, and `others` for the kinds not named.
public struct PerKind<Value: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
    public var consultation: Value?
    public var help: Value?
    public var complaint: Value?
    public var report: Value?
    public var suggestion: Value?
    /// The value for every kind not named.
    public var others: Value?

    public init(
        consultation: Value? = nil, help: Value? = nil, complaint: Value? = nil, report: Value? = nil,
        suggestion: Value? = nil, others: Value? = nil
    ) {
        self.consultation = consultation
        self.help = help
        self.complaint = complaint
        self.report = report
        self.suggestion = suggestion
        self.others = others
    }

    /// The value for a kind: its own, or `others`.
    public subscript(kind: TicketKind) -> Value? {
        switch kind {
        case .consultation: return consultation ?? others
        case .help: return help ?? others
        case .complaint: return complaint ?? others
        case .report: return report ?? others
        case .suggestion: return suggestion ?? others
        }
    }

    /// The kinds without a value.
    public var missingKinds: [TicketKind] { TicketKind.allCases.filter { self[$0] == nil } }
}
