import Foundation
import HotlineRuntime
import Hummingbird
import Logging

/// Finds the session of every request's cookie and lets a request without one reach only the
/// sign-in page and the stylesheet. A `POST` whose `Origin` (or, without one, its `Referer`'s
/// origin) is not the console's own (`HOTLINE_CONSOLE_ORIGIN`, or else the request's `Host`), or that
/// names neither, is refused before any handler reads it (the forms' CSRF tokens are checked by the
/// handlers, `ConsoleServer.postedForm`). Behind the trusted proxy, the person's address is the last
/// one its `X-Forwarded-For` names.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = ConsoleContext

    let sessions: ConsoleSessions
    let clock: any ServiceClock
    let settings: ConsoleSettings
    let logger: Logger

    static let cookie = "hotline_console"
    static let open: Set<String> = ["/login", "/static/console.css"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let proxy = settings.trustedProxy, context.remote == proxy,
           let forwarded = request.headers[.init("X-Forwarded-For")!]?.split(separator: ",").last
        {
            context.remote = forwarded.trimmingCharacters(in: .whitespaces)
        }
        if let token = request.cookies[Self.cookie]?.value, !token.isEmpty {
            context.visitor = try await sessions.visitor(token: token, now: clock.now())
        }
        if request.method == .post {
            let origin = request.headers[.origin] ?? request.headers[.referer].flatMap(Self.origin(of:))
            guard let origin, sameSite(origin, request) else {
                logger.warning("refused a post from another site", metadata: [
                    "origin": "\(origin ?? "-")", "authority": "\(request.head.authority ?? "-")", "path": "\(request.uri.path)",
                ])
                return Response(status: .forbidden)
            }
        }
        if request.uri.path == "/favicon.ico" { return Response(status: .notFound) }
        if context.visitor == nil, !Self.open.contains(request.uri.path) {
            return .redirect(to: "/login", type: .normal)
        }
        return try await next(request, context)
    }

    /// The origin (`scheme://host[:port]`) of a URL such as a `Referer`.
    static func origin(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else { return nil }
        return "\(scheme)://" + (host.contains(":") ? "[\(host)]" : host) + (components.port.map { ":\($0)" } ?? "")
    }

    /// Whether `origin` is the console's own: the configured origin, or else the request's `Host`.
    func sameSite(_ origin: String, _ request: Request) -> Bool {
        if let expected = settings.origin { return origin == expected }
        guard let authority = request.head.authority, let scheme = origin.range(of: "://") else { return false }
        return origin[scheme.upperBound...] == authority
    }
}
