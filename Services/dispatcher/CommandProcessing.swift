import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

/// What a command did: its outcome event and the messages it caused besides (unit messages,
/// `ticket.dispatched` of a re-dispatch, …).
struct CommandEffect {
    var outcome: EncodedEvent
    var messages: [OutboxMessage] = []
}

/// Consumes `hotline.dispatcher.commands`: every command the dispatcher owns gets exactly one
/// outcome — its event, or `command.rejected` — on `hotline.events` and on `reply_to`, both with
/// `correlation_id` = the command's `message_id`.
///
/// Answered through `ServiceRuntime.answer(command:)` (one transaction, the outcome kept in
/// `command_outcomes`, a repeated command answered again with it; a refused command's writes rolled
/// back).
struct CommandProcessing: Sendable {
    static let consumer = "dispatcher.commands"
    let runtime: ServiceRuntime
    let reference: ReferenceDataCache

    func handle(_ delivery: Delivery) async -> Disposition {
        let type = delivery.commandType
        let routing = DispatcherCommandRouting(type: type)
        if case .otherService = routing {
            // Another service answers it; remember that it was seen, for operators and tests.
            return await runtime.apply(delivery, consumer: "dispatcher.foreign-commands") { _, _ in [] }
        }
        guard let reference = await runtime.current(self.reference) else { return .retry }
        let commandID = delivery.messageKey
        let logger = runtime.logger
        return await runtime.answer(command: delivery, consumer: Self.consumer) { connection, now in
            let context = CommandContext(
                connection: connection, now: now, reference: reference, commandID: commandID,
                commandType: type, delivery: delivery, logger: logger)
            do {
                let effect = try context.run(routing)
                return CommandAnswer(outcome: effect.outcome.message(correlationID: commandID), messages: effect.messages)
            } catch let refusal as CommandRefusal {
                throw try Self.refused(refusal, body: delivery.body, on: connection)
            } catch let invalid as InvalidCommandBody {
                var refused = try Self.refused(invalid.refusal, body: delivery.body, on: connection)
                refused.unreadable = true
                throw refused
            }
        }
    }
}

extension CommandProcessing {
    /// A refusal naming the assignment the body names, and its ticket.
    static func refused(_ refusal: CommandRefusal, body: [UInt8], on connection: PostgresConnection) throws -> CommandRefused {
        let assignmentID = (try? JSONValue.parse(Data(body)))?["assignment_id"]?.stringValue
        let ticketNo = try assignmentID.flatMap { try AssignmentRecord.ticketNo(of: $0, on: connection) }
        return CommandRefused(refusal, ticketNo: ticketNo, assignmentID: assignmentID)
    }
}
