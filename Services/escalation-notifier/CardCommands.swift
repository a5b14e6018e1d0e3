import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

/// `center.compute-cards` (PS §20(二)): the center asks for a quarter's cards now. The quarter is
/// computed as at its end (`QuarterCardStore`); the new cards are issued (`card.issued`), and the
/// outcome `cards.computed` lists every unit's counts and every card of the quarter.
struct CardCommands: Sendable {
    static let consumer = "escalation-notifier.commands"

    let runtime: ServiceRuntime
    let reference: ReferenceDataCache

    func handle(_ delivery: Delivery) async -> Disposition {
        guard let reference = await runtime.current(self.reference) else { return .retry }
        let commandID = delivery.messageKey
        let logger = runtime.logger
        return await runtime.answer(command: delivery, consumer: Self.consumer) { connection, now in
            let received = try ReceivedCommand(delivery, answeredOn: "the escalation notifier's queue")
            // The body was validated: its quarter parses.
            guard case .centerComputeCards(let command) = received.command, let quarter = Quarter(command.quarter) else {
                throw received.notAnsweredHere
            }
            let result = try QuarterCardStore.compute(
                quarter, rules: reference.profile.cards, supervision: reference.profile.supervision,
                jurisdiction: reference.jurisdiction, calendar: reference.calendar, now: now, on: connection)
            logger.info("quarter cards computed", metadata: [
                "quarter": "\(quarter)", "new_cards": "\(result.cards.filter(\.new).count)", "command_id": "\(commandID)",
            ])
            let computed = CardsComputed(
                eventID: UUID().uuidString, occurredAt: now, quarter: quarter.description,
                counts: result.counts,
                cards: result.cards, commandID: commandID)
            return CommandAnswer(outcome: try .event(computed, correlationID: commandID), messages: result.messages)
        }
    }
}
