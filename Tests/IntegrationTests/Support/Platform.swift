import Foundation
import HotlineMessaging
import HotlineStorage
import Synchronization
import XCTest

/// The five services, started once for the integration tests as separate processes, each as its
/// own broker user, against the servers `deploy/local/test.sh` started.
final class Platform: Sendable {
    static let services = ["intake", "dispatcher", "sla-timer", "escalation-notifier", "survey"]
    private static let shared = Mutex<Platform?>(nil)

    let stack: TestStack
    private let processes = Mutex<[String: ServiceProcess]>([:])

    private init(stack: TestStack) {
        self.stack = stack
    }

    /// The running platform, started on first use.
    static func start() async throws -> Platform {
        let stack = try TestStack.fromEnvironment()
        if let platform = shared.withLock({ $0 }) { return platform }
        let platform = Platform(stack: stack)
        for (index, name) in services.enumerated() {
            try platform.launch(name, port: stack.portBase + 1 + index)
        }
        for process in platform.processes.withLock({ Array($0.values) }) { try await process.waitUntilHealthy() }
        shared.withLock { $0 = platform }
        return platform
    }

    /// Stops every service process (SIGTERM); called when the test process ends.
    static func stopAll() {
        shared.withLock { platform in
            for process in platform?.processes.withLock({ Array($0.values) }) ?? [] { process.terminate() }
            platform = nil
        }
    }

    func process(_ name: String) -> ServiceProcess? { processes.withLock { $0[name] } }

    /// Starts (or replaces) the process registered as `key` running service `name`.
    @discardableResult
    func launch(_ name: String, port: Int, key: String? = nil) throws -> ServiceProcess {
        let process = try ServiceProcess(name, stack: stack, httpPort: port)
        processes.withLock { $0[key ?? name] = process }
        return process
    }

    func remove(_ key: String) -> ServiceProcess? { processes.withLock { $0.removeValue(forKey: key) } }
}

/// Submissions as a hotline gateway sends them.
enum SampleSubmission {
    static func body(
        id: String, category: String? = "CG-001", street: String = "坑梓街道", community: String = "秀新社区",
        description: String = "小区门口有流动摊贩占道经营，影响通行"
    ) -> [UInt8] {
        var object: [String: Any] = [
            "submission_id": id,
            "channel": "hotline",
            "received_at": "2026-11-23T09:15:00+08:00",
            "citizen": ["name": "张女士", "phone": "13800138000", "anonymous": false],
            "title": "小区门口占道经营",
            "description": description,
            "location": ["street": street, "community": community, "address": "秀新路12号"],
        ]
        if let category { object["category"] = category }
        return Array(try! JSONSerialization.data(withJSONObject: object))
    }

    static func message(id: String, messageID: String = UUID().uuidString, replyTo: String? = nil) -> OutgoingMessage {
        OutgoingMessage(
            exchange: "hotline.intake", routingKey: "ticket.submit",
            properties: AMQPProperties(
                messageID: messageID, type: "ticket.submit", replyTo: replyTo, userID: "gateway", timestamp: Date()),
            body: body(id: id), mandatory: false)
    }
}

/// Small SQL helpers for assertions.
extension Database {
    func scalar(_ sql: String, _ parameters: [String] = []) async throws -> Int {
        try await withConnection { connection in
            try connection.query(sql, parameters).first?.decode("n", as: Int.self) ?? 0
        }
    }
}
