import Foundation

/// Where and how to connect: parsed from an `amqp://user:pass@host:port/vhost` URL.
public struct AMQPConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var virtualHost: String
    /// Heartbeat interval in seconds (0 disables).
    public var heartbeat: Int
    public var frameMax: Int

    public init(url: String, heartbeat: Int = 30, frameMax: Int = 131_072) throws {
        guard let components = URLComponents(string: url), components.scheme == "amqp" else {
            throw AMQPError(.configuration, "not an amqp:// URL: \(AMQPConfiguration.redact(url))")
        }
        host = components.host ?? "127.0.0.1"
        port = components.port ?? 5672
        user = components.user?.removingPercentEncoding ?? "guest"
        password = components.password?.removingPercentEncoding ?? "guest"
        let path = components.percentEncodedPath
        if path.isEmpty || path == "/" {
            virtualHost = "/"
        } else {
            virtualHost = String(path.dropFirst()).removingPercentEncoding ?? "/"
        }
        self.heartbeat = heartbeat
        self.frameMax = frameMax
    }

    /// The URL with its password replaced, for logs.
    public static func redact(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "amqp://***"
    }
}
