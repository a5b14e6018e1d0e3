import Foundation
import HotlineDomain

/// A command a service refuses: `ServiceRuntime.answer` rolls back what the command wrote and answers
/// `command.rejected` with the refusal's reason and message.
public struct CommandRefused: Error, Sendable {
    public var refusal: CommandRefusal
    /// The ticket and assignment the rejection names; by default those the command's body names.
    public var ticketNo: String?
    public var assignmentID: String?
    /// Every problem found in the body, when there are several.
    public var errors: [FieldProblem]?
    /// The body could not be read: it is kept in `invalid_messages`.
    public var unreadable: Bool

    public init(
        _ refusal: CommandRefusal, ticketNo: String? = nil, assignmentID: String? = nil, errors: [FieldProblem]? = nil,
        unreadable: Bool = false
    ) {
        self.refusal = refusal
        self.ticketNo = ticketNo
        self.assignmentID = assignmentID
        self.errors = errors
        self.unreadable = unreadable
    }

    public init(
        _ reason: CommandRejection, _ message: String, ticketNo: String? = nil, assignmentID: String? = nil,
        errors: [FieldProblem]? = nil, unreadable: Bool = false
    ) {
        self.init(
            CommandRefusal(reason, message), ticketNo: ticketNo, assignmentID: assignmentID, errors: errors,
            unreadable: unreadable)
    }

    /// What `invalid_messages` keeps for an unreadable command: every problem found, or the refusal's message.
    public var problems: [FieldProblem] { errors ?? [FieldProblem(field: "(body)", problem: refusal.message)] }

    /// The `command.rejected` event answering the command. `ServiceRuntime.answer` makes it for a
    /// thrown refusal; a decider returns it itself for a rejection whose writes stay (a lapsed
    /// extension request marked void).
    public func outcome(commandID: String, commandType: String, body: [UInt8], now: Date) throws -> OutboxMessage {
        let tree = (ticketNo == nil || assignmentID == nil) ? try? JSONValue.parse(Data(body)) : nil
        // Ids the body names are repeated only when they can be stored (no NUL).
        let assignment = assignmentID ?? tree?["assignment_id"]?.stringValue.flatMap { $0.containsNUL ? nil : $0 }
        let ticket = ticketNo ?? tree?["ticket_no"]?.stringValue.flatMap { $0.containsNUL ? nil : $0 }
        let event = CommandRejected(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: ticket.map { String($0.prefix(64)) },
            commandID: commandID, commandType: String(commandType.prefix(200)), reason: refusal.reason,
            message: refusal.message, assignmentID: assignment.map { String($0.prefix(200)) }, errors: errors)
        return try OutboxMessage.event(event, correlationID: commandID)
    }
}
