import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineStorage

/// The `invalid_messages` table: a message that could not be read is kept (properties, every problem
/// found, and its body up to `keptBodyBytes` with the whole body's size and SHA-256), never dropped,
/// for `hotlinectl invalid` and the operators.
public enum InvalidMessages {
    /// The most of an invalid body kept: enough to see what was sent, not enough to fill the database.
    public static let keptBodyBytes = 64 * 1024

    /// Keeps `delivery` for `consumer` inside the caller's transaction and returns its row id; the same
    /// message id again keeps the first row and returns its id.
    public static func keep(
        _ delivery: Delivery, consumer: String, problems: [FieldProblem], on connection: PostgresConnection, now: Date
    ) throws -> Int64 {
        let rows = try connection.query(
            """
            INSERT INTO invalid_messages (consumer, message_id, type, routing_key, user_id, body, errors, received_at,
                                          body_size, body_sha256)
            VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10)
            ON CONFLICT (consumer, message_id) WHERE message_id IS NOT NULL DO UPDATE SET received_at = invalid_messages.received_at
            RETURNING id
            """,
            [consumer, delivery.properties.messageID.map(printable), delivery.properties.type.map(printable),
             printable(delivery.routingKey), delivery.properties.userID.map(printable),
             Data(delivery.body.prefix(keptBodyBytes)), JSONText(data: try HotlineJSON.encode(problems)), now,
             delivery.body.count, SHA256.hex(delivery.body)])
        return try rows[0].decode("id")
    }

    /// PostgreSQL text cannot hold NUL.
    private static func printable(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0 != "\u{0}" }.map(Character.init))
    }
}
