import Foundation

/// A service's settings, read from the environment (CONTRACT.md "Executables").
public struct ServiceConfiguration: Sendable {
    /// The executable's short name (`intake`, `dispatcher`, …).
    public var service: String
    public var amqpURL: String
    public var databaseURL: String
    public var profile: String
    public var httpPort: Int
    /// Folder of the rule profile files (`<profile>.yaml`).
    public var profilesDirectory: String
    /// Messages handled at once per consumer.
    public var workers: Int
    /// The broker's prefetch window per consumer.
    public var prefetch: Int
    /// Database connections of this process.
    public var databaseConnections: Int
    /// Outbox rows one relay pass claims.
    public var relayBatch: Int
    /// How often an idle outbox relay looks for rows written by other processes.
    public var relayInterval: Double
    public var logLevel: String
    /// Seconds added to the wall clock for every decision (`HOTLINE_CLOCK_OFFSET_SECONDS`, default 0):
    /// for tests and drills that need another time of day; all copies of a platform must share it.
    public var clockOffset: Double

    public init(service: String, defaultHTTPPort: Int, environment: [String: String] = ProcessInfo.processInfo.environment) {
        func value(_ key: String) -> String? {
            guard let value = environment[key], !value.isEmpty else { return nil }
            return value
        }
        func int(_ key: String, _ fallback: Int) -> Int { value(key).flatMap(Int.init) ?? fallback }
        self.service = service
        amqpURL = value("HOTLINE_AMQP_URL") ?? "amqp://guest:guest@127.0.0.1:5672/%2f"
        databaseURL = value("HOTLINE_DATABASE_URL") ?? "postgres://hotline:hotline@127.0.0.1:5432/hotline"
        profile = value("HOTLINE_PROFILE") ?? "pingshan"
        httpPort = int("HOTLINE_HTTP_PORT", defaultHTTPPort)
        profilesDirectory = value("HOTLINE_PROFILES_DIR") ?? "deploy/profiles"
        workers = max(1, int("HOTLINE_WORKERS", 8))
        prefetch = max(1, int("HOTLINE_PREFETCH", 200))
        databaseConnections = max(2, int("HOTLINE_DB_CONNECTIONS", workers + 2))
        relayBatch = max(1, int("HOTLINE_RELAY_BATCH", 500))
        relayInterval = value("HOTLINE_RELAY_INTERVAL").flatMap(Double.init) ?? 0.1
        logLevel = value("HOTLINE_LOG_LEVEL") ?? "info"
        clockOffset = value("HOTLINE_CLOCK_OFFSET_SECONDS").flatMap(Double.init) ?? 0
    }
}
