import Foundation
import HotlineDomain
import HotlineRuntime

@main
enum IntakeMain {
    static func main() async throws {
        try await ServiceRuntime.run(service: "intake", defaultHTTPPort: 8081) { runtime in
            let block = Int(ProcessInfo.processInfo.environment["HOTLINE_TICKET_NUMBER_BLOCK"] ?? "") ?? 20
            let keys = try CitizenKeys.load(configuration: runtime.configuration, logger: runtime.logger)
            let intake = SubmissionIntake(
                runtime: runtime, reference: runtime.reference,
                numbers: TicketNumbers(databaseURL: runtime.configuration.databaseURL, blockSize: block),
                citizenKeys: keys)
            let conclusions = MatterConclusions(runtime: runtime, reference: runtime.reference)
            let verifications = VerificationReports(intake: intake)
            return [
                CitizenRekeying(runtime: runtime, keys: keys),
                VerificationLapses(intake: intake),
                runtime.consumer(queue: HotlineTopology.submissionsQueue, topology: HotlineTopology.submissions) { delivery in
                    await intake.handle(delivery)
                },
                runtime.consumer(of: .intakeCommands) { delivery in
                    switch CommandType(rawValue: delivery.commandType) {
                    case .unitReportVerification: await verifications.handle(delivery)
                    default: await conclusions.handle(delivery)
                    }
                },
            ]
        }
    }
}
