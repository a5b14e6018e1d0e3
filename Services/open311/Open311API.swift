import Foundation
import HotlineDomain
import HotlineRuntime
import Hummingbird
import Logging
import Metrics
import ServiceLifecycle

/// The GeoReport v2 endpoint (docs/open311.md): the routes, the key and rate checks every request
/// passes, and the answer in the format its path asks for.
struct Open311API: Service {
    let settings: Open311Settings
    let runtime: ServiceRuntime
    let clients: Open311Clients
    let publishers: ClientPublishers
    let limiter = RateLimiter()
    let watch: OutcomeWatch

    /// A body larger than this is refused (413), as the contract refuses larger submissions.
    static let maximumBody = 256 * 1024

    /// What a handler gets: the parameters (query, and for a `POST` the form), and the client whose
    /// key they carry.
    struct Call: Sendable {
        let form: Open311RequestForm
        let client: Open311Clients.Client?
        let reference: ReferenceData

        var catalogue: Open311Catalogue { Open311Catalogue(jurisdiction: reference.jurisdiction) }
        var timeZone: TimeZone { reference.calendar.timeZone }
    }

    func run() async throws {
        let application = Application(
            router: router(),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "hotline-open311"),
            onServerRunning: { [logger = runtime.logger, host = settings.host] channel in
                logger.info("Open311 API listening", metadata: ["host": "\(host)", "port": "\(channel.localAddress?.port ?? 0)"])
            },
            logger: runtime.logger)
        // The watch runs until the application has answered its last request.
        let watching = Task { await watch.run() }
        defer { watching.cancel() }
        do {
            try await application.run()
        } catch {
            await publishers.shutdown()
            throw error
        }
        await publishers.shutdown()
    }

    func router() -> Hummingbird.Router<Open311Context> {
        let router = Hummingbird.Router(context: Open311Context.self)
        router.add(middleware: Open311Fallback())
        /// A `GET` route, which also answers `HEAD` (the fallback drops the body).
        func get(_ path: RouterPath, _ handler: @escaping @Sendable (Request, Open311Context) async throws -> Response) {
            router.get(path, use: handler)
            router.head(path, use: handler)
        }
        let submissions = RequestSubmissions(
            runtime: runtime, publishers: publishers, watch: watch, outcomeWait: settings.outcomeWait)
        let tickets = PublicTickets(database: runtime.database)
        for format in [Open311Format.json, .xml] {
            get("/services.\(format.rawValue)") { request, context in
                await respond(request, context, route: "services", format: format) { call in
                    Open311Answer(status: 200, document: call.catalogue.services)
                }
            }
            get("/requests.\(format.rawValue)") { request, context in
                await respond(request, context, route: "requests", format: format) { call in
                    let query = try Open311RequestQuery(call.form.fields, now: runtime.clock.now())
                    return Self.list(try await tickets.find(query), call)
                }
            }
            router.post("/requests.\(format.rawValue)") { request, context in
                await respond(request, context, route: "post_request", format: format, posting: true) { call in
                    guard let client = call.client else { throw Open311Failure(403, "api_key: a valid API key is required to post") }
                    return await submissions.post(call.form, client: client, catalogue: call.catalogue)
                }
            }
        }
        get("/services/:code") { request, context in
            let (code, format) = Self.named(context.parameters.get("code"))
            return await respond(request, context, route: "service_definition", format: format) { call in
                guard let definition = call.catalogue.definition(code) else { throw Open311Failure.notFound("service_code \(code): no such service") }
                return Open311Answer(status: 200, document: definition)
            }
        }
        get("/requests/:id") { request, context in
            let (id, format) = Self.named(context.parameters.get("id"))
            return await respond(request, context, route: "request", format: format) { call in
                let found = try await tickets.find(Open311RequestQuery(ids: [id]))
                guard !found.isEmpty else { throw Open311Failure.notFound("service_request_id \(id): no such request") }
                return Self.list(found, call)
            }
        }
        get("/tokens/:token") { request, context in
            let name = context.parameters.get("token") ?? ""
            let (token, format) = Open311Format.split(name) ?? (name, .json)
            return await respond(request, context, route: "token", format: format) { _ in try await submissions.resolve(token: token) }
        }
        return router
    }

    /// A path segment's name and format; no format when it has no `.json` or `.xml` ending (404).
    private static func named(_ segment: String?) -> (String, Open311Format?) {
        guard let segment, let (name, format) = Open311Format.split(segment) else { return (segment ?? "", nil) }
        return (name, format)
    }

    private static func list(_ tickets: [PublicTicket], _ call: Call) -> Open311Answer {
        let catalogue = call.catalogue
        return Open311Answer(
            status: 200,
            document: .list("service_requests", item: "request", tickets.filter(\.isPublic).map {
                $0.serviceRequest(catalogue: catalogue, timeZone: call.timeZone)
            }))
    }

    /// Runs `handler` for a request that passed the checks every request passes (format, body,
    /// jurisdiction, key, rate) and writes its answer; records the request's metrics and log line.
    private func respond(
        _ request: Request, _ context: Open311Context, route: String, format: Open311Format?, posting: Bool = false,
        _ handler: (Call) async throws -> Open311Answer
    ) async -> Response {
        let started = ContinuousClock.now
        var request = request
        var headers: HTTPFields = [:]
        var clientName = "-"
        let answer: Open311Answer
        do {
            guard format != nil else { throw Open311Failure.notFound("no such resource: paths end in .json or .xml") }
            var body = ""
            if posting {
                let buffer: ByteBuffer
                do {
                    buffer = try await request.collectBody(upTo: Self.maximumBody)
                } catch {
                    throw Open311Failure(413, "body: larger than \(Self.maximumBody / 1024) KiB")
                }
                let type = request.headers[.contentType] ?? ""
                if buffer.readableBytes > 0, !type.lowercased().hasPrefix("application/x-www-form-urlencoded") {
                    throw Open311Failure(400, "body: form-encoded (application/x-www-form-urlencoded) only")
                }
                body = String(buffer: buffer)
            }
            let form = Open311RequestForm(encoded: request.uri.query ?? "", body)
            let reference = try await runtime.reference.current()
            if let jurisdiction = form.value("jurisdiction_id"), jurisdiction != reference.jurisdiction.jurisdiction.code {
                throw Open311Failure.notFound("jurisdiction_id \(jurisdiction): not served here")
            }
            let client = form.value("api_key").flatMap(clients.client(apiKey:))
            clientName = client?.name ?? "-"
            let limit = client.map { ("client:\($0.name)", $0.requestsPerMinute) }
                ?? ("address:\(context.remoteAddress?.ipAddress ?? "?")", settings.anonymousPerMinute)
            let admitted = limiter.admit(limit.0, perMinute: limit.1)
            guard admitted.admitted else {
                headers[.retryAfter] = String(admitted.retryAfter)
                throw Open311Failure(429, "too many requests: at most \(limit.1) a minute")
            }
            answer = try await handler(Call(form: form, client: client, reference: reference))
        } catch let failure as Open311Failure {
            answer = failure.answer
        } catch {
            runtime.logger.error("Open311 request failed", metadata: ["route": "\(route)", "error": "\(error)"])
            answer = Open311Failure(503, "the service cannot answer now; try again").answer
        }
        let rendered = format ?? .json
        headers[.contentType] = rendered.contentType
        let status = answer.status
        Counter(label: "hotline_open311_requests_total", dimensions: [("route", route), ("status", String(status))]).increment()
        Metrics.Timer(label: "hotline_open311_request_duration_seconds", dimensions: [("route", route)])
            .record(duration: ContinuousClock.now - started)
        runtime.logger.log(level: posting || status >= 500 ? .info : .debug, "Open311 request", metadata: [
            "route": "\(route)", "status": "\(status)", "client": "\(clientName)",
        ])
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers,
            body: .init(byteBuffer: ByteBuffer(data: answer.document.rendered(as: rendered))))
    }
}
