import Foundation

/// A value per urgency, as a profile writes it: any of `urgent`, `fast`, `normal`.
public struct PerUrgency<Value: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
    public var urgent: Value?
    public var fast: Value?
    public var normal: Value?

    public init(urgent: Value? = nil, fast: Value? = nil, normal: Value? = nil) {
        self.urgent = urgent
        self.fast = fast
        self.normal = normal
    }

    /// The value for an urgency, if the profile gives one.
    public subscript(urgency: Urgency) -> Value? {
        switch urgency {
        case .urgent: return urgent
        case .fast: return fast
        case .normal: return normal
        }
    }
}
