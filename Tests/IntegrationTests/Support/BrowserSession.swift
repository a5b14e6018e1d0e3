import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A headless chromium driven over the W3C WebDriver protocol by Debian's chromedriver
/// (packages `chromium chromium-driver fonts-wqy-zenhei`). It speaks HTTP over a plain socket:
/// FoundationNetworking's URLSession (Swift 6.3) rejects chromedriver's `Content-Length:252`
/// headers, which have no space after the colon.
final class BrowserSession: Sendable {
    /// A failed start or WebDriver command, with WebDriver's error and message.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let driver: ChildProcess
    private let port: Int
    private let sessionPath: String

    private init(driver: ChildProcess, port: Int, sessionPath: String) {
        self.driver = driver
        self.port = port
        self.sessionPath = sessionPath
    }

    /// Starts chromedriver on the free loopback `port`, and a session of a headless chromium with
    /// a 1366×768 window, lang zh-CN. Chromedriver's output goes to `logFile` (inherited when nil).
    static func start(port: Int, logFile: String?) async throws -> BrowserSession {
        let driver = try ChildProcess(
            executable: "/usr/bin/chromedriver", arguments: ["--port=\(port)"],
            environment: ProcessInfo.processInfo.environment, directory: NSTemporaryDirectory(), logFile: logFile)
        do {
            let deadline = Date().addingTimeInterval(20)
            while (try? await call(port, "GET", "/status") as? [String: Any])?["ready"] as? Bool != true {
                guard driver.isRunning else { throw Failure(description: "chromedriver exited at start (see \(logFile ?? "its output"))") }
                guard Date() < deadline else { throw Failure(description: "chromedriver not ready on port \(port) within 20 s") }
                try await Task.sleep(for: .milliseconds(100))
            }
            let options: [String: Any] = [
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1366,768", "--lang=zh-CN", "--hide-scrollbars"],
                "prefs": ["intl.accept_languages": "zh-CN,zh"],
            ]
            let body: [String: Any] = ["capabilities": ["alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": options]]]
            guard let id = (try await call(port, "POST", "/session", body) as? [String: Any])?["sessionId"] as? String else {
                throw Failure(description: "chromedriver answered a new session without a sessionId")
            }
            return BrowserSession(driver: driver, port: port, sessionPath: "/session/" + id)
        } catch {
            stop(driver)
            throw error
        }
    }

    /// Navigates to `url` and waits for it to load.
    func open(_ url: URL) async throws {
        try await command("POST", "/url", ["url": url.absoluteString])
    }

    /// Clears the first element matching `css`, then types `text` into it.
    func fill(_ css: String, with text: String) async throws {
        let element = try await find(css)
        try await command("POST", "/element/\(element)/clear")
        try await command("POST", "/element/\(element)/value", ["text": text])
    }

    /// Clicks the first element matching `css`.
    func click(_ css: String) async throws {
        try await command("POST", "/element/\(try await find(css))/click")
    }

    /// Chooses the `<option>` with `value` of the first `<select>` matching `css`.
    func select(_ css: String, value: String) async throws {
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let option = try await find("option[value=\"\(escaped)\"]", in: try await find(css))
        try await command("POST", "/element/\(option)/click")
    }

    /// The visible text of the first element matching `css`.
    func text(_ css: String) async throws -> String {
        try await command("GET", "/element/\(try await find(css))/text") as? String ?? ""
    }

    /// Whether an element matches `css`.
    func exists(_ css: String) async throws -> Bool {
        let found = try await command("POST", "/elements", ["using": "css selector", "value": css]) as? [Any]
        return !(found ?? []).isEmpty
    }

    /// The page source.
    func source() async throws -> String {
        try await command("GET", "/source") as? String ?? ""
    }

    /// The address of the current page.
    func currentURL() async throws -> String {
        try await command("GET", "/url") as? String ?? ""
    }

    /// The value the page's `script` (a function body) returns.
    func evaluate(_ script: String) async throws -> Any {
        try await command("POST", "/execute/sync", ["script": script, "args": [Any]()])
    }

    /// Waits until an element matches `css`; throws when none does within `timeout` seconds.
    func waitFor(_ css: String, timeout: TimeInterval = 10) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try await !exists(css) {
            guard Date() < deadline else {
                throw Failure(description: "no element matches \"\(css)\" after \(timeout) s on \(try await currentURL())")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Saves a PNG of the whole page to `file` (the window grows to the page's height meanwhile),
    /// creating its folder.
    func screenshot(to file: URL) async throws {
        let rect = try await command("GET", "/window/rect") as? [String: Any]
        let sizes = try await command("POST", "/execute/sync", [
            "script": "return [document.documentElement.scrollHeight, window.outerHeight - window.innerHeight]", "args": [Any](),
        ]) as? [NSNumber]
        var restore: [String: Any]?
        if let width = rect?["width"] as? NSNumber, let height = rect?["height"] as? NSNumber, let sizes, sizes.count == 2,
           sizes[0].intValue + sizes[1].intValue > height.intValue {
            restore = ["width": width.intValue, "height": height.intValue]
            try await command("POST", "/window/rect", ["width": width.intValue, "height": sizes[0].intValue + sizes[1].intValue])
        }
        let captured: Result<Any, any Error>
        do { captured = .success(try await command("GET", "/screenshot")) } catch { captured = .failure(error) }
        if let restore { try await command("POST", "/window/rect", restore) }
        guard let encoded = try captured.get() as? String, let png = Data(base64Encoded: encoded) else {
            throw Failure(description: "chromedriver answered a screenshot that is not base64")
        }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try png.write(to: file)
    }

    /// Deletes the session (chromium quits) and stops chromedriver, killing any chromium left over.
    func close() async {
        _ = try? await command("DELETE", "")
        Self.stop(driver)
    }

    // MARK: - Protocol

    /// The WebDriver reference of the first element matching `css`, searched within `parent` if given.
    private func find(_ css: String, in parent: String? = nil) async throws -> String {
        let path = parent.map { "/element/\($0)/element" } ?? "/element"
        let found = try await command("POST", path, ["using": "css selector", "value": css]) as? [String: Any]
        guard let reference = found?["element-6066-11e4-a52e-4f735466cecf"] as? String else {
            throw Failure(description: "WebDriver answered no element reference for \"\(css)\"")
        }
        return reference
    }

    /// Sends a command of this session (`path` after `/session/{id}`); its `value`.
    @discardableResult
    private func command(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any {
        try await Self.call(port, method, sessionPath + path, body ?? (method == "POST" ? [:] : nil))
    }

    /// Sends one WebDriver request; the answer's `value`, or a `Failure` with WebDriver's error and message.
    private static func call(_ port: Int, _ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any {
        let json = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let (status, data) = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try exchange(port, method, path, json) }) }
        }
        let value = ((try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) as? [String: Any])?["value"]
        guard (200..<300).contains(status), let value else {
            let details = value as? [String: Any]
            let error = details?["error"] as? String ?? "HTTP \(status)"
            let message = details?["message"] as? String ?? String(decoding: data.prefix(500), as: UTF8.self)
            throw Failure(description: "WebDriver \(method) \(path): " + (message.hasPrefix(error) ? message : "\(error): \(message)"))
        }
        return value
    }

    /// One blocking HTTP/1.1 exchange with 127.0.0.1:`port`; the status and body.
    private static func exchange(_ port: Int, _ method: String, _ path: String, _ body: Data?) throws -> (Int, Data) {
        func failure(_ what: String) -> Failure {
            Failure(description: "chromedriver on port \(port), \(method) \(path): \(what): \(String(cString: strerror(errno)))")
        }
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw failure("socket") }
        defer { Glibc.close(socket) }
        var timeout = timeval(tv_sec: 120, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw failure("connect") }
        var request = Data("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n".utf8)
        request += Data("Content-Type: application/json; charset=utf-8\r\nContent-Length: \(body?.count ?? 0)\r\n\r\n".utf8)
        request += body ?? Data()
        var sent = 0
        while sent < request.count {
            let count = request.withUnsafeBytes { send(socket, $0.baseAddress! + sent, request.count - sent, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw failure("send") }
            sent += count
        }
        var response = Data(), buffer = [UInt8](repeating: 0, count: 1 << 16)
        var headEnd: Range<Data.Index>?, length: Int?
        while headEnd == nil || length.map({ response.count < headEnd!.upperBound + $0 }) ?? true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw failure("receive") }
            if count == 0 { break }
            response.append(contentsOf: buffer[0..<count])
            if headEnd == nil, let end = response.range(of: Data("\r\n\r\n".utf8)) {
                headEnd = end
                let head = String(decoding: response[..<end.lowerBound], as: UTF8.self).lowercased()
                length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) }
            }
        }
        guard let headEnd, let statusLine = response[..<headEnd.lowerBound].split(separator: UInt8(ascii: "\r")).first else {
            throw Failure(description: "chromedriver on port \(port), \(method) \(path): no HTTP answer")
        }
        let status = Int(String(decoding: statusLine, as: UTF8.self).split(separator: " ").dropFirst().first ?? "") ?? 0
        return (status, Data(response[headEnd.upperBound...]))
    }

    /// Kills chromedriver and whatever it started that still runs (chromium and its helpers). SIGTERM
    /// would not help: a child spawned from a Dispatch thread inherits its blocked signals.
    private static func stop(_ driver: ChildProcess) {
        let started = descendants(of: driver.pid)
        driver.signal(SIGKILL)
        driver.wait(timeout: 5)
        for pid in started { kill(pid, SIGKILL) }
    }

    /// The processes descending from `pid`, read from /proc.
    private static func descendants(of pid: pid_t) -> [pid_t] {
        var children: [pid_t: [pid_t]] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let child = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let name = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: name)...].split(separator: " ")  // state, ppid, …
            if fields.count > 1, let parent = pid_t(fields[1]) { children[parent, default: []].append(child) }
        }
        var found: [pid_t] = [], pending = [pid]
        while let next = pending.popLast() {
            found += children[next] ?? []
            pending += children[next] ?? []
        }
        return found
    }
}
