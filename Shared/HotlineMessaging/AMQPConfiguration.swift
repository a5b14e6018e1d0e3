import Foundation

/// Where and how to connect: parsed from an `amqp://user:pass@host:port/vhost` URL, or an
/// `amqps://…` URL for TLS with the query parameters of RabbitMQ's URI specification
/// (`cacertfile`, `certfile`, `keyfile`, `verify`). The nodes of a cluster are a comma-separated list
/// of such URLs (the same user, virtual host and TLS settings in each), or of `host:port` after the
/// first URL; a connection goes to any node that answers (`nodes`).
public struct AMQPConfiguration: Sendable, Equatable {
    /// The first node's host and port.
    public var host: String
    public var port: Int
    /// Every node, in the order given (the first is `host`, `port`).
    public var nodes: [Node]
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

    /// One broker node.
    public struct Node: Sendable, Equatable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        public var description: String { "\(host):\(port)" }
    }

    public init(url: String, heartbeat: Int = 30, frameMax: Int = 131_072) throws {
        let entries = url.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = entries.first, !entries.contains(where: \.isEmpty) else {
            throw AMQPError(.configuration, "an empty node in \(Self.redact(url))")
        }
        try self.init(node: first, heartbeat: heartbeat, frameMax: frameMax)
        for entry in entries.dropFirst() {
            guard entry.contains("://") else {
                nodes.append(try Self.node(authority: entry, defaultPort: tls == nil ? 5672 : 5671, url: url))
                continue
            }
            let other = try AMQPConfiguration(node: entry, heartbeat: heartbeat, frameMax: frameMax)
            guard other.user == user, other.password == password, other.virtualHost == virtualHost, other.tls == tls else {
                throw AMQPError(
                    .configuration,
                    "the nodes of \(Self.redact(url)) differ in user, password, virtual host or TLS settings")
            }
            nodes += other.nodes
        }
    }

    /// A `host:port` (or `[v6]:port`) node after the first URL.
    private static func node(authority: String, defaultPort: Int, url: String) throws -> Node {
        guard let components = URLComponents(string: "amqp://" + authority), let host = components.host, !host.isEmpty,
              components.path.isEmpty, components.user == nil
        else {
            throw AMQPError(.configuration, "not a host:port node: \(authority) in \(redact(url))")
        }
        return Node(host: host, port: components.port ?? defaultPort)
    }

    /// The node order of one connection attempt: every node once, from one picked at random, so that
    /// the copies of a service spread over the cluster and each fails over to the next node.
    public func connectionOrder() -> [Node] {
        guard nodes.count > 1 else { return nodes }
        let start = Int.random(in: 0..<nodes.count)
        return Array(nodes[start...] + nodes[..<start])
    }

    private init(node url: String, heartbeat: Int, frameMax: Int) throws {
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
        nodes = [Node(host: host, port: port)]
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

    /// The URL (or list of node URLs) with every password replaced, for logs.
    public static func redact(_ url: String) -> String {
        url.split(separator: ",", omittingEmptySubsequences: false).map { entry in
            guard var components = URLComponents(string: String(entry)), components.password != nil else { return String(entry) }
            components.password = "***"
            return components.string ?? "amqp://***"
        }.joined(separator: ",")
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
