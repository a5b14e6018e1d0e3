import Foundation

/// A street (街道), the unit code of its street office, and its communities.
public struct StreetArea: Codable, Sendable, Hashable {
    public var street: String
    /// The street office's unit code.
    public var office: String
    public var communities: [String]

    public init(street: String, office: String, communities: [String] = []) {
        self.street = street
        self.office = office
        self.communities = communities
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        street = try c.decode(String.self, forKey: .street)
        office = try c.decode(String.self, forKey: .office)
        communities = try c.decodeIfPresent([String].self, forKey: .communities) ?? []
    }
}
