import Foundation

/// The AMQP `type` of a message on `hotline.unit.<code>`.
public enum AssignmentMessageType: String, Codable, Sendable, CaseIterable {
    case created = "assignment.created"
    case updated = "assignment.updated"
    case cancelled = "assignment.cancelled"
    case reopened = "assignment.reopened"
    case reminder = "assignment.reminder"
}

/// A message to a unit's queue, of any type.
public enum AssignmentMessage: Sendable, Hashable {
    case created(AssignmentCreated)
    case updated(AssignmentUpdated)
    case cancelled(AssignmentCancelled)
    case reopened(AssignmentReopened)
    case reminder(AssignmentReminder)

    /// Why an assignment message could not be read.
    public struct DecodingFailure: Error, Sendable, Equatable, CustomStringConvertible {
        /// A short English explanation.
        public var message: String
        public var description: String { message }
    }

    /// The message's AMQP `type`.
    public var type: AssignmentMessageType {
        switch self {
        case .created: return .created
        case .updated: return .updated
        case .cancelled: return .cancelled
        case .reopened: return .reopened
        case .reminder: return .reminder
        }
    }

    /// The assignment concerned.
    public var assignmentID: String {
        switch self {
        case .created(let message): return message.assignmentID
        case .updated(let message): return message.assignmentID
        case .cancelled(let message): return message.assignmentID
        case .reopened(let message): return message.assignmentID
        case .reminder(let message): return message.assignmentID
        }
    }

    /// The ticket concerned.
    public var ticketNo: String {
        switch self {
        case .created(let message): return message.ticketNo
        case .updated(let message): return message.ticketNo
        case .cancelled(let message): return message.ticketNo
        case .reopened(let message): return message.ticketNo
        case .reminder(let message): return message.ticketNo
        }
    }

    /// Decodes a body by its AMQP `type`.
    public static func decode(type: String, body: Data) throws(DecodingFailure) -> AssignmentMessage {
        guard let messageType = AssignmentMessageType(rawValue: type) else {
            throw DecodingFailure(message: "unknown assignment message type \(type)")
        }
        do {
            let decoder = HotlineJSON.decoder()
            switch messageType {
            case .created: return .created(try decoder.decode(AssignmentCreated.self, from: body))
            case .updated: return .updated(try decoder.decode(AssignmentUpdated.self, from: body))
            case .cancelled: return .cancelled(try decoder.decode(AssignmentCancelled.self, from: body))
            case .reopened: return .reopened(try decoder.decode(AssignmentReopened.self, from: body))
            case .reminder: return .reminder(try decoder.decode(AssignmentReminder.self, from: body))
            }
        } catch {
            throw DecodingFailure(message: "malformed \(type): \(DecodingProblem.describe(error))")
        }
    }

    /// The body as JSON with the contract's conventions.
    public func encodedBody() throws -> Data {
        switch self {
        case .created(let message): return try HotlineJSON.encode(message)
        case .updated(let message): return try HotlineJSON.encode(message)
        case .cancelled(let message): return try HotlineJSON.encode(message)
        case .reopened(let message): return try HotlineJSON.encode(message)
        case .reminder(let message): return try HotlineJSON.encode(message)
        }
    }
}
