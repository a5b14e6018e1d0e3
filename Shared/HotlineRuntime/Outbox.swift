import Foundation
import HotlineStorage

/// Writing to the `outbox` table.
public enum Outbox {
    /// Appends messages inside the caller's transaction, all in one statement, and returns their row
    /// ids in order. Only the relays of `publisher` (the service writing them) publish the rows. Rows
    /// are due for the relay at `availableAt` (default `now`): a process that publishes its rows
    /// itself right after the commit sets it a lease ahead, so that the relay takes only the rows such
    /// a process left behind.
    @discardableResult
    public static func enqueue(
        _ messages: [OutboxMessage], by publisher: String, on connection: PostgresConnection, now: Date,
        availableAt: Date? = nil
    ) throws -> [Int64] {
        guard !messages.isEmpty else { return [] }
        let rows = try connection.query(
            """
            INSERT INTO outbox (exchange, routing_key, message_id, type, correlation_id, mandatory, body,
                                created_at, available_at, publisher)
            SELECT exchange, routing_key, message_id, type, correlation_id, mandatory, body, $8, $9, $10
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bool[], $7::bytea[])
                 WITH ORDINALITY AS m(exchange, routing_key, message_id, type, correlation_id, mandatory, body, n)
            ORDER BY n
            RETURNING id
            """,
            [messages.map(\.exchange), messages.map(\.routingKey), messages.map(\.messageID), messages.map(\.type),
             NullableArray(messages.map(\.correlationID)), messages.map(\.mandatory), messages.map(\.body), now,
             availableAt ?? now, publisher])
        return try rows.map { try $0.decode("id") }
    }
}
