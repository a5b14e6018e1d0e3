import Foundation
import HotlineMessaging
import HotlineStorage

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
                let remote = broker.nodes.map(\.host).filter { !Self.isLocal($0) }
                guard !remote.isEmpty else { continue }
                guard let tls = broker.tls else {
                    throw ConfigurationError(
                        "HOTLINE_AMQP_URL reaches \(remote.joined(separator: ", ")) without TLS: use amqps:// with cacertfile= naming the authority that signed the broker's certificate")
                }
                guard tls.verifyPeer else {
                    throw ConfigurationError(
                        "HOTLINE_AMQP_URL sets verify=verify_none for \(remote.joined(separator: ", ")): the broker's certificate must be verified")
                }
            case .database:
                let settings = try ConnectionSettings.parse(databaseURL)
                let hosts = (settings["host"] ?? settings["hostaddr"] ?? "").split(separator: ",", omittingEmptySubsequences: false)
                let remote = hosts.map(String.init).filter { !Self.isLocal($0) }
                guard !remote.isEmpty else { continue }
                guard (settings["sslmode"] ?? postgresSSLMode) == "verify-full" else {
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
}
