import Foundation
import HotlineMessaging
import HotlineStorage
import Logging

/// The one way services apply a message: in one transaction, record its `message_id` (skipping a
/// duplicate), apply the effect, write the messages it causes to the outbox; commit; then ack. The
/// transaction is the batch's of the consumer running the handler (`MessageBatch`). A crash anywhere
/// before the commit leaves nothing behind and the broker redelivers.
extension ServiceRuntime {
    /// Applies `effect` exactly once per message id for `consumer`. The effect returns the messages
    /// to publish; it must only read and write the database (it may run more than once, when its
    /// transaction is retried).
    public func apply(
        _ delivery: Delivery, consumer: String,
        effect: @escaping @Sendable (PostgresConnection, Date) throws -> [OutboxMessage]
    ) async -> Disposition {
        let messageID = delivery.messageKey
        switch await commit(MessageBatch.Work(claim: .message(consumer: consumer, messageID: messageID), effect: effect)) {
        case .applied:
            return .ack
        case .duplicate:
            logger.debug("duplicate delivery skipped", metadata: ["message_id": "\(messageID)"])
            return .ack
        case .failed(let error):
            logger.error("handling failed; the message goes back to the queue", metadata: [
                "message_id": "\(messageID)", "type": "\(delivery.properties.type ?? "")", "error": "\(error)",
            ])
            try? await Task.sleep(for: .milliseconds(200))
            return .retry
        }
    }
}

extension Delivery {
    /// The idempotency key: the `message_id`, or for a message without one a digest of its
    /// routing key and body (so that its redeliveries still deduplicate).
    public var messageKey: String {
        if let id = properties.messageID, !id.isEmpty { return id }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Array(routingKey.utf8) + [0] + body {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return "anonymous-\(String(hash, radix: 16))-\(body.count)"
    }
}
