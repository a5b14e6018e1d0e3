import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

/// `unit.report-verification` on `hotline.intake.commands`: a street office reports its grid worker's
/// on-site verification of a held submission (PS §8(一)3; docs/rules.md "Intake"). Answered with
/// `submission.verification-reported`; the submission's own outcome is decided in the same transaction.
struct VerificationReports: Sendable {
    let intake: SubmissionIntake

    func handle(_ delivery: Delivery) async -> Disposition {
        let runtime = intake.runtime
        guard let reference = await runtime.current(intake.reference) else { return .retry }
        let commandID = delivery.messageKey
        let skew = reference.profile.intake.submissionLimits.futureSkew
        return await runtime.answer(command: delivery, consumer: MatterConclusions.consumer) { connection, now in
            let received = try ReceivedCommand(delivery, answeredOn: "intake's queue")
            guard case .unitReportVerification(let command) = received.command, let unit = received.issuer.unitCode else {
                throw received.notAnsweredHere
            }
            let held = try GridVerificationStore.held(command.verificationID, on: connection)
            if let refusal = GridVerification.refusal(command, by: unit, pending: held?.pending, now: now, skew: skew) {
                throw CommandRefused(refusal)
            }
            guard let held else { throw CommandRefused(.notFound, "no verification \(command.verificationID)") }
            let ending = GridVerificationStore.Ending(
                verificationID: held.verificationID, office: unit, result: command.verified ? .verified : .notVerified,
                verifiedAt: command.verifiedAt, verifier: command.verifier, note: command.note, commandID: commandID)
            let decided = try intake.decide(held, ending: ending, reference: reference, on: connection, now: now)
            let event = SubmissionVerificationReported(
                eventID: UUID().uuidString, occurredAt: now, ticketNo: decided.ticketNo,
                submissionID: held.submissionID, verificationID: held.verificationID, unit: unit,
                verified: command.verified, verifiedAt: command.verifiedAt, onTime: command.verifiedAt <= held.dueBy,
                commandID: commandID)
            return CommandAnswer(outcome: try .event(event, correlationID: commandID), messages: decided.messages)
        }
    }
}
