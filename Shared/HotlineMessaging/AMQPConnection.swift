import CRabbitMQ
import Foundation

/// One rabbitmq-c connection with one channel. Its calls block, so it lives on one thread at a
/// time (`AMQPPublisher` and `AMQPConsumer` each own one on a dedicated thread).
final class AMQPConnection {
    private var state: amqp_connection_state_t?
    let channel: amqp_channel_t = 1
    /// The node it is connected to.
    private(set) var node: AMQPConfiguration.Node

    /// Connects to the first node of `configuration.connectionOrder()` that answers.
    init(_ configuration: AMQPConfiguration) throws {
        let order = configuration.connectionOrder()
        node = order[0]
        var failures: [String] = []
        for candidate in order {
            node = candidate
            do {
                try open(configuration)
                return
            } catch let error as AMQPError where error.kind != .configuration && order.count > 1 {
                destroy()
                failures.append("\(error)")
            } catch {
                destroy()
                throw error
            }
        }
        throw AMQPError(.connection, "no node answered: \(failures.joined(separator: "; "))")
    }

    private func open(_ configuration: AMQPConfiguration) throws {
        guard let state = amqp_new_connection() else { throw AMQPError(.connection, "out of memory") }
        self.state = state
        let socket = try Self.socket(state, tls: configuration.tls)
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        let status = amqp_socket_open_noblock(socket, node.host, Int32(node.port), &timeout)
        guard status == AMQP_STATUS_OK.rawValue else {
            throw AMQPError(.connection, "cannot reach \(node)\(configuration.tls == nil ? "" : " over TLS"): \(errorText(status))")
        }
        let login = hotline_amqp_login_plain(
            state, configuration.virtualHost, Int32(configuration.frameMax), Int32(configuration.heartbeat),
            configuration.user, configuration.password)
        if let error = Self.error(from: login, doing: "login as \(configuration.user) at \(node)") { throw error }
        amqp_channel_open(state, channel)
        if let error = Self.error(from: amqp_get_rpc_reply(state), doing: "open channel") { throw error }
    }

    deinit { destroy() }

    /// A plain TCP socket, or a TLS one (1.2 or later) that checks the broker's certificate and host
    /// name unless told not to.
    private static func socket(_ state: amqp_connection_state_t, tls: AMQPConfiguration.TLS?) throws -> OpaquePointer {
        guard let tls else {
            guard let socket = amqp_tcp_socket_new(state) else { throw AMQPError(.connection, "cannot create a socket") }
            return socket
        }
        guard let socket = amqp_ssl_socket_new(state) else { throw AMQPError(.connection, "cannot create a TLS socket") }
        let status = amqp_ssl_socket_set_ssl_versions(socket, AMQP_TLSv1_2, AMQP_TLSvLATEST)
        guard status == AMQP_STATUS_OK.rawValue else {
            throw AMQPError(.configuration, "TLS versions: \(errorText(status))")
        }
        amqp_ssl_socket_set_verify_peer(socket, tls.verifyPeer ? 1 : 0)
        amqp_ssl_socket_set_verify_hostname(socket, tls.verifyPeer ? 1 : 0)
        let authorities = tls.caFile ?? AMQPConfiguration.TLS.systemTrustStore
        if tls.verifyPeer || tls.caFile != nil {
            let status = amqp_ssl_socket_set_cacert(socket, authorities)
            guard status == AMQP_STATUS_OK.rawValue else {
                throw AMQPError(.configuration, "cannot read the certificate authorities in \(authorities): \(errorText(status))")
            }
        }
        if let certificate = tls.certificateFile, let key = tls.keyFile {
            let status = amqp_ssl_socket_set_key(socket, certificate, key)
            guard status == AMQP_STATUS_OK.rawValue else {
                throw AMQPError(.configuration, "cannot read the client certificate \(certificate) and key \(key): \(errorText(status))")
            }
        }
        return socket
    }

