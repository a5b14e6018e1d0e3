import Foundation

/// An event on `hotline.events`. JSON: `event_id`, `type` (written on encode, checked on decode),
/// `occurred_at`, `ticket_no` where there is a ticket, the type's own fields, and never citizen
/// contact data.
public protocol HotlineEvent: Codable, Sendable {
    /// The event's type: its `type` field and routing key.
    static var eventType: EventType { get }
    /// Unique id of the event (also its AMQP `message_id`).
    var eventID: String { get }
    /// When it happened, by the emitting service's clock.
    var occurredAt: Date { get }
    /// The ticket, where there is one.
    var ticketNo: String? { get }
    /// The command this event answers, when it answers one (docs/contract.md "Outcomes and error codes").
    var commandID: String? { get }
}

extension HotlineEvent {
    /// Events that never answer a command have no `command_id`.
    public var commandID: String? { nil }
    /// The event's type (the static `eventType`).
    public var eventType: EventType { Self.eventType }
    /// The body, as JSON with the contract's conventions.
    public func encodedBody() throws -> Data { try HotlineJSON.encode(self) }
}

/// The `type` field of an event: encodes as `Event.eventType`'s raw value and refuses any other value on
/// decode, so that a body can never be read as the wrong event.
struct EventTypeTag<Event: HotlineEvent>: Codable, Sendable, Hashable {
    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard text == Event.eventType.rawValue else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "type is \(text), expected \(Event.eventType.rawValue)")
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Event.eventType.rawValue)
    }
}

/// Reading events whose type is known only at run time.
public enum HotlineEvents {
    /// Why an event body could not be read.
    public struct DecodingFailure: Error, Sendable, Equatable, CustomStringConvertible {
        /// A short English explanation.
        public var message: String
        public var description: String { message }
    }

    /// Decodes an event body by its `type` field.
    public static func decode(_ body: Data) throws(DecodingFailure) -> any HotlineEvent {
        guard let tree = try? JSONValue.parse(body), case .string(let type)? = tree["type"] else {
            throw DecodingFailure(message: "not a JSON object with a string `type`")
        }
        return try decode(type: type, body: body)
    }

    /// Decodes an event body as the given type (e.g. the AMQP `type` property); the body's `type` must agree.
    public static func decode(type: String, body: Data) throws(DecodingFailure) -> any HotlineEvent {
        guard let eventType = EventType(rawValue: type) else {
            throw DecodingFailure(message: "unknown event type \(type)")
        }
        do {
            return try open(eventType.eventStruct, body)
        } catch {
            throw DecodingFailure(message: "malformed \(type): \(DecodingProblem.describe(error))")
        }
    }

    private static func open<E: HotlineEvent>(_ type: E.Type, _ body: Data) throws -> any HotlineEvent {
        try HotlineJSON.decode(type, from: body)
    }
}
