import Foundation
import HotlineDomain
import HotlineRuntime
import Hummingbird
import Logging
import ServiceLifecycle

/// The console's web server: its routes, the session middleware in front of every page but the
/// sign-in page, and the stores the pages read and act through.
struct ConsoleServer: Service {
    let settings: ConsoleSettings
    let runtime: ServiceRuntime
    let pages: Pages
    let audit: AuditLog
    let sessions: ConsoleSessions
    let actions: CenterActions
    let workItems: WorkItems
    let tickets: TicketFiles

    init(settings: ConsoleSettings, runtime: ServiceRuntime) throws {
        self.settings = settings
        self.runtime = runtime
        pages = try Pages()
        audit = AuditLog(database: runtime.database)
        sessions = ConsoleSessions(database: runtime.database, idleTimeout: settings.idleTimeout, lifetime: settings.sessionLifetime)
        actions = CenterActions(database: runtime.database, publisher: runtime.publisher, outcomeWait: settings.outcomeWait)
        workItems = WorkItems(database: runtime.database)
        tickets = TicketFiles(database: runtime.database)
    }

    func run() async throws {
        let application = Application(
            router: router(),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "hotline-console"),
            onServerRunning: { [logger = runtime.logger, host = settings.host] channel in
                logger.info("console listening", metadata: ["host": "\(host)", "port": "\(channel.localAddress?.port ?? 0)"])
            },
            logger: runtime.logger)
        try await application.run()
    }

    func router() -> Hummingbird.Router<ConsoleContext> {
        let router = Hummingbird.Router(context: ConsoleContext.self)
        router.add(middleware: SessionMiddleware(sessions: sessions, clock: runtime.clock, settings: settings, logger: runtime.logger))
        router.get("/static/console.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: Pages.stylesheet))
        }
        router.get("/") { _, context -> Response in
            .redirect(to: try context.signedIn.decidesWork ? "/queues" : "/dashboard", type: .normal)
        }
        addSignIn(to: router)
        addQueues(to: router)
        addTickets(to: router)
        addDashboard(to: router)
        addOperations(to: router)
        addKnowledge(to: router)
        return router
    }

    /// The page `render` builds, or the problem page: a `ConsoleFailure` is the person's to fix
    /// (400), a missing permission is 403, anything else is logged and shown as 500.
    func page(
        _ context: ConsoleContext, needs permission: ConsolePermission? = nil,
        _ render: (Visitor) async throws -> Response
    ) async -> Response {
        guard let visitor = context.visitor else { return .redirect(to: "/login", type: .normal) }
        if let permission, !visitor.may(permission) {
            return problem(visitor, status: .forbidden, "您的角色（\(visitor.role.title)）无权访问此页面")
        }
        do {
            return try await render(visitor)
        } catch let unpublished as CenterActions.Unpublished {
            return problem(visitor, status: .serviceUnavailable, unpublished.description)
        } catch let failure as ConsoleFailure {
            return problem(visitor, status: failure.status, failure.description)
        } catch let error as HTTPError {
            return problem(visitor, status: error.status, error.status == .contentTooLarge ? "提交的内容过大" : "请求无法处理（\(error.status.code)）")
        } catch {
            runtime.logger.error("console page failed", metadata: ["path": "\(context.coreContext.endpointPath.value ?? "")", "error": "\(error)"])
            return problem(visitor, status: .internalServerError, "系统暂时无法完成该操作，请稍后重试（已记录）")
        }
    }

    func problem(_ visitor: Visitor?, status: HTTPResponse.Status, _ message: String) -> Response {
        pages.render("problem", ProblemPage(chrome: visitor.map { chrome($0, current: "") }, message: message), status: status)
    }

    /// The posted form, refused unless it carries the session's CSRF token.
    func postedForm(_ request: Request, _ visitor: Visitor) async throws -> Form {
        let form = try await Form(request)
        guard let token = form["csrf"], CSRF.matches(token, visitor.csrfToken) else {
            throw ConsoleFailure("表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试")
        }
        return form
    }

    /// The navigation and the person's name on every page.
    func chrome(_ visitor: Visitor, current: String, flash: String? = nil) -> Chrome {
        var links: [Chrome.Link] = []
        if visitor.decidesWork { links.append(.init(href: "/queues", title: "工作台")) }
        if visitor.may(.readTickets) { links.append(.init(href: "/tickets", title: "工单查询")) }
        if visitor.may(.readDashboard) { links.append(.init(href: "/dashboard", title: "统计分析")) }
        if visitor.may(.flagKnowledge) { links.append(.init(href: "/operations/knowledge", title: "知识库核查")) }
        if visitor.may(.operateDeadLetters) { links.append(.init(href: "/operations/dead", title: "死信队列")) }
        if visitor.may(.readAudit) { links.append(.init(href: "/operations/audit", title: "审计日志")) }
        return Chrome(
            user: visitor.displayName, role: visitor.role.title, csrf: visitor.csrfToken,
            links: links.map { Chrome.Link(href: $0.href, title: $0.title, current: $0.href == current) }, flash: flash)
    }

    var now: Date { runtime.clock.now() }

    func reference() async throws -> ReferenceData { try await runtime.reference.current() }
}

/// What every signed-in page shows around its content.
struct Chrome: Sendable {
    struct Link: Sendable {
        let href: String
        let title: String
        var current = false
    }

    let user: String
    let role: String
    let csrf: String
    let links: [Link]
    let flash: String?
}

struct ProblemPage: Sendable {
    let chrome: Chrome?
    let message: String
}
