import Foundation

/// Where and how to connect: parsed from an `amqp://user:pass@host:port/vhost` URL, or an
/// `amqps://…` URL for TLS with the query parameters of RabbitMQ's URI specification
/// (`cacertfile`, `certfile`, `keyfile`, `verify`).
public struct AMQPConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var virtualHost: String
    /// TLS settings for `amqps://`; nil for plain `amqp://`.
    public var tls: TLS?
    /// Heartbeat interval in seconds (0 disables).
    public var heartbeat: Int
    public var frameMax: Int

    /// How an `amqps://` connection is secured.
    public struct TLS: Sendable, Equatable {
        /// PEM file of the certificate authorities the broker's certificate must chain to
        /// (`cacertfile`); nil uses the system's trust store.
        public var caFile: String?
        /// The client's own certificate and key (`certfile`, `keyfile`), for brokers that ask for one.
        public var certificateFile: String?
        public var keyFile: String?
        /// Whether the broker's certificate and host name are checked (`verify=verify_peer`, the
        /// default); `verify=verify_none` encrypts without knowing who answers.
        public var verifyPeer: Bool

        /// Debian's bundle of the system's trusted authorities.
        public static let systemTrustStore = "/etc/ssl/certs/ca-certificates.crt"
    }

    public init(url: String, heartbeat: Int = 30, frameMax: Int = 131_072) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
              scheme == "amqp" || scheme == "amqps"
        else {
            throw AMQPError(.configuration, "not an amqp:// or amqps:// URL: \(AMQPConfiguration.redact(url))")
        }
        host = components.host ?? "127.0.0.1"
        user = components.percentEncodedUser?.removingPercentEncoding ?? "guest"
        password = components.percentEncodedPassword?.removingPercentEncoding ?? "guest"
        let path = components.percentEncodedPath
        if path.isEmpty || path == "/" {
            virtualHost = "/"
        } else {
            virtualHost = String(path.dropFirst()).removingPercentEncoding ?? "/"
        }
        let query = try Self.query(components, url: url)
        if scheme == "amqps" {
            port = components.port ?? 5671
            tls = try TLS(query: query)
        } else {
            guard query.isEmpty else {
                throw AMQPError(.configuration, "\(query.keys.sorted().joined(separator: ", ")) apply to amqps:// URLs only")
            }
            port = components.port ?? 5672
            tls = nil
        }
        self.heartbeat = heartbeat
        self.frameMax = frameMax
    }

    /// The URL's query parameters; an unknown one is refused, so that a misspelt setting does not
    /// silently weaken the connection.
    private static func query(_ components: URLComponents, url: String) throws -> [String: String] {
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard TLS.parameters.contains(item.name) else {
                throw AMQPError(
                    .configuration,
                    "unknown URL parameter \(item.name) in \(redact(url)) (known: \(TLS.parameters.joined(separator: ", ")))")
            }
            query[item.name] = item.value ?? ""
        }
        return query
    }

    /// The URL with its password replaced, for logs.
    public static func redact(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "amqp://***"
    }
}

extension AMQPConfiguration.TLS {
    static let parameters = ["cacertfile", "certfile", "keyfile", "verify"]

    init(query: [String: String]) throws {
        caFile = query["cacertfile"].flatMap { $0.isEmpty ? nil : $0 }
        certificateFile = query["certfile"].flatMap { $0.isEmpty ? nil : $0 }
        keyFile = query["keyfile"].flatMap { $0.isEmpty ? nil : $0 }
        switch query["verify"] ?? "verify_peer" {
        case "verify_peer": verifyPeer = true
        case "verify_none": verifyPeer = false
        case let other:
            throw AMQPError(.configuration, "verify=\(other): use verify_peer (the default) or verify_none")
        }
        guard (certificateFile == nil) == (keyFile == nil) else {
            throw AMQPError(.configuration, "certfile and keyfile go together")
        }
    }
}