    /// Closes politely when possible, then frees the connection.
    func close() {
        guard let state else { return }
        _ = amqp_channel_close(state, channel, Int32(AMQP_REPLY_SUCCESS))
        _ = amqp_connection_close(state, Int32(AMQP_REPLY_SUCCESS))
        destroy()
    }

    private func destroy() {
        if let state { amqp_destroy_connection(state) }
        state = nil
    }

    /// The rabbitmq-c state, for the calls a caller in this module makes itself (`QueueBrowser`).
    func live() throws -> amqp_connection_state_t {
        guard let state else { throw AMQPError(.connection, "connection closed") }
        return state
    }

    func check(_ doing: String) throws {
        if let error = Self.error(from: amqp_get_rpc_reply(try live()), doing: doing) { throw error }
    }

    // MARK: Topology

    func declareExchange(_ name: String, type: String) throws {
        let state = try live()
        withBytes(name, type) { bytes in
            _ = amqp_exchange_declare(state, channel, bytes[0], bytes[1], 0, 1, 0, 0, amqp_empty_table)
        }
        try check("declare exchange \(name)")
    }

    func declareQueue(_ name: String, arguments: [String: QueueArgument]) throws {
        let state = try live()
        withTable(arguments) { table in
            withBytes(name) { bytes in _ = amqp_queue_declare(state, channel, bytes[0], 0, 1, 0, 0, table) }
        }
        try check("declare queue \(name)")
    }

    /// A queue's ready messages and consumers, or nil when it does not exist (a passive declare; a
    /// missing queue closes the channel, which is reopened).
    func queueStatus(_ name: String) throws -> (messages: Int, consumers: Int)? {
        let state = try live()
        let ok = withBytes(name) { amqp_queue_declare(state, channel, $0[0], 1, 0, 0, 0, amqp_empty_table) }
        if let ok { return (Int(ok.pointee.message_count), Int(ok.pointee.consumer_count)) }
        let reply = amqp_get_rpc_reply(state)
        if reply.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION, reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD {
            // The broker closed the channel (404): acknowledge the close, then open the channel again.
            var closeOK = amqp_channel_close_ok_t(dummy: 0)
            amqp_send_method(state, channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &closeOK)
            amqp_channel_open(state, channel)
            try check("reopen channel")
            return nil
        }
        try check("passive declare \(name)")
        return nil
    }

    func deleteQueue(_ name: String) throws {
        let state = try live()
        withBytes(name) { _ = amqp_queue_delete(state, channel, $0[0], 0, 0) }
        try check("delete queue \(name)")
    }

    func purgeQueue(_ name: String) throws {
        let state = try live()
        withBytes(name) { _ = amqp_queue_purge(state, channel, $0[0]) }
        try check("purge queue \(name)")
    }

    func bind(queue: String, exchange: String, routingKey: String) throws {
        let state = try live()
        withBytes(queue, exchange, routingKey) { bytes in
            _ = amqp_queue_bind(state, channel, bytes[0], bytes[1], bytes[2], amqp_empty_table)
        }
        try check("bind \(queue) to \(exchange)/\(routingKey)")
    }

    // MARK: Publishing

    func confirmSelect() throws {
        let state = try live()
        amqp_confirm_select(state, channel)
        try check("confirm.select")
    }

    func publish(_ message: OutgoingMessage) throws {
        let state = try live()
        let status = withProperties(message.properties) { properties in
            message.body.withUnsafeBytes { raw in
                let body = amqp_bytes_t(len: raw.count, bytes: UnsafeMutableRawPointer(mutating: raw.baseAddress))
                return withBytes(message.exchange, message.routingKey) { names in
                    amqp_basic_publish(state, channel, names[0], names[1], message.mandatory ? 1 : 0, 0, properties, body)
                }
            }
        }
        guard status == AMQP_STATUS_OK.rawValue else {
            throw AMQPError(.connection, "publish failed: \(errorText(status))")
        }
    }

