import CRabbitMQ
import Foundation

/// A message taken from a queue by a `QueueBrowser`, with its headers, not yet settled.
public struct BrowsedMessage: Sendable {
    public let deliveryTag: UInt64
    public let exchange: String
    public let routingKey: String
    public let properties: AMQPProperties
    public let headers: [(key: String, value: AMQPHeaderValue)]
    public let body: [UInt8]
    public let redelivered: Bool

    public func header(_ key: String) -> AMQPHeaderValue? { headers.first { $0.key == key }?.value }
}

/// Looks at the messages of a queue without consuming them for good (operators' dead letters): it
/// takes up to N messages with manual acknowledgement on a connection of its own and leaves them
/// unacked; `ack` removes one; `close` gives every unacked message back to the queue. Every call
/// runs on a thread of its own, one at a time.
public final class QueueBrowser: @unchecked Sendable {
    private var connection: AMQPConnection?
    private let lock = NSLock()

    private init(connection: AMQPConnection) {
        self.connection = connection
    }

    /// Connects and opens a channel (without heartbeats: between an operator's calls nobody reads).
    public static func connect(_ configuration: AMQPConfiguration) async throws -> QueueBrowser {
        var withoutHeartbeat = configuration
        withoutHeartbeat.heartbeat = 0
        let settings = withoutHeartbeat
        return try await BlockingThread.run(name: "amqp-browser") {
            QueueBrowser(connection: try AMQPConnection(settings))
        }
    }

    /// Takes up to `limit` ready messages of `queue` (fewer when the queue holds fewer), in the
    /// order the broker delivers them, leaving them unacked.
    public func take(queue: String, limit: Int, quietTimeout: TimeInterval = 2) async throws -> [BrowsedMessage] {
        try await BlockingThread.run(name: "amqp-browser") { [self] in
            try locked { connection in
                let state = try connection.live(), channel = connection.channel
                let ready = queueName(queue) { amqp_queue_declare(state, channel, $0, 1, 0, 0, 0, amqp_empty_table) }
                guard let ready else {
                    throw AMQPConnection.error(from: amqp_get_rpc_reply(state), doing: "passive declare \(queue)")
                        ?? AMQPError(.server, "no queue \(queue)")
                }
                let wanted = min(limit, Int(ready.pointee.message_count))
                guard wanted > 0 else { return [] }
                amqp_basic_qos(state, channel, 0, wanted > 65_535 ? 0 : UInt16(wanted), 0)
                try connection.check("basic.qos")
                queueName(queue) { _ = amqp_basic_consume(state, channel, $0, amqp_empty_bytes, 0, 0, 0, amqp_empty_table) }
                try connection.check("consume \(queue)")
                var messages: [BrowsedMessage] = []
                while messages.count < wanted {
                    amqp_maybe_release_buffers(state)
                    var envelope = amqp_envelope_t()
                    var tv = timeval(tv_sec: Int(quietTimeout), tv_usec: 0)
                    let reply = amqp_consume_message(state, &envelope, &tv, 0)
                    if reply.reply_type == AMQP_RESPONSE_NORMAL {
                        defer { amqp_destroy_envelope(&envelope) }
                        let body = envelope.message.body
                        messages.append(BrowsedMessage(
                            deliveryTag: envelope.delivery_tag, exchange: string(envelope.exchange),
                            routingKey: string(envelope.routing_key),
                            properties: AMQPConnection.properties(of: envelope.message.properties),
                            headers: AMQPHeaders.decode(envelope.message.properties),
                            body: body.len == 0 ? [] : Array(UnsafeRawBufferPointer(start: body.bytes, count: body.len)),
                            redelivered: envelope.redelivered != 0))
                    } else if reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION,
                              reply.library_error == AMQP_STATUS_TIMEOUT.rawValue {
                        break
                    } else if reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION,
                              reply.library_error == AMQP_STATUS_UNEXPECTED_STATE.rawValue {
                        var frame = amqp_frame_t()
                        let status = amqp_simple_wait_frame(state, &frame)
                        guard status == AMQP_STATUS_OK.rawValue else {
                            throw AMQPError(.connection, "reading a frame: \(errorText(status))")
                        }
                    } else {
                        throw AMQPConnection.error(from: reply, doing: "consume \(queue)")
                            ?? AMQPError(.connection, "consume failed")
                    }
                }
                return messages
            }
        }
    }

    /// Removes a taken message from the queue for good.
    public func ack(_ message: BrowsedMessage) async throws {
        let tag = message.deliveryTag
        try await BlockingThread.run(name: "amqp-browser") { [self] in
            try locked { try $0.ack(tag, multiple: false) }
        }
    }

    /// Closes the connection: the broker gives every message taken and not acked back to the queue.
    public func close() async {
        _ = try? await BlockingThread.run(name: "amqp-browser") { [self] in
            lock.lock()
            defer { lock.unlock() }
            connection?.close()
            connection = nil
        }
    }

    private func locked<T>(_ body: (AMQPConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        guard let connection else { throw AMQPError(.connection, "connection closed") }
        return try body(connection)
    }

    private func queueName<R>(_ name: String, _ body: (amqp_bytes_t) -> R) -> R {
        let copy = strdup(name)!
        defer { free(copy) }
        return body(amqp_cstring_bytes(copy))
    }
}
