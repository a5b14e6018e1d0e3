import Foundation
import HotlineDomain
import Yams

/// The Open311 clients file (`HOTLINE_OPEN311_CLIENTS_FILE`, docs/open311.md "Clients and keys"):
/// per client its API key's SHA-256 (never the key), its broker user's password, the channel its
/// submissions carry and its rate limit. `hotlinectl open311 client …` writes it, mode 0600;
/// `hotlinectl broker definitions` makes the clients' broker users from it; the open311 service reads it.
public struct Open311Clients: Codable, Sendable, Equatable {
    public struct Client: Codable, Sendable, Equatable {
        /// Lowercase letters, digits and `-`: the broker user is `open311.<name>`.
        public var name: String
        public var apiKeySHA256: String
        public var brokerPassword: String
        public var channel: Channel
        public var requestsPerMinute: Int

        public init(name: String, apiKeySHA256: String, brokerPassword: String, channel: Channel = .app, requestsPerMinute: Int = 60) {
            self.name = name
            self.apiKeySHA256 = apiKeySHA256
            self.brokerPassword = brokerPassword
            self.channel = channel
            self.requestsPerMinute = requestsPerMinute
        }

        enum CodingKeys: String, CodingKey {
            case name, channel
            case apiKeySHA256 = "api_key_sha256"
            case brokerPassword = "broker_password"
            case requestsPerMinute = "requests_per_minute"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            apiKeySHA256 = try container.decode(String.self, forKey: .apiKeySHA256)
            brokerPassword = try container.decode(String.self, forKey: .brokerPassword)
            channel = try container.decodeIfPresent(Channel.self, forKey: .channel) ?? .app
            requestsPerMinute = try container.decodeIfPresent(Int.self, forKey: .requestsPerMinute) ?? 60
        }

        /// The client's broker user.
        public var brokerUser: String { Open311Clients.brokerUser(name) }
    }

    public var clients: [Client]

    public init(clients: [Client] = []) { self.clients = clients }

    public static func brokerUser(_ name: String) -> String { "open311.\(name)" }

    /// Whether `name` can name a client (and its broker user and queue names).
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 40 && name.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// The client whose key is `apiKey`.
    public func client(apiKey: String) -> Client? {
        let digest = SHA256.hex(apiKey)
        return clients.first { $0.apiKeySHA256 == digest }
    }

    /// A new API key: 32 random bytes as hex.
    public static func generateKey() -> String { Hex.randomToken() }

    /// The file at `url`; an absent file has no clients. Refuses a file others may read, names that
    /// cannot name a broker user, repeated names and limits below one.
    public static func read(_ url: URL) throws -> Open311Clients {
        guard FileManager.default.fileExists(atPath: url.path) else { return Open311Clients() }
        try SecretFile.checkPrivate(url.path, what: "Open311 clients file")
        let clients: Open311Clients
        do {
            let text = try String(contentsOf: url, encoding: .utf8)
            clients = text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                ? Open311Clients() : try YAMLDecoder().decode(Open311Clients.self, from: text)
        } catch {
            throw ConfigurationError("\(url.path): not an Open311 clients file (\(error))")
        }
        var seen = Set<String>()
        for client in clients.clients {
            guard isValidName(client.name), seen.insert(client.name).inserted else {
                throw ConfigurationError("\(url.path): client name \(client.name) is repeated or not lowercase letters, digits and -")
            }
            guard client.requestsPerMinute >= 1 else { throw ConfigurationError("\(url.path): \(client.name): requests_per_minute below 1") }
        }
        return clients
    }

    /// Writes the file, mode 0600.
    public func write(_ url: URL) throws {
        let text = "# Open311 clients (docs/open311.md \"Clients and keys\"); written by hotlinectl open311 client.\n"
            + (try YAMLEncoder().encode(self))
        try SecretFile.write(Data(text.utf8), to: url.path, what: "Open311 clients file")
    }
}
