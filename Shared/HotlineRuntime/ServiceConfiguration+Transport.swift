import Foundation
import HotlineMessaging

extension ServiceConfiguration {
    /// Throws when, in production, a server on another host would be reached without TLS that
    /// verifies its certificate (docs/security.md "Transport"): the broker needs `amqps://` without
    /// `verify=verify_none`, the database `sslmode=verify-full`. Loopback and Unix sockets need neither.
    func checkTransport(_ servers: [Server]) throws {
        guard isProduction else { return }
        for server in servers {
            switch server {
            case .broker:
                let broker = try AMQPConfiguration(url: amqpURL)
                guard !Self.isLocal(broker.host) else { continue }
                guard let tls = broker.tls else {
                    throw ConfigurationError(
                        "HOTLINE_AMQP_URL reaches \(broker.host) without TLS: use amqps:// with cacertfile= naming the authority that signed the broker's certificate")
                }
                guard tls.verifyPeer else {
                    throw ConfigurationError("HOTLINE_AMQP_URL sets verify=verify_none for \(broker.host): the broker's certificate must be verified")
                }
            case .database:
                let (hosts, sslMode) = Self.postgresTarget(databaseURL)
                let remote = hosts.filter { !Self.isLocal($0) }
                guard !remote.isEmpty else { continue }
                guard (sslMode ?? postgresSSLMode) == "verify-full" else {
                    throw ConfigurationError(
                        "HOTLINE_DATABASE_URL reaches \(remote.joined(separator: ", ")) without sslmode=verify-full: add sslmode=verify-full&sslrootcert= naming the authority that signed the server's certificate")
                }
            }
        }
    }

    /// Loopback names and addresses, and Unix socket directories (libpq's `host=/run/postgresql`).
    static func isLocal(_ host: String) -> Bool {
        host.isEmpty || host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
            || host.hasPrefix("/")
    }

    /// The hosts and `sslmode` of a libpq connection string: a `postgres://` URL (several hosts
    /// separated by commas) or `key=value` pairs.
    static func postgresTarget(_ connection: String) -> (hosts: [String], sslMode: String?) {
        var hosts: [String] = []
        var sslMode: String?
        if let scheme = connection.range(of: "://"), connection.hasPrefix("postgres") {
            var rest = connection[scheme.upperBound...]
            let query = rest.firstIndex(of: "?").map { rest[rest.index(after: $0)...] } ?? ""
            rest = rest.prefix { $0 != "/" && $0 != "?" }
            if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
            for host in rest.split(separator: ",") {
                let name = host.hasPrefix("[") ? String(host.prefix { $0 != "]" }.dropFirst()) : String(host.prefix { $0 != ":" })
                hosts.append(name.removingPercentEncoding ?? name)
            }
            for pair in query.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2, parts[0] == "sslmode" { sslMode = parts[1] }
                if parts.count == 2, parts[0] == "host" { hosts = (parts[1].removingPercentEncoding ?? parts[1]).split(separator: ",").map(String.init) }
            }
        } else {
            for pair in connection.split(separator: " ") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                if parts[0] == "host" || parts[0] == "hostaddr" { hosts += parts[1].split(separator: ",").map(String.init) }
                if parts[0] == "sslmode" { sslMode = parts[1] }
            }
        }
        return (hosts.isEmpty ? [""] : hosts, sslMode)
    }
}