    /// What a frame-wait brings to a publisher.
    enum PublisherFrame {
        case ack(UInt64, multiple: Bool)
        case nack(UInt64, multiple: Bool)
        case returned(messageID: String?, reply: String)
        case timeout
    }

    /// Waits up to `timeout` for the next confirm-related frame; heartbeats are handled inside.
    func nextPublisherFrame(timeout: TimeInterval) throws -> PublisherFrame {
        let state = try live()
        var frame = amqp_frame_t()
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - floor(timeout)) * 1_000_000))
        let status = amqp_simple_wait_frame_noblock(state, &frame, &tv)
        if status == AMQP_STATUS_TIMEOUT.rawValue { return .timeout }
        guard status == AMQP_STATUS_OK.rawValue else {
            throw AMQPError(.connection, "waiting for confirms: \(errorText(status))")
        }
        guard frame.frame_type == UInt8(AMQP_FRAME_METHOD) else { return .timeout }
        let method = frame.payload.method
        switch method.id {
        case HOTLINE_BASIC_ACK:
            let ack = method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            return .ack(ack.delivery_tag, multiple: ack.multiple != 0)
        case HOTLINE_BASIC_NACK:
            let nack = method.decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            return .nack(nack.delivery_tag, multiple: nack.multiple != 0)
        case HOTLINE_BASIC_RETURN:
            let returned = method.decoded.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
            let reply = string(returned.reply_text)
            var message = amqp_message_t()
            let read = amqp_read_message(state, frame.channel, &message, 0)
            defer { amqp_destroy_message(&message) }
            guard read.reply_type == AMQP_RESPONSE_NORMAL else {
                throw AMQPError(.connection, "reading a returned message failed")
            }
            return .returned(messageID: Self.properties(of: message.properties).messageID, reply: reply)
        default:
            throw Self.closeError(method)
        }
    }

    // MARK: Consuming

    func qos(prefetch: Int) throws {
        let state = try live()
        amqp_basic_qos(state, channel, 0, UInt16(clamping: prefetch), 0)
        try check("basic.qos")
    }

    func consume(queue: String) throws {
        let state = try live()
        withBytes(queue) { _ = amqp_basic_consume(state, channel, $0[0], amqp_empty_bytes, 0, 0, 0, amqp_empty_table) }
        try check("consume \(queue)")
    }

    /// Whether frames or bytes the library has read are waiting to be handled (then the socket may
    /// be quiet although there is something to read).
    var hasBufferedData: Bool {
        guard let state else { return false }
        return amqp_frames_enqueued(state) != 0 || amqp_data_in_buffer(state) != 0
    }

    /// Sleeps until the socket is readable or `wake` is signalled, at most `timeout` seconds.
    func waitReadable(orWake wake: WakePipe, timeout: TimeInterval) {
        guard let state else { return }
        var descriptors = [
            pollfd(fd: amqp_get_sockfd(state), events: Int16(POLLIN), revents: 0),
            pollfd(fd: wake.readDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        _ = poll(&descriptors, 2, Int32(timeout * 1000))
    }

    /// Waits up to `timeout` for the next delivery; nil on timeout.
    func nextDelivery(timeout: TimeInterval, generation: Int) throws -> Delivery? {
        let state = try live()
        amqp_maybe_release_buffers(state)
        var envelope = amqp_envelope_t()
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - floor(timeout)) * 1_000_000))
        let reply = amqp_consume_message(state, &envelope, &tv, 0)
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            defer { amqp_destroy_envelope(&envelope) }
            let body: [UInt8] = envelope.message.body.len == 0
                ? []
                : Array(UnsafeRawBufferPointer(start: envelope.message.body.bytes, count: envelope.message.body.len))
            return Delivery(
                exchange: string(envelope.exchange), routingKey: string(envelope.routing_key),
                properties: Self.properties(of: envelope.message.properties), body: body,
                redelivered: envelope.redelivered != 0,
                deliveryCount: AMQPHeaders.deliveryCount(envelope.message.properties),
                deliveryTag: envelope.delivery_tag, generation: generation)
        case AMQP_RESPONSE_LIBRARY_EXCEPTION where reply.library_error == AMQP_STATUS_TIMEOUT.rawValue:
            return nil
        case AMQP_RESPONSE_LIBRARY_EXCEPTION where reply.library_error == AMQP_STATUS_UNEXPECTED_STATE.rawValue:
            var frame = amqp_frame_t()
            let status = amqp_simple_wait_frame(state, &frame)
            guard status == AMQP_STATUS_OK.rawValue else {
                throw AMQPError(.connection, "reading a frame: \(errorText(status))")
            }
            if frame.frame_type == UInt8(AMQP_FRAME_METHOD) {
                switch frame.payload.method.id {
                case HOTLINE_BASIC_ACK, HOTLINE_BASIC_NACK: return nil
                case HOTLINE_BASIC_CANCEL: throw AMQPError(.connection, "the broker cancelled the consumer")
                default: throw Self.closeError(frame.payload.method)
                }
            }
            return nil
        default:
            throw Self.error(from: reply, doing: "consume") ?? AMQPError(.connection, "consume failed")
        }
    }

    func ack(_ deliveryTag: UInt64, multiple: Bool) throws {
        let status = amqp_basic_ack(try live(), channel, deliveryTag, multiple ? 1 : 0)
        guard status == AMQP_STATUS_OK.rawValue else { throw AMQPError(.connection, "ack: \(errorText(status))") }
    }

    func reject(_ deliveryTag: UInt64, requeue: Bool) throws {
        let status = amqp_basic_nack(try live(), channel, deliveryTag, 0, requeue ? 1 : 0)
        guard status == AMQP_STATUS_OK.rawValue else { throw AMQPError(.connection, "nack: \(errorText(status))") }
    }

    // MARK: Helpers

    private static func closeError(_ method: amqp_method_t) -> AMQPError {
        switch method.id {
        case HOTLINE_CHANNEL_CLOSE:
            let close = method.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            return AMQPError(.server, "channel closed by the broker: \(close.reply_code) \(string(close.reply_text))")
        case HOTLINE_CONNECTION_CLOSE:
            let close = method.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            return AMQPError(.connection, "connection closed by the broker: \(close.reply_code) \(string(close.reply_text))")
        default:
            return AMQPError(.connection, "unexpected method 0x\(String(method.id, radix: 16))")
        }
    }

    static func error(from reply: amqp_rpc_reply_t, doing: String) -> AMQPError? {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return nil
        case AMQP_RESPONSE_NONE:
            return AMQPError(.connection, "\(doing): missing RPC reply")
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            return AMQPError(.connection, "\(doing): \(errorText(reply.library_error))")
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            let inner = closeError(reply.reply)
            return AMQPError(inner.kind == .connection ? .connection : .server, "\(doing): \(inner.message)")
        default:
            return AMQPError(.connection, "\(doing): unknown reply")
        }
    }

    static func properties(of raw: amqp_basic_properties_t) -> AMQPProperties {
        let flags = raw._flags
        func text(_ flag: amqp_flags_t, _ bytes: amqp_bytes_t) -> String? {
            flags & flag != 0 ? string(bytes) : nil
        }
        return AMQPProperties(
            messageID: text(HOTLINE_FLAG_MESSAGE_ID, raw.message_id),
            type: text(HOTLINE_FLAG_TYPE, raw.type),
            correlationID: text(HOTLINE_FLAG_CORRELATION_ID, raw.correlation_id),
            replyTo: text(HOTLINE_FLAG_REPLY_TO, raw.reply_to),
            userID: text(HOTLINE_FLAG_USER_ID, raw.user_id),
            appID: text(HOTLINE_FLAG_APP_ID, raw.app_id),
            contentType: text(HOTLINE_FLAG_CONTENT_TYPE, raw.content_type),
            timestamp: flags & HOTLINE_FLAG_TIMESTAMP != 0 ? Date(timeIntervalSince1970: TimeInterval(raw.timestamp)) : nil,
            persistent: flags & HOTLINE_FLAG_DELIVERY_MODE != 0 && raw.delivery_mode == 2)
    }
}

