import Foundation
import HotlineRuntime

/// The open311 service's own settings, from the environment (docs/open311.md "Running it").
struct Open311Settings: Sendable {
    /// The API's listening address and port.
    var host: String
    var port: Int
    var clientsFile: URL
    /// How long a `POST` waits for intake's outcome before it answers with a token.
    var outcomeWait: Duration
    /// Reads a minute per remote address without an API key.
    var anonymousPerMinute: Int

    init(configuration: ServiceConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        func value(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        host = value("HOTLINE_OPEN311_HOST") ?? "127.0.0.1"
        port = value("HOTLINE_OPEN311_PORT").flatMap(Int.init) ?? 8311
        guard let file = value("HOTLINE_OPEN311_CLIENTS_FILE") ?? (configuration.isProduction ? nil : ".local/open311-clients.yaml")
        else { throw ConfigurationError("HOTLINE_OPEN311_CLIENTS_FILE not set: give the Open311 clients file (mode 0600)") }
        clientsFile = URL(fileURLWithPath: file)
        outcomeWait = .milliseconds(max(0, value("HOTLINE_OPEN311_OUTCOME_WAIT_MS").flatMap(Int.init) ?? 3000))
        anonymousPerMinute = max(1, value("HOTLINE_OPEN311_ANONYMOUS_PER_MINUTE").flatMap(Int.init) ?? 600)
    }
}
