import Foundation
import HotlineRuntime

@main
enum IntakeMain {
    static func main() async throws {
        try await ServiceRuntime.run(service: "intake", defaultHTTPPort: 8081) { runtime in
            let block = Int(ProcessInfo.processInfo.environment["HOTLINE_TICKET_NUMBER_BLOCK"] ?? "") ?? 20
            let intake = SubmissionIntake(
                runtime: runtime, reference: runtime.reference,
                numbers: TicketNumbers(databaseURL: runtime.configuration.databaseURL, blockSize: block))
            return [
                runtime.consumer(queue: HotlineTopology.submissionsQueue, topology: HotlineTopology.submissions) { delivery in
                    await intake.handle(delivery)
                },
            ]
        }
    }
}
