import Foundation

/// The AMQP basic properties the platform uses.
public struct AMQPProperties: Sendable, Equatable {
    public var messageID: String?
    public var type: String?
    public var correlationID: String?
    public var replyTo: String?
    public var userID: String?
    public var appID: String?
    public var contentType: String?
    /// Seconds since 1970 (AMQP timestamps have second resolution).
    public var timestamp: Date?
    public var persistent: Bool

    public init(
        messageID: String? = nil, type: String? = nil, correlationID: String? = nil, replyTo: String? = nil,
        userID: String? = nil, appID: String? = nil, contentType: String? = "application/json",
        timestamp: Date? = nil, persistent: Bool = true
    ) {
        self.messageID = messageID
        self.type = type
        self.correlationID = correlationID
        self.replyTo = replyTo
        self.userID = userID
        self.appID = appID
        self.contentType = contentType
        self.timestamp = timestamp
        self.persistent = persistent
    }
}

/// A message to publish.
public struct OutgoingMessage: Sendable, Equatable {
    public var exchange: String
    public var routingKey: String
    public var properties: AMQPProperties
    public var body: [UInt8]
    /// Ask the broker to return the message when no queue takes it.
    public var mandatory: Bool

    public init(exchange: String, routingKey: String, properties: AMQPProperties, body: [UInt8], mandatory: Bool) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.properties = properties
        self.body = body
        self.mandatory = mandatory
    }
}

/// The broker's answer to one published message.
public enum PublishOutcome: Sendable, Equatable {
    /// Stored by the broker (and routed to at least one queue when mandatory).
    case confirmed
    /// Mandatory and unroutable: returned by the broker with its reply text.
    case returned(String)
    /// Refused by the broker (nack).
    case nacked
}

/// A message received from a queue. Settle it with its consumer's `ack` or `reject`.
public struct Delivery: Sendable {
    public let exchange: String
    public let routingKey: String
    public let properties: AMQPProperties
    public let body: [UInt8]
    public let redelivered: Bool
    /// Earlier deliveries of this message (the quorum queue's `x-delivery-count`), when known.
    public internal(set) var deliveryCount: Int? = nil
    let deliveryTag: UInt64
    /// The connection the delivery came on; a delivery from an earlier connection cannot be acked.
    let generation: Int
}
