import HotlineRuntime

/// The survey service: callbacks after resolution. This release connects, declares its queue and
/// records the events it will act on; the survey rules come with its own issue.
@main
enum SurveyMain {
    static func main() async throws {
        try await ServiceRuntime.run(service: "survey", defaultHTTPPort: 8085) { runtime in
            [runtime.recordingConsumer(of: .surveyEvents)]
        }
    }
}
