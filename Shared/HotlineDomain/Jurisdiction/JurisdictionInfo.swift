import Foundation

/// The `jurisdiction` header of a jurisdiction file.
public struct JurisdictionInfo: Codable, Sendable, Hashable {
    /// `pingshan`.
    public var code: String
    /// `坪山区`.
    public var name: String
    /// IANA time zone.
    public var timezone: String
    /// The rule profile name (`deploy/profiles/<profile>.yaml`).
    public var profile: String
    /// Prefix of human-readable ticket numbers, when the jurisdiction sets one.
    public var ticketPrefix: String?

    public init(code: String, name: String, timezone: String, profile: String, ticketPrefix: String? = nil) {
        self.code = code
        self.name = name
        self.timezone = timezone
        self.profile = profile
        self.ticketPrefix = ticketPrefix
    }

    enum CodingKeys: String, CodingKey {
        case code, name, timezone, profile
        case ticketPrefix = "ticket_prefix"
    }
}
