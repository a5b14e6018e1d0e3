import Foundation
import HotlineDomain

/// A service's settings, read from the environment (docs/contract.md "Executables and configuration").
public struct ServiceConfiguration: Sendable {
    /// The executable's short name (`intake`, `dispatcher`, …).
    public var service: String
    /// A production deployment (`HOTLINE_DEPLOYMENT=production`; the container image sets it): no
    /// default server address or password applies. Otherwise the local development defaults do
    /// (guest/guest and hotline/hotline on loopback).
    public var isProduction: Bool
    /// Empty when unset in production (`checkServers` refuses it).
    public var amqpURL: String
    public var databaseURL: String
    /// libpq's `PGSSLMODE`, which applies when the database URL names no `sslmode`.
    var postgresSSLMode: String
    public var profile: String
    /// The address `/health` and `/metrics` listen on (`HOTLINE_HTTP_HOST`, default loopback; the
    /// container image sets `0.0.0.0`).
    public var httpHost: String
    public var httpPort: Int
    /// Folder of the rule profile files (`<profile>.yaml`).
    public var profilesDirectory: String
    /// Deliveries one consumer applies together in one transaction, at most.
    public var batchSize: Int
    /// How long a consumer waits for more deliveries when fewer than a batch have arrived.
    public var batchLingerMilliseconds: Int
    /// The same for a queue whose deliveries nobody awaits (`ServiceQueue.isBackground`).
    public var backgroundLingerMilliseconds: Int
    /// The broker's prefetch window per consumer.
    public var prefetch: Int
    /// Database connections of this process.
    public var databaseConnections: Int
    /// Outbox rows one relay pass claims.
    public var relayBatch: Int
    /// How often the outbox relay looks for rows that are due (written by another process, or left
    /// behind by one that stopped before publishing them).
    public var relayInterval: Double
    public var logLevel: String
    /// Seconds added to the wall clock for every decision (`HOTLINE_CLOCK_OFFSET_SECONDS`, default 0):
    /// for tests and drills that need another time of day; all copies of a platform must share it.
    public var clockOffset: Double
    /// Days of working calendar left below which `/health` warns (`HOTLINE_CALENDAR_WARNING_DAYS`).
    public var calendarWarningDays: Int
    /// Seconds reference data read from the database serves before it is checked again
    /// (`HOTLINE_REFERENCE_MAX_AGE_SECONDS`, default 30): the safety net behind `reference.changed`,
    /// which has it read again at once.
    public var referenceMaxAge: Double
    /// How long operational records are kept (`HOTLINE_RETENTION_<TABLE>_DAYS`), or why the settings
    /// cannot be used (`ServiceRuntime` then refuses to start).
    public var retention: Result<RetentionPolicy, RetentionSettingError>
    /// Seconds between the retention purge's passes (`HOTLINE_RETENTION_INTERVAL`).
    public var retentionInterval: Double

    public init(service: String, defaultHTTPPort: Int, environment: [String: String] = ProcessInfo.processInfo.environment) {
        func value(_ key: String) -> String? {
            guard let value = environment[key], !value.isEmpty else { return nil }
            return value
        }
        func int(_ key: String, _ fallback: Int) -> Int { value(key).flatMap(Int.init) ?? fallback }
        self.service = service
        isProduction = value("HOTLINE_DEPLOYMENT") == "production"
        amqpURL = value("HOTLINE_AMQP_URL") ?? (isProduction ? "" : "amqp://guest:guest@127.0.0.1:5672/%2f")
        databaseURL = value("HOTLINE_DATABASE_URL") ?? (isProduction ? "" : "postgres://hotline:hotline@127.0.0.1:5432/hotline")
        postgresSSLMode = value("PGSSLMODE") ?? "prefer"
        profile = value("HOTLINE_PROFILE") ?? "pingshan"
        httpHost = value("HOTLINE_HTTP_HOST") ?? "127.0.0.1"
        httpPort = int("HOTLINE_HTTP_PORT", defaultHTTPPort)
        profilesDirectory = value("HOTLINE_PROFILES_DIR") ?? "deploy/profiles"
        batchSize = max(1, int("HOTLINE_BATCH", 100))
        batchLingerMilliseconds = max(0, int("HOTLINE_BATCH_LINGER_MS", 2))
        backgroundLingerMilliseconds = max(0, int("HOTLINE_BACKGROUND_LINGER_MS", 50))
        prefetch = max(1, int("HOTLINE_PREFETCH", 2 * batchSize))
        databaseConnections = max(2, int("HOTLINE_DB_CONNECTIONS", 6))
        relayBatch = max(1, int("HOTLINE_RELAY_BATCH", 500))
        relayInterval = value("HOTLINE_RELAY_INTERVAL").flatMap(Double.init) ?? 1
        logLevel = value("HOTLINE_LOG_LEVEL") ?? "info"
        clockOffset = value("HOTLINE_CLOCK_OFFSET_SECONDS").flatMap(Double.init) ?? 0
        calendarWarningDays = max(0, int("HOTLINE_CALENDAR_WARNING_DAYS", CalendarCoverage.defaultWarningDays))
        referenceMaxAge = max(1, value("HOTLINE_REFERENCE_MAX_AGE_SECONDS").flatMap(Double.init) ?? 30)
        retention = Result { () throws(RetentionSettingError) in try RetentionPolicy(environment: environment) }
        retentionInterval = max(1, value("HOTLINE_RETENTION_INTERVAL").flatMap(Double.init) ?? 600)
    }

    /// The rule profile's file.
    public var profileFile: URL {
        URL(fileURLWithPath: profilesDirectory).appendingPathComponent("\(profile).yaml")
    }

    /// The servers a process connects to.
    public enum Server: CaseIterable, Sendable {
        case broker, database
    }

    /// Throws, naming them, when an address of `servers` is not set in production, where there is no
    /// default address or password to fall back on, or when it would be reached without TLS
    /// (`checkTransport`).
    public func checkServers(_ servers: [Server] = Server.allCases) throws {
        let missing = servers.compactMap { server -> String? in
            switch server {
            case .broker: amqpURL.isEmpty ? "HOTLINE_AMQP_URL" : nil
            case .database: databaseURL.isEmpty ? "HOTLINE_DATABASE_URL" : nil
            }
        }
        guard missing.isEmpty else {
            throw ConfigurationError(
                "\(missing.joined(separator: " and ")) not set: give the servers' addresses with this service's user and password")
        }
        try checkTransport(servers)
    }
}

/// A setting missing or wrong.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
