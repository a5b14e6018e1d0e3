import Foundation
import XCTest

/// The open311 service of the test platform (docs/open311.md): started with the other services by
/// `Platform.start()`, its API on `HOTLINE_TEST_PORT_BASE + 90`, with the local client `local` whose
/// key `platform.sh prepare` wrote to `.local/open311-api-key`.
struct Open311Endpoint: Sendable {
    /// `http://127.0.0.1:<port>`, without a trailing slash.
    let baseURL: URL
    /// The API key of the client `local`.
    let apiKey: String

    /// The API's port for `stack`.
    static func port(_ stack: TestStack) -> Int { stack.portBase + 90 }

    /// The running endpoint (the platform started on first use).
    static func start() async throws -> Open311Endpoint {
        let platform = try await Platform.start()
        let keyFile = URL(fileURLWithPath: platform.stack.repoRoot).appendingPathComponent(".local/open311-api-key")
        let key = try String(contentsOf: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return Open311Endpoint(baseURL: URL(string: "http://127.0.0.1:\(port(platform.stack))")!, apiKey: key)
    }
}
