import Foundation
import HotlineDomain
import HotlineMessaging

/// What an events consumer makes of a delivery from `hotline.events`.
public enum DecodedEvent: Sendable {
    /// A type the consumer does not act on: acknowledge it.
    case ignored
    /// Not a readable event of its type: logged; retried until the broker dead-letters it.
    case unreadable
    case event(any HotlineEvent)
}

extension ServiceRuntime {
    /// Decodes the delivery as one of `types` (by its AMQP type, or else its routing key).
    public func decodeEvent(_ delivery: Delivery, accepting types: Set<EventType>) -> DecodedEvent {
        let type = delivery.properties.type ?? delivery.routingKey
        guard let eventType = EventType(rawValue: type), types.contains(eventType) else { return .ignored }
        do {
            return .event(try HotlineEvents.decode(type: type, body: Data(delivery.body)))
        } catch {
            logger.error("unreadable event, left for the dead-letter queue", metadata: [
                "message_id": "\(delivery.messageKey)", "type": "\(type)", "error": "\(error)",
            ])
            return .unreadable
        }
    }
}
