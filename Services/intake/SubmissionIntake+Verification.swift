import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

extension SubmissionIntake {
    /// Decides a held submission whose verification ended (reported or lapsed) as of now, records the
    /// ending, and returns the ticket made and the messages: the submission's outcome first (to the
    /// gateway's reply queue too), then what it causes.
    func decide(
        _ held: GridVerificationStore.Held, ending: GridVerificationStore.Ending, reference: ReferenceData,
        on connection: PostgresConnection, now: Date
    ) throws -> Decided {
        guard let submission = held.submission else {
            throw HeldSubmissionMissing(verificationID: held.verificationID)
        }
        let decision = IntakeDecision(IntakeContext(
            profile: reference.profile, jurisdiction: reference.jurisdiction, citizenKeys: citizenKeys))
        let screening = decision.screen(submission)
        let reading = try IntakeStore.read(
            submission.submissionID, lookup: decision.lookup(screening), mayBeHeld: false, on: connection)
        let decided = try intake(
            submission, decision: decision, screening: screening, reading: reading, sender: held.sender, ending: ending,
            reference: reference, on: connection, now: now)
        GridVerificationStore.end(ending, ticketNo: decided.ticketNo, on: connection, now: now)
        return decided
    }
}

/// A pending verification without its submission: the row was changed by hand.
struct HeldSubmissionMissing: Error, CustomStringConvertible {
    let verificationID: String
    var description: String { "verification \(verificationID) is pending but its submission is gone" }
}
