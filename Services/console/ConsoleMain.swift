import HotlineRuntime

/// The console service: the center's web console (docs/console.md). Dispatchers, reviewers and
/// supervisors sign in under their own names; their decisions go out as the contract's `center.*`
/// commands with their names, and its pages read the system of record. It consumes nothing but
/// `reference.changed` and owns its sessions, audit log and claims.
@main
enum ConsoleMain {
    static func main() async throws {
        try await ServiceRuntime.run(service: "console", defaultHTTPPort: 8088) { runtime in
            let settings = try ConsoleSettings(configuration: runtime.configuration)
            return [try ConsoleServer(settings: settings, runtime: runtime)]
        }
    }
}
