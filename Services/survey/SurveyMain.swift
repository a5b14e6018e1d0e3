import HotlineRuntime

/// The survey service: callbacks after resolution (回访, docs/rules.md "Survey"; PS §20(一), PL §17-20,
/// DY (10)-(11)). It surveys every citizen of a resolved ticket (`SurveyInvitations`), answers
/// `survey.response` and `center.exclude-dissatisfaction` (`SurveyCommands`), and expires unanswered
/// surveys (`SurveyExpiry`). The profile (`HOTLINE_PROFILE`) decides the form and the outcomes.
@main
enum SurveyMain {
    static func main() async throws {
        try await ServiceRuntime.run(service: "survey", defaultHTTPPort: 8085) { runtime in
            let reference = runtime.reference
            let expiry = SurveyExpiry(runtime: runtime)
            let invitations = SurveyInvitations(runtime: runtime, reference: reference, expiry: expiry)
            let commands = SurveyCommands(runtime: runtime, reference: reference)
            return [
                expiry,
                runtime.consumer(of: .surveyEvents) { delivery in await invitations.handle(delivery) },
                runtime.consumer(of: .surveyCommands) { delivery in await commands.handle(delivery) },
            ]
        }
    }
}
