import Foundation
import HotlineDomain
import Hummingbird

/// Signing in and out. The sign-in form carries a token that must match its cookie (a login form
/// cannot be posted from another site), and a session cookie is HttpOnly and SameSite=Strict.
extension ConsoleServer {
    static let signInCookie = "hotline_console_login"

    struct SignInPage: Sendable {
        let csrf: String
        let name: String
        let message: String?
    }

    func addSignIn(to router: Hummingbird.Router<ConsoleContext>) {
        router.get("/login") { request, context -> Response in
            if context.visitor != nil { return .redirect(to: "/", type: .normal) }
            return signInPage(request, name: "", message: nil, status: .ok)
        }
        router.post("/login") { request, context -> Response in
            let form = try await Form(request)
            guard let token = form["csrf"], let cookie = request.cookies[Self.signInCookie]?.value, CSRF.matches(token, cookie) else {
                return signInPage(request, name: "", message: "登录页面已过期，请重新输入", status: .badRequest)
            }
            let name = form["name"] ?? ""
            switch try await sessions.signIn(name: name, password: form.fields["password"]?.first ?? "", remote: context.remote, now: now) {
            case .refused(let why):
                return signInPage(request, name: name, message: why, status: .unauthorized)
            case .busy:
                return signInPage(request, name: name, message: "登录繁忙，请稍后再试", status: .serviceUnavailable)
            case .signedIn(let session):
                var response = Response.redirect(to: "/", type: .normal)
                // A browser session's cookie: closing the browser (a shared PC at the center) ends it too.
                response.setCookie(sessionCookie(SessionMiddleware.cookie, session, maxAge: nil))
                response.setCookie(sessionCookie(Self.signInCookie, "", maxAge: 0))
                return response
            }
        }
        router.post("/logout") { request, context -> Response in
            guard let visitor = context.visitor else { return .redirect(to: "/login", type: .normal) }
            _ = try await postedForm(request, visitor)
            if let token = request.cookies[SessionMiddleware.cookie]?.value {
                try await sessions.signOut(token: token, visitor: visitor, remote: context.remote, now: now)
            }
            var response = Response.redirect(to: "/login", type: .normal)
            response.setCookie(sessionCookie(SessionMiddleware.cookie, "", maxAge: 0))
            return response
        }
    }

    /// The sign-in page with the token of the browser's sign-in cookie, or a new one: every page the
    /// browser loads meanwhile (another tab, its icon) keeps the same token.
    private func signInPage(_ request: Request, name: String, message: String?, status: HTTPResponse.Status) -> Response {
        let kept = request.cookies[Self.signInCookie]?.value.filter(\.isHexDigit)
        let token = kept.flatMap { $0.count == 64 ? $0 : nil } ?? Hex.randomToken()
        var response = pages.render("login", SignInPage(csrf: token, name: name, message: message), status: status)
        response.setCookie(sessionCookie(Self.signInCookie, token, maxAge: 3600))
        return response
    }

    private func sessionCookie(_ name: String, _ value: String, maxAge: Int?) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: settings.secureCookies, httpOnly: true, sameSite: .strict)
    }
}
