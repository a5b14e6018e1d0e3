import Foundation
import HotlineDomain

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

    /// A message to a unit's queue (`hotline.assignments`, routing key = the unit's code), mandatory:
    /// a unit without a queue is an error the relay reports, never a silent loss.
    public static func toUnit(_ message: AssignmentMessage, unit: String) throws -> OutboxMessage {
        OutboxMessage(
            exchange: Exchange.assignments, routingKey: unit, messageID: UUID().uuidString, type: message.type.rawValue,
            mandatory: true, body: try message.encodedBody())
    }

    /// An event a unit is also told on its own queue (`assessment.appeal-decided`, …), under a message
    /// id of its own, mandatory like every unit message.
    public static func toUnit<E: HotlineEvent>(event: E, unit: String) throws -> OutboxMessage {
        OutboxMessage(
            exchange: Exchange.assignments, routingKey: unit, messageID: UUID().uuidString, type: E.eventType.rawValue,
            mandatory: true, body: try HotlineJSON.encode(event))
    }

    /// A knowledge-base message to a unit's queue, mandatory like every unit message.
    public static func toUnit(
        _ message: KnowledgeCorrectionMessage, type: KnowledgeMessageType, unit: String
    ) throws -> OutboxMessage {
        OutboxMessage(
            exchange: Exchange.assignments, routingKey: unit, messageID: UUID().uuidString, type: type.rawValue,
            mandatory: true, body: try HotlineJSON.encode(message))
    }

    /// A verification request to the street office's queue, mandatory like every unit message.
    public static func toUnit(_ request: VerificationRequest, unit: String) throws -> OutboxMessage {
        OutboxMessage(
            exchange: Exchange.assignments, routingKey: unit, messageID: UUID().uuidString, type: VerificationRequest.messageType,
            mandatory: true, body: try HotlineJSON.encode(request))
    }

    /// A notification for `hotline.notifications`, routed by channel and audience (`sms.citizen`, …).
    public static func notification(_ notice: HotlineNotification) throws -> OutboxMessage {
        notification(id: notice.notificationID, routingKey: notice.routingKey, body: try HotlineJSON.encode(notice))
    }

    /// A notification whose body is already encoded (one held back and released later).
    public static func notification(id: String, routingKey: String, body: Data) -> OutboxMessage {
        OutboxMessage(
            exchange: Exchange.notifications, routingKey: routingKey, messageID: id, type: "notification", mandatory: false,
            body: body)
    }

    /// The same message addressed to a client's `reply_to` queue (`hotline.direct`, not mandatory:
    /// a client that is gone does not block the relay).
    public func reply(to queue: String) -> OutboxMessage {
        var copy = addressed(to: queue)
        copy.mandatory = false
        return copy
    }

    /// The same message addressed to one queue by its name (`hotline.direct`), mandatory.
    public func addressed(to queue: String) -> OutboxMessage {
        var copy = self
        copy.exchange = Exchange.direct
        copy.routingKey = queue
        copy.mandatory = true
        return copy
    }
}
