import Foundation
import HotlineMessaging
import HotlineStorage
import Synchronization
import XCTest

/// The eight services, started once for the integration tests as separate processes, each as its
/// own broker user, against the servers `deploy/local/test.sh` started.
final class Platform: Sendable {
    static let services = ["intake", "dispatcher", "sla-timer", "escalation-notifier", "survey", "knowledge", "open311", "console"]
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
        do {
            for process in platform.processes.withLock({ Array($0.values) }) { try await process.waitUntilHealthy() }
        } catch {
            for process in platform.processes.withLock({ Array($0.values) }) { process.terminate() }
            throw error
        }
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

    /// Starts (or replaces) the process registered as `key` running service `name`, with `environment`
    /// added to the usual one (e.g. `HOTLINE_PROFILE` for another rule profile).
    @discardableResult
    func launch(_ name: String, port: Int, key: String? = nil, environment: [String: String] = [:]) throws -> ServiceProcess {
        let process = try ServiceProcess(name, stack: stack, httpPort: port, extraEnvironment: environment)
        processes.withLock { $0[key ?? name] = process }
        return process
    }

    func remove(_ key: String) -> ServiceProcess? { processes.withLock { $0.removeValue(forKey: key) } }
}

/// Submissions as a hotline gateway sends them.
///
/// Each submission id gets its own citizen phone and house address by default: intake merges (并案)
/// a demand of the same category at the same place, or from the same citizen, into an open ticket,
/// so samples that should become tickets of their own must differ in both.
enum SampleSubmission {
    static func body(
        id: String, category: String? = "CG-001", street: String = "坑梓街道", community: String = "秀新社区",
        description: String = "小区门口有流动摊贩占道经营，影响通行", address: String? = nil, phone: String? = nil
    ) -> [UInt8] {
        var object: [String: Any] = [
            "submission_id": id,
            "channel": "hotline",
            "received_at": "2026-11-23T09:15:00+08:00",
            "citizen": ["name": "张女士", "phone": phone ?? Self.phone(for: id), "anonymous": false],
            "title": "小区门口占道经营",
            "description": description,
            "location": ["street": street, "community": community, "address": address ?? Self.address(for: id)],
        ]
        if let category { object["category"] = category }
        return Array(try! JSONSerialization.data(withJSONObject: object))
    }

    /// The default citizen phone of a submission id: a plausible mobile number (1[3-9] and nine digits)
    /// derived from the id. The whole space, 7×10⁹ numbers, keeps two runs' citizens apart: a shared
    /// number would make intake merge the later demand into the earlier ticket (same citizen).
    static func phone(for id: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        // FNV-1a's low digits barely change between ids that differ in their last characters: mix
        // (the SplitMix64 finaliser) before taking them.
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        hash ^= hash >> 31
        let number = hash % 7_000_000_000
        return "1\(3 + number / 1_000_000_000)" + String(format: "%09llu", number % 1_000_000_000)
    }

    /// The default house address of a submission id.
    static func address(for id: String) -> String { "秀新路12号 \(id)" }

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
