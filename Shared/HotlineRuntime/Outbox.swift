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

/// Writing to the `outbox` table.
public enum Outbox {
    /// Appends messages inside the caller's transaction, all in one statement, and returns their row
    /// ids in order. Rows are due for the relay at `availableAt` (default `now`): a process that
    /// publishes its rows itself right after the commit sets it a lease ahead, so that the relay
    /// takes only the rows such a process left behind.
    @discardableResult
    public static func enqueue(
        _ messages: [OutboxMessage], on connection: PostgresConnection, now: Date, availableAt: Date? = nil
    ) throws -> [Int64] {
        guard !messages.isEmpty else { return [] }
        let rows = try connection.query(
            """
            INSERT INTO outbox (exchange, routing_key, message_id, type, correlation_id, mandatory, body,
                                created_at, available_at)
            SELECT exchange, routing_key, message_id, type, correlation_id, mandatory, body, $8, $9
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bool[], $7::bytea[])
                 WITH ORDINALITY AS m(exchange, routing_key, message_id, type, correlation_id, mandatory, body, n)
            ORDER BY n
            RETURNING id
            """,
            [messages.map(\.exchange), messages.map(\.routingKey), messages.map(\.messageID), messages.map(\.type),
             NullableArray(messages.map(\.correlationID)), messages.map(\.mandatory), messages.map(\.body), now,
             availableAt ?? now])
        return try rows.map { try $0.decode("id") }
    }
}

/// The consumer side of at-least-once delivery: a `message_id` recorded in the same transaction as
/// its effect is never applied twice.
public enum Inbox {
    /// Records the messages for their consumers in one statement; returns the (consumer, message id)
    /// pairs that were new. A pair already recorded (or recorded by a transaction still running, which
    /// this one waits for) is left out.
    public static func claim(
        _ keys: [(consumer: String, messageID: String)], on connection: PostgresConnection, now: Date
    ) throws -> Set<InboxKey> {
        guard !keys.isEmpty else { return [] }
        let rows = try connection.query(
            """
            INSERT INTO processed_messages (consumer, message_id, processed_at)
            SELECT consumer, message_id, $3 FROM unnest($1::text[], $2::text[]) AS m(consumer, message_id)
            ON CONFLICT DO NOTHING RETURNING consumer, message_id
            """, [keys.map(\.consumer), keys.map(\.messageID), now])
        return Set(try rows.map { InboxKey(consumer: try $0.decode("consumer"), messageID: try $0.decode("message_id")) })
    }
}

/// A message as one consumer sees it, the key of `processed_messages`.
public struct InboxKey: Hashable, Sendable {
    public var consumer: String
    public var messageID: String
}
