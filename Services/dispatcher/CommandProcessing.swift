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
/// `command_outcomes`, a repeated command answered again with it); a refused command's partial
/// writes are rolled back to a savepoint first.
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
            // A refused command's partial writes are rolled back to this savepoint; its refusal is kept.
            connection.write("SAVEPOINT command")
            var effect: CommandEffect
            let context = CommandContext(
                connection: connection, now: now, reference: reference, commandID: commandID,
                commandType: type, delivery: delivery, logger: logger)
            do {
                effect = try context.run(routing)
            } catch let error as CommandRefusal {
                connection.write("ROLLBACK TO SAVEPOINT command")
                effect = try rejected(error, type: type, commandID: commandID, delivery: delivery, on: connection, now: now)
            } catch let error as InvalidCommandBody {
                connection.write("ROLLBACK TO SAVEPOINT command")
                try context.keepInvalid(error.refusal)
                effect = try rejected(error.refusal, type: type, commandID: commandID, delivery: delivery, on: connection, now: now)
            }
            connection.write("RELEASE SAVEPOINT command")
            return CommandAnswer(outcome: effect.outcome.message(correlationID: commandID), messages: effect.messages)
        }
    }
}

extension CommandProcessing {
    /// The `command.rejected` outcome of a refused command.
    func rejected(
        _ refusal: CommandRefusal, type: String, commandID: String, delivery: Delivery, on connection: PostgresConnection,
        now: Date
    ) throws -> CommandEffect {
        let assignmentID = (try? JSONValue.parse(Data(delivery.body)))?["assignment_id"]?.stringValue
        let ticketNo = try assignmentID.flatMap { try AssignmentRecord.ticketNo(of: $0, on: connection) }
        runtime.logger.info("command rejected", metadata: [
            "command_id": "\(commandID)", "type": "\(type.prefix(100))", "reason": "\(refusal.reason.rawValue)",
            "message": "\(refusal.message)",
        ])
        return CommandEffect(outcome: try CommandContext.rejection(
            refusal, commandID: commandID, commandType: type, body: delivery.body, now: now, ticketNo: ticketNo))
    }
}
