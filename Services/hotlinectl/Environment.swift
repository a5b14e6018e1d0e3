import Foundation
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

    func database() -> Database {
        Database(url: configuration.databaseURL, applicationName: "hotlinectl", size: 2, retryWindow: 10, logger: logger)
    }

    func admin() throws -> AMQPAdmin {
        AMQPAdmin(configuration: try AMQPConfiguration(url: configuration.amqpURL))
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
    let database = CtlEnvironment().database()
    do {
        let value = try await body(database)
        await database.shutdown()
        return value
    } catch {
        await database.shutdown()
        throw error
    }
}
