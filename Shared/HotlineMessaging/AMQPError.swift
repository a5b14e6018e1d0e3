/// A failure of the broker connection or of an AMQP operation.
public struct AMQPError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// The connection or channel is gone; reconnecting may help.
        case connection
        /// The broker refused an operation (access refused, precondition failed, not found…).
        case server
        /// A publish was not confirmed in time or was nacked.
        case unconfirmed
        /// The URL or an argument is wrong.
        case configuration
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "amqp \(kind): \(message)" }
}
