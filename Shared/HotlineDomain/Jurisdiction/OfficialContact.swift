import Foundation

/// A named official and the phone that reminders go to.
public struct OfficialContact: Codable, Sendable, Hashable {
    public var name: String
    public var phone: String

    public init(name: String, phone: String) {
        self.name = name
        self.phone = phone
    }
}
