import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage
import Metrics
import ServiceLifecycle

/// Decides the held submissions whose on-site verification was not reported within the limit
/// (PS §8(一)3; docs/rules.md "Intake"), as if verified, and publishes `submission.verification-lapsed`.
/// Every copy of intake runs one; they share the table through `FOR UPDATE SKIP LOCKED`, on the
/// service clock. It sleeps until the earliest due time or `HOTLINE_INTAKE_POLL_SECONDS` (default 5).
final class VerificationLapses: Service, Sendable {
    private let intake: SubmissionIntake
    private let loop: PollingLoop
    private let pollInterval: Double
    private let batchSize = 50

    init(intake: SubmissionIntake, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.intake = intake
        loop = PollingLoop("verification lapses", logger: intake.runtime.logger)
        pollInterval = max(0.05, environment["HOTLINE_INTAKE_POLL_SECONDS"].flatMap(Double.init) ?? 5)
    }

    func run() async throws {
        let runtime = intake.runtime
        await loop.run {
            let decided = try await lapseOnce()
            if decided >= batchSize { return .now }
            let next = try await runtime.database.withConnection { try GridVerificationStore.nextDue(on: $0) }
            return .until(next, now: runtime.clock.now(), atMost: pollInterval)
        }
    }

    /// One transaction: the due verifications, each decided with its outcome in the outbox.
    func lapseOnce() async throws -> Int {
        let runtime = intake.runtime
        guard let reference = try? await intake.reference.current() else { return 0 }
        let clock = runtime.clock
        let limit = batchSize
        let intake = self.intake
        let publisher = runtime.relay.service
        let count = try await runtime.database.transaction { connection -> Int in
            let now = clock.now()
            let lapsed = try GridVerificationStore.lapsed(limit: limit, now: now, on: connection)
            for held in lapsed {
                let ending = GridVerificationStore.Ending(
                    verificationID: held.verificationID, office: held.office, result: .lapsed)
                let decided = try intake.decide(held, ending: ending, reference: reference, on: connection, now: now)
                let event = SubmissionVerificationLapsed(
                    eventID: UUID().uuidString, occurredAt: now, ticketNo: decided.ticketNo, submissionID: held.submissionID,
                    verificationID: held.verificationID, unit: held.office, dueBy: held.dueBy)
                try Outbox.enqueue(decided.messages + [try .event(event)], by: publisher, on: connection, now: now)
            }
            return lapsed.count
        }
        if count > 0 {
            runtime.relay.nudge()
            Counter(label: "hotline_grid_verifications_lapsed_total").increment(by: count)
            runtime.logger.info("on-site verifications lapsed; the submissions were decided", metadata: ["count": "\(count)"])
        }
        return count
    }
}
