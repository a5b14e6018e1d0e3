import Foundation
import HotlineStorage

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
