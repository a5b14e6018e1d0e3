import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineStorage

/// The contract's exchanges.
public enum Exchange {
    public static let intake = "hotline.intake"
    public static let commands = "hotline.commands"
    public static let events = "hotline.events"
    public static let assignments = "hotline.assignments"
    public static let notifications = "hotline.notifications"
    public static let deadLetters = "hotline.dlx"
}

/// A message written to the outbox in the same transaction as the state change that causes it.
public struct OutboxMessage: Sendable, Equatable {
    public var exchange: String
    public var routingKey: String
    public var messageID: String
    public var type: String
    public var correlationID: String?
    public var mandatory: Bool
    public var body: Data

    public init(
        exchange: String, routingKey: String, messageID: String, type: String, correlationID: String? = nil,
        mandatory: Bool, body: Data
    ) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.messageID = messageID
        self.type = type
        self.correlationID = correlationID
        self.mandatory = mandatory
        self.body = body
    }

    /// An event for `hotline.events`, routed by its type.
    public static func event<E: HotlineEvent>(_ event: E, correlationID: String? = nil) throws -> OutboxMessage {
        OutboxMessage(
            exchange: Exchange.events, routingKey: E.eventType.rawValue, messageID: event.eventID,
            type: E.eventType.rawValue, correlationID: correlationID, mandatory: false,
            body: try HotlineJSON.encode(event))
    }

    /// The same message addressed to a client's `reply_to` queue (default exchange, not mandatory:
    /// a client that is gone does not block the relay).
    public func reply(to queue: String) -> OutboxMessage {
        var copy = self
        copy.exchange = ""
        copy.routingKey = queue
        copy.mandatory = false
        return copy
    }
}

extension Delivery {
    /// Where to send the answer besides `hotline.events`: the `reply_to` queue, unless it is empty
    /// or names one of the platform's own queues other than a reply queue (a unit's, the
    /// manual-dispatch queue, a service's), which a client must not be able to write into through a
    /// service.
    public var replyQueue: String? {
        guard let replyTo = properties.replyTo, !replyTo.isEmpty else { return nil }
        if replyTo.hasPrefix("hotline.") && !replyTo.hasPrefix("hotline.reply.") { return nil }
        return replyTo
    }
}

/// Writing to and relaying from the `outbox` table.
public enum Outbox {
    /// Appends messages inside the caller's transaction.
    public static func enqueue(_ messages: [OutboxMessage], on connection: PostgresConnection, now: Date) throws {
        for message in messages {
            try connection.query(
                """
                INSERT INTO outbox (exchange, routing_key, message_id, type, correlation_id, mandatory, body,
                                    created_at, available_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
                """,
                [message.exchange, message.routingKey, message.messageID, message.type, message.correlationID,
                 message.mandatory, message.body, now])
        }
    }
}

/// The consumer side of at-least-once delivery: a `message_id` recorded in the same transaction as
/// its effect is never applied twice.
public enum Inbox {
    /// Records the message for `consumer`; false when it was already processed (skip the effect).
    public static func claim(
        _ messageID: String, consumer: String, on connection: PostgresConnection, now: Date
    ) throws -> Bool {
        let rows = try connection.query(
            """
            INSERT INTO processed_messages (consumer, message_id, processed_at) VALUES ($1, $2, $3)
            ON CONFLICT DO NOTHING RETURNING 1 AS claimed
            """, [consumer, messageID, now])
        return !rows.isEmpty
    }
}
