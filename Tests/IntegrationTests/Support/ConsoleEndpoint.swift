import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import XCTest

/// The console of the test platform (docs/console.md): started with the other services by
/// `Platform.start()`, its pages on `HOTLINE_TEST_PORT_BASE + 96`.
enum ConsoleEndpoint {
    static func port(_ stack: TestStack) -> Int { stack.portBase + 96 }

    static func baseURL(_ stack: TestStack) -> URL { URL(string: "http://127.0.0.1:\(port(stack))")! }

    /// A new console account of `role`, made with `hotlinectl console user add`; its name and password.
    static func account(_ stack: TestStack, role: String, displayName: String) async throws -> (name: String, password: String) {
        let name = "\(role)-\(UUID().uuidString.prefix(8).lowercased())"
        let run = try await Ctl.run(stack, ["console", "user", "add", name, "--role", role, "--display-name", displayName])
        XCTAssertEqual(run.status, 0, run.error)
        let line = try XCTUnwrap(run.output.split(separator: "\n").first { $0.contains("(shown once): ") }, run.output)
        return (name, String(line.split(separator: " ").last ?? ""))
    }
}

/// A person in a browser without JavaScript, for the console's HTTP tests: it keeps the cookies the
/// console sets, does not follow redirects (the tests look at them), and posts forms with the CSRF
/// token of the page they came from.
final class ConsoleBrowser: NSObject, URLSessionTaskDelegate, Sendable {
    let baseURL: URL
    private let cookies = Mutex<[String: String]>([:])
    private let session = Mutex<URLSession?>(nil)

    struct Page: Sendable {
        let status: Int
        let location: String?
        let html: String

        /// The first CSRF token on the page.
        var csrf: String? { Self.value(of: #"name="csrf" value=""#, in: html) }

        /// The round of the work item whose form the page holds.
        var round: String? { Self.value(of: #"name="round" value=""#, in: html) }

        /// The text after `marker` up to the next `"`.
        static func value(of marker: String, in html: String) -> String? {
            guard let start = html.range(of: marker) else { return nil }
            return String(html[start.upperBound...].prefix { $0 != "\"" })
        }
    }

    init(baseURL: URL) {
        self.baseURL = baseURL
        super.init()
        session.withLock { $0 = URLSession(configuration: .ephemeral, delegate: self, delegateQueue: nil) }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }

    func get(_ path: String) async throws -> Page {
        try await send(URLRequest(url: URL(string: path, relativeTo: baseURL)!))
    }

    /// Posts `fields` (repeated names allowed) as a form with `csrf` and, as a browser does, an
    /// `Origin` header: the console's own unless another is given, none when it is "".
    func post(_ path: String, _ fields: [(String, String)], csrf: String?, origin: String? = nil) async throws -> Page {
        var request = URLRequest(url: URL(string: path, relativeTo: baseURL)!)
        request.httpMethod = "POST"
        let sent = origin ?? baseURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if !sent.isEmpty { request.setValue(sent, forHTTPHeaderField: "Origin") }
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        let all = (csrf.map { [("csrf", $0)] } ?? []) + fields
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        request.httpBody = Data(all.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&").utf8)
        return try await send(request)
    }

    /// Signs in through the sign-in page; fails unless the console answers with its redirect.
    func signIn(_ name: String, _ password: String) async throws {
        let form = try await get("/login")
        let page = try await post("/login", [("name", name), ("password", password)], csrf: form.csrf)
        XCTAssertEqual(page.status, 303, "sign-in of \(name): \(page.html.prefix(400))")
    }

    /// Decides the work item at `path` (`/queues/<queue>/<id>`) with the form of its page: the page's
    /// CSRF token and round, and `fields`.
    func decide(_ path: String, _ fields: [(String, String)]) async throws -> Page {
        let item = try await get(path)
        XCTAssertEqual(item.status, 200, "GET \(path): \(item.html.prefix(300))")
        return try await post(path, [("round", item.round ?? "")] + fields, csrf: item.csrf)
    }

    /// GETs `path` and checks its status (and where it redirects to).
    func expect(
        _ path: String, status: Int, location: String? = nil, file: StaticString = #filePath, line: UInt = #line
    ) async throws {
        let page = try await get(path)
        XCTAssertEqual(page.status, status, "GET \(path)", file: file, line: line)
        if let location { XCTAssertEqual(page.location, location, "GET \(path)", file: file, line: line) }
    }

    var sessionCookie: String? { cookies.withLock { $0["hotline_console"] } }

    private func send(_ original: URLRequest) async throws -> Page {
        var request = original
        request.httpShouldHandleCookies = false
        let header = cookies.withLock { $0.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if !header.isEmpty { request.setValue(header, forHTTPHeaderField: "Cookie") }
        let urlSession = try XCTUnwrap(session.withLock { $0 })
        let (data, response) = try await urlSession.data(for: request)
        let http = try XCTUnwrap(response as? HTTPURLResponse)
        if let setCookie = http.value(forHTTPHeaderField: "Set-Cookie") {
            // Several Set-Cookie headers arrive joined by commas; the console's carry no Expires.
            for line in setCookie.split(separator: ",") {
                let pair = line.split(separator: ";").first.map(String.init) ?? ""
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2 else { continue }
                let (name, value) = (String(parts[0]), String(parts[1]))
                cookies.withLock { $0[name] = value.isEmpty || line.contains("Max-Age=0") ? nil : value }
            }
        }
        return Page(status: http.statusCode, location: http.value(forHTTPHeaderField: "Location"), html: String(decoding: data, as: UTF8.self))
    }
}
