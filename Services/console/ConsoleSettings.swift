import Foundation
import HotlineRuntime

/// The console's own settings, from the environment (docs/console.md "Running it").
struct ConsoleSettings: Sendable {
    /// The console's listening address and port.
    var host: String
    var port: Int
    /// Whether the session cookie is marked `Secure` (served behind TLS): on in production.
    var secureCookies: Bool
    /// A session ends after this long without a request, and in any case after `sessionLifetime`.
    var idleTimeout: TimeInterval
    var sessionLifetime: TimeInterval
    /// How long an action waits for the command's outcome before the page says it is pending.
    var outcomeWait: Duration
    /// The address people open the console at (`https://console.example.gov.cn`), which a form's
    /// `Origin` must name; unset, the request's own `Host`.
    var origin: String?
    /// The address of the proxy in front of the console, whose `X-Forwarded-For` names the person's
    /// address for the audit log; unset, the peer's address is the person's.
    var trustedProxy: String?

    init(configuration: ServiceConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        func value(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        func number(_ key: String, default fallback: Int) throws -> Int {
            guard let text = value(key) else { return fallback }
            guard let number = Int(text), number > 0 else { throw ConfigurationError("\(key): a positive whole number, not \(text)") }
            return number
        }
        host = value("HOTLINE_CONSOLE_HOST") ?? "127.0.0.1"
        port = try number("HOTLINE_CONSOLE_PORT", default: 8312)
        secureCookies = value("HOTLINE_CONSOLE_SECURE_COOKIES").map { $0 == "1" || $0 == "true" } ?? configuration.isProduction
        idleTimeout = 60 * Double(try number("HOTLINE_CONSOLE_IDLE_MINUTES", default: 30))
        sessionLifetime = 3600 * Double(try number("HOTLINE_CONSOLE_SESSION_HOURS", default: 12))
        outcomeWait = .milliseconds(try number("HOTLINE_CONSOLE_OUTCOME_WAIT_MS", default: 8000))
        origin = value("HOTLINE_CONSOLE_ORIGIN").map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        trustedProxy = value("HOTLINE_CONSOLE_TRUSTED_PROXY")
    }
}
