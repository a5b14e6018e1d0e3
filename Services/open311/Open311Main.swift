import HotlineRuntime

/// The open311 service: the Open311 GeoReport v2 HTTP API (docs/open311.md). A posted request goes
/// to `hotline.intake` as the client's own broker user; lookups read the tickets as the public may
/// see them. It consumes nothing but `reference.changed` and owns no table.
@main
enum Open311Main {
    static func main() async throws {
        try await ServiceRuntime.run(service: "open311", defaultHTTPPort: 8087) { runtime in
            let settings = try Open311Settings(configuration: runtime.configuration)
            let clients = try Open311Clients.read(settings.clientsFile)
            if clients.clients.isEmpty {
                runtime.logger.warning("no Open311 clients: requests may be read but not posted", metadata: [
                    "file": "\(settings.clientsFile.path)",
                ])
            }
            return [
                Open311API(
                    settings: settings, runtime: runtime, clients: clients,
                    publishers: ClientPublishers(amqp: runtime.amqp, logger: runtime.logger),
                    watch: OutcomeWatch(database: runtime.database, logger: runtime.logger)),
            ]
        }
    }
}
