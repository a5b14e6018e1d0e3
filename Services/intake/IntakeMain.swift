import HotlineRuntime

@main
enum IntakeMain {
    static func main() async throws {
        try await ServiceRuntime.run(service: "intake", defaultHTTPPort: 8081) { runtime in
            let intake = SubmissionIntake(runtime: runtime, reference: runtime.referenceData())
            return [
                runtime.consumer(queue: HotlineTopology.submissionsQueue, topology: HotlineTopology.core) { delivery in
                    await intake.handle(delivery)
                },
            ]
        }
    }
}
