import Foundation

/// Who handles a catalogue item: a unit, or `territorial` (the street office where the matter is).
public enum CatalogueOwner: Codable, Sendable, Hashable, CustomStringConvertible {
    case unit(String)
    case territorial

    /// The YAML spelling of territorial ownership.
    public static let territorialToken = "territorial"

    public init(_ text: String) { self = text == Self.territorialToken ? .territorial : .unit(text) }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public var description: String {
        switch self {
        case .unit(let code): return code
        case .territorial: return Self.territorialToken
        }
    }
}