/// A queue argument value (`x-queue-type`, `x-delivery-limit`, …).
public enum QueueArgument: Sendable, Equatable {
    case string(String)
    case int(Int)
}

private func withProperties<R>(_ properties: AMQPProperties, _ body: (UnsafePointer<amqp_basic_properties_t>) -> R) -> R {
    var raw = amqp_basic_properties_t()
    var copies: [UnsafeMutablePointer<CChar>] = []
    defer { copies.forEach { free($0) } }
    func bytes(_ text: String) -> amqp_bytes_t {
        let copy = strdup(text)!
        copies.append(copy)
        return amqp_cstring_bytes(copy)
    }
    var flags: amqp_flags_t = HOTLINE_FLAG_DELIVERY_MODE
    raw.delivery_mode = properties.persistent ? 2 : 1
    if let value = properties.contentType { raw.content_type = bytes(value); flags |= HOTLINE_FLAG_CONTENT_TYPE }
    if let value = properties.messageID { raw.message_id = bytes(value); flags |= HOTLINE_FLAG_MESSAGE_ID }
    if let value = properties.type { raw.type = bytes(value); flags |= HOTLINE_FLAG_TYPE }
    if let value = properties.correlationID { raw.correlation_id = bytes(value); flags |= HOTLINE_FLAG_CORRELATION_ID }
    if let value = properties.replyTo { raw.reply_to = bytes(value); flags |= HOTLINE_FLAG_REPLY_TO }
    if let value = properties.userID { raw.user_id = bytes(value); flags |= HOTLINE_FLAG_USER_ID }
    if let value = properties.appID { raw.app_id = bytes(value); flags |= HOTLINE_FLAG_APP_ID }
    if let value = properties.timestamp {
        raw.timestamp = UInt64(max(0, value.timeIntervalSince1970))
        flags |= HOTLINE_FLAG_TIMESTAMP
    }
    raw._flags = flags
    return withUnsafePointer(to: &raw) { body($0) }
}

