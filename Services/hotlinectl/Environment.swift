import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage
import Logging

/// The connections a `hotlinectl` command uses, from the same environment as the services.
struct CtlEnvironment {
    let configuration = ServiceConfiguration(service: "hotlinectl", defaultHTTPPort: 0)
    let logger: Logger = {
        var logger = Logger(label: "hotlinectl")
        logger.logLevel = .error
        return logger
    }()

    func database() throws -> Database {
        try configuration.checkServers([.database])
        return Database(url: configuration.databaseURL, applicationName: "hotlinectl", size: 2, retryWindow: 10, logger: logger)
    }

    /// The broker's address (`HOTLINE_AMQP_URL`).
    func amqpURL() throws -> String {
        try configuration.checkServers([.broker])
        return configuration.amqpURL
    }

    func admin() throws -> AMQPAdmin {
        AMQPAdmin(configuration: try AMQPConfiguration(url: try amqpURL()))
    }

    /// The rule profile `name` from `HOTLINE_PROFILES_DIR` (default `deploy/profiles`): a jurisdiction is
    /// checked under the profile it names before it is loaded.
    func profile(named name: String) throws -> RuleProfile {
        var configuration = self.configuration
        configuration.profile = name
        return try ReferenceData.loadProfile(configuration.profileFile)
    }

    /// The repository's `deploy/…` folder, or the path given in the environment.
    func deployPath(_ relative: String, override: String) -> URL {
        if let path = ProcessInfo.processInfo.environment[override], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: "deploy").appendingPathComponent(relative)
    }
}

/// Runs `body` with a database pool that is shut down afterwards.
func withDatabase<T>(_ body: (Database) async throws -> T) async throws -> T {
    let database = try CtlEnvironment().database()
    do {
        let value = try await body(database)
        await database.shutdown()
        return value
    } catch {
        await database.shutdown()
        throw error
    }
}
