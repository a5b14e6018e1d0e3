import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage
import Synchronization

/// `unit.request-extension` and `center.decide-extension` (docs/rules.md "SLA timer", PS §14, PL §13, DY (9)).
///
/// A request is checked against the profile and refused with the reason (`command.rejected`), or kept
/// pending and answered with `assignment.extension-requested` (`request_id`, `working_days`). The
/// center's approval moves `resolve_by` (`assignment.extended`), sends the unit `assignment.updated`
/// with the new deadlines and tells the citizen the reason and the new deadline on
/// `hotline.notifications`; a denial gives `assignment.extension-denied`. Every command gets exactly
/// one outcome, also to `reply_to`; the same command again gets the same outcome again.
struct ExtensionCommands: Sendable {
    static let consumer = "sla-timer.commands"

    let runtime: ServiceRuntime
    let reference: ReferenceDataCache
    let poller: TimerPoller

    func handle(_ delivery: Delivery) async -> Disposition {
        guard let reference = await runtime.current(self.reference) else { return .retry }
        let commandID = delivery.messageKey
        let logger = runtime.logger
        let disposition = await runtime.answer(command: delivery, consumer: Self.consumer) { connection, now in
            var decision = ExtensionDecider(
                reference: reference, connection: connection, now: now, commandID: commandID, logger: logger)
            let outcome = try decision.decide(try ReceivedCommand(delivery, answeredOn: "the sla-timer's queue"))
            return CommandAnswer(outcome: outcome, messages: decision.sideMessages)
        }
        poller.nudge()
        return disposition
    }
}