/// Calls `body` with `amqp_bytes_t` views of the strings that stay valid for the whole call.
private func withBytes<R>(_ strings: String..., body: ([amqp_bytes_t]) -> R) -> R {
    let copies = strings.map { strdup($0)! }
    defer { copies.forEach { free($0) } }
    return body(copies.map { amqp_cstring_bytes($0) })
}

private func withTable<R>(_ arguments: [String: QueueArgument], _ body: (amqp_table_t) -> R) -> R {
    var copies: [UnsafeMutablePointer<CChar>] = []
    defer { copies.forEach { free($0) } }
    func bytes(_ text: String) -> amqp_bytes_t {
        let copy = strdup(text)!
        copies.append(copy)
        return amqp_cstring_bytes(copy)
    }
    var entries: [amqp_table_entry_t] = arguments.sorted { $0.key < $1.key }.map { key, value in
        var entry = amqp_table_entry_t()
        entry.key = bytes(key)
        switch value {
        case .string(let text):
            entry.value.kind = UInt8(AMQP_FIELD_KIND_UTF8.rawValue)
            entry.value.value.bytes = bytes(text)
        case .int(let number):
            entry.value.kind = UInt8(AMQP_FIELD_KIND_I64.rawValue)
            entry.value.value.i64 = Int64(number)
        }
        return entry
    }
    return entries.withUnsafeMutableBufferPointer { buffer in
        body(amqp_table_t(num_entries: Int32(buffer.count), entries: buffer.baseAddress))
    }
}

func string(_ bytes: amqp_bytes_t) -> String {
    guard bytes.len > 0, let pointer = bytes.bytes else { return "" }
    return String(decoding: UnsafeRawBufferPointer(start: pointer, count: bytes.len), as: UTF8.self)
}

func errorText(_ status: Int32) -> String {
    String(cString: amqp_error_string2(status))
}
