import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

/// Handles the notifier's events, each in the one transaction of `ServiceRuntime.apply`:
/// `sla.warning` → urging; `sla.breached` → overdue record and tiers (for a knowledge-base
/// correction: the unit's reminder and overdue notice only); `ticket.accepted`,
/// `ticket.merged`, `ticket.split` → early warnings; `ticket.resolved`, `ticket.closed` stop the
/// escalation of a ticket, `ticket.reopened` lets it escalate again.
struct NotifierEvents: Sendable {
    static let consumer = "escalation-notifier"
    static let eventTypes = Set(ServiceQueue.escalationEvents.routingKeys.compactMap(EventType.init(rawValue:)))
        .union([.slaWarning, .slaBreached])

    let runtime: ServiceRuntime
    let reference: ReferenceDataCache

    func handle(_ delivery: Delivery) async -> Disposition {
        let event: any HotlineEvent
        switch runtime.decodeEvent(delivery, accepting: Self.eventTypes) {
        case .ignored: return .ack
        case .unreadable: return .retry
        case .event(let decoded): event = decoded
        }
        guard let reference = await runtime.current(self.reference) else { return .retry }
        let logger = runtime.logger
        return await runtime.apply(delivery, consumer: Self.consumer) { connection, now in
            let effects = NotifierEffects(reference: reference, connection: connection, now: now, logger: logger)
            return try effects.apply(event)
        }
    }
}
