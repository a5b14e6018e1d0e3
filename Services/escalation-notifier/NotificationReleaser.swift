import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage
import Logging
import ServiceLifecycle
import Synchronization

/// Timed work of the notifier, durable in PostgreSQL and shared by every copy through
/// `FOR UPDATE SKIP LOCKED` and unique inserts, on the service clock:
/// - publishes the notifications that waited for working hours once their `send_after` has come;
/// - at a quarter's end, computes the quarter's red and yellow cards once (`card_runs`).
final class NotificationReleaser: Service, Sendable {
    private let runtime: ServiceRuntime
    private let reference: ReferenceDataCache
    private let settings: NotifierSettings
    private let loop: PollingLoop
    private let quarterDone = Mutex<String?>(nil)
    private let worker: String

    init(runtime: ServiceRuntime, reference: ReferenceDataCache, settings: NotifierSettings) {
        self.runtime = runtime
        self.reference = reference
        self.settings = settings
        worker = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
        loop = PollingLoop("notification release", logger: runtime.logger)
    }

    func run() async throws {
        await loop.run {
            let released = try await releaseOnce()
            try await quarterEnd()
            if released >= settings.batchSize { return .now }
            let next = try await runtime.database.withConnection { try NotificationStore.nextDue(on: $0) }
            return .until(next, now: runtime.clock.now(), atMost: settings.pollInterval)
        }
    }

    /// One transaction: claim the due notifications, write them to the outbox, mark them sent.
    func releaseOnce() async throws -> Int {
        let clock = runtime.clock
        let limit = settings.batchSize
        let publisher = runtime.relay.service
        let count = try await runtime.database.transaction { connection -> Int in
            let now = clock.now()
            let messages = try NotificationStore.releaseDue(limit: limit, now: now, on: connection)
            try Outbox.enqueue(messages, by: publisher, on: connection, now: now)
            return messages.count
        }
        if count > 0 {
            runtime.relay.nudge()
            runtime.logger.info("waiting notifications released", metadata: ["count": "\(count)"])
        }
        return count
    }

    /// Computes the cards of the quarter that ended before now, once across all copies.
    func quarterEnd() async throws {
        guard let reference = try? await reference.current() else { return }
        let calendar = reference.calendar
        let ended = Quarter(containing: calendar.localDate(of: runtime.clock.now())).previous.description
        if quarterDone.withLock({ $0 }) == ended { return }
        let clock = runtime.clock
        let worker = self.worker
        let rules = reference.profile.cards, supervision = reference.profile.supervision
        let jurisdiction = reference.jurisdiction
        let publisher = runtime.relay.service
        let result = try await runtime.database.transaction { connection in
            try QuarterCardStore.computeEndedQuarterOnce(
                rules: rules, supervision: supervision, jurisdiction: jurisdiction, calendar: calendar, now: clock.now(), by: worker,
                publisher: publisher, on: connection)
        }
        quarterDone.withLock { $0 = ended }
        if let result {
            if !result.messages.isEmpty { runtime.relay.nudge() }
            runtime.logger.info("quarter cards computed", metadata: [
                "quarter": "\(result.quarter)", "new_cards": "\(result.cards.filter(\.new).count)",
            ])
        }
    }
}
