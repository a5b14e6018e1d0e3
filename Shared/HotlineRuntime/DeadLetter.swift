import Foundation
import HotlineDomain
import HotlineMessaging

/// A dead letter as taken from `hotline.dead`, with what its `x-death` header says.
public struct DeadLetter: Sendable {
    /// Its place in the queue, from 1.
    public let index: Int
    public let message: BrowsedMessage

    /// The latest death (x-death lists the most recent first).
    public var death: AMQPHeaderValue? {
        if case .array(let deaths)? = message.header("x-death") { return deaths.first }
        return nil
    }

    public var queue: String {
        death?["queue"]?.stringValue ?? message.header("x-first-death-queue")?.stringValue ?? ""
    }
    public var reason: String {
        death?["reason"]?.stringValue ?? message.header("x-first-death-reason")?.stringValue ?? ""
    }
    public var count: Int64 { death?["count"]?.intValue ?? 1 }
    public var time: Date? {
        if case .timestamp(let date)? = death?["time"] { return date }
        return nil
    }
    /// Where it was first published: the exchange and routing key of its latest death.
    public var originalExchange: String {
        death?["exchange"]?.stringValue ?? message.header("x-first-death-exchange")?.stringValue ?? message.exchange
    }
    public var originalRoutingKey: String {
        if case .array(let keys)? = death?["routing-keys"], let first = keys.first?.stringValue { return first }
        return message.routingKey
    }

    public var summary: [String: JSONValue] {
        [
            "index": .integer(index), "message_id": .optional(message.properties.messageID),
            "type": .optional(message.properties.type), "queue": .string(queue), "reason": .string(reason),
            "count": .integer(count), "time": .optional(time.map { RFC3339.string(from: $0) }),
            "exchange": .string(originalExchange), "routing_key": .string(originalRoutingKey),
            "size": .integer(message.body.count),
        ]
    }

    public func bodyText(maxBody: Int) -> (text: String, truncated: Bool) {
        let bytes = maxBody > 0 && message.body.count > maxBody ? Array(message.body.prefix(maxBody)) : message.body
        return (String(decoding: bytes, as: UTF8.self), bytes.count < message.body.count)
    }

    public func detail(maxBody: Int) -> [String: JSONValue] {
        let properties = message.properties
        var object = summary
        object["properties"] = [
            "message_id": .optional(properties.messageID), "type": .optional(properties.type),
            "correlation_id": .optional(properties.correlationID), "reply_to": .optional(properties.replyTo),
            "user_id": .optional(properties.userID), "app_id": .optional(properties.appID),
            "content_type": .optional(properties.contentType),
            "timestamp": .optional(properties.timestamp.map { RFC3339.string(from: $0) }),
        ]
        object["headers"] = .object(Dictionary(message.headers.map { ($0.key, $0.value.jsonValue) }, uniquingKeysWith: { $1 }))
        let body = bodyText(maxBody: maxBody)
        object["body"] = .string(body.text)
        object["body_truncated"] = .bool(body.truncated)
        return object
    }
}
