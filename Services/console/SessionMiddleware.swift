import Foundation
import HotlineRuntime
import Hummingbird
import Logging

/// Finds the session of every request's cookie and lets a request without one reach only the
/// sign-in page and the stylesheet. A `POST` whose `Origin` is another site is refused before any
/// handler reads it (the forms' CSRF tokens are checked by the handlers, `ConsoleServer.postedForm`).
struct SessionMiddleware: RouterMiddleware {
    typealias Context = ConsoleContext

    let sessions: ConsoleSessions
    let clock: any ServiceClock
    let logger: Logger

    static let cookie = "hotline_console"
    static let open: Set<String> = ["/login", "/static/console.css"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.cookies[Self.cookie]?.value, !token.isEmpty {
            context.visitor = try await sessions.visitor(token: token, now: clock.now())
        }
        if request.method == .post, let origin = request.headers[.origin],
           URL(string: origin).map({ Self.authority($0) }) != request.head.authority
        {
            logger.warning("refused a post from another site", metadata: [
                "origin": "\(origin)", "authority": "\(request.head.authority ?? "-")", "path": "\(request.uri.path)",
            ])
            return Response(status: .forbidden)
        }
        if request.uri.path == "/favicon.ico" { return Response(status: .notFound) }
        if context.visitor == nil, !Self.open.contains(request.uri.path) {
            return .redirect(to: "/login", type: .normal)
        }
        return try await next(request, context)
    }

    /// `host[:port]` of an origin, as a `Host` header names it.
    static func authority(_ url: URL) -> String {
        guard let host = url.host else { return "" }
        return url.port.map { "\(host):\($0)" } ?? host
    }
}
