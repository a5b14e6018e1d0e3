import Foundation

/// Another hotline that takes the demands this jurisdiction does not handle (异地转办, ZS §24; DY (6):
/// bank, courier and telecom supervision go to the city's 12345), as the jurisdiction file names it.
/// Intake refuses such a demand (`ticket.rejected`, `out_of_jurisdiction`) naming it in `transferred_to`.
public struct TransferDestination: Codable, Sendable, Hashable {
    /// A short code, e.g. `SZ-12345`.
    public var code: String
    /// The hotline or center, e.g. 深圳市12345政务服务便民热线.
    public var name: String
    /// Its public number, told to the citizen.
    public var phone: String?
    /// Streets outside the jurisdiction whose demands go there.
    public var streets: [String]
    /// Words of demands this level does not handle that go there, wherever they are.
    public var words: [String]
    /// Every other street outside the jurisdiction goes there (at most one destination says so).
    public var otherStreets: Bool

    public init(
        code: String, name: String, phone: String? = nil, streets: [String] = [], words: [String] = [],
        otherStreets: Bool = false
    ) {
        self.code = code
        self.name = name
        self.phone = phone
        self.streets = streets
        self.words = words
        self.otherStreets = otherStreets
    }

    enum CodingKeys: String, CodingKey {
        case code, name, phone, streets, words
        case otherStreets = "other_streets"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decode(String.self, forKey: .code)
        name = try c.decode(String.self, forKey: .name)
        phone = try c.decodeIfPresent(String.self, forKey: .phone)
        streets = try c.decodeIfPresent([String].self, forKey: .streets) ?? []
        words = try c.decodeIfPresent([String].self, forKey: .words) ?? []
        otherStreets = try c.decodeIfPresent(Bool.self, forKey: .otherStreets) ?? false
    }
}

extension [TransferDestination] {
    /// Where a demand on `street`, outside the jurisdiction, goes: the destination naming the street,
    /// else the one taking every other street; nil when none does (a plain refusal).
    public func destination(forStreet street: String) -> TransferDestination? {
        first { $0.streets.contains(street) } ?? first(where: \.otherStreets)
    }

    /// The first destination one of whose words `text` contains, with the word.
    public func destination(forText text: String) -> (destination: TransferDestination, word: String)? {
        for destination in self {
            if let word = destination.words.first(where: { !$0.isEmpty && text.contains($0) }) { return (destination, word) }
        }
        return nil
    }
}
