import Foundation
import Hummingbird
import Mustache

/// The console's pages: Mustache templates compiled into the executable (`Templates/`), rendered
/// on the server into whole HTML pages with the console's security headers.
struct Pages: Sendable {
    let library: MustacheLibrary

    /// The templates, by name; `layout` is the parent every page extends.
    static let templates: [String: [UInt8]] = [
        "layout": PackageResources.layout_mustache,
        "login": PackageResources.login_mustache,
        "queues": PackageResources.queues_mustache,
        "item": PackageResources.item_mustache,
        "outcome": PackageResources.outcome_mustache,
        "tickets": PackageResources.tickets_mustache,
        "ticket": PackageResources.ticket_mustache,
        "dashboard": PackageResources.dashboard_mustache,
        "dead": PackageResources.dead_mustache,
        "knowledge": PackageResources.knowledge_mustache,
        "audit": PackageResources.audit_mustache,
        "problem": PackageResources.problem_mustache,
    ]

    static let stylesheet = ByteBuffer(bytes: PackageResources.console_css)

    init() throws {
        var library = MustacheLibrary()
        for (name, bytes) in Self.templates {
            try library.register(String(decoding: bytes, as: UTF8.self), named: name)
        }
        self.library = library
    }

    /// Every page's headers: no caching, no framing, no scripts, nothing from elsewhere.
    static let headers: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .cacheControl: "no-store",
        .contentSecurityPolicy:
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        .init("X-Content-Type-Options")!: "nosniff",
        .init("X-Frame-Options")!: "DENY",
        .init("Referrer-Policy")!: "same-origin",
    ]

    func render(_ name: String, _ page: Any, status: HTTPResponse.Status = .ok) -> Response {
        let html = library.render(page, withTemplate: name) ?? "template \(name) missing"
        return Response(status: status, headers: Self.headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
