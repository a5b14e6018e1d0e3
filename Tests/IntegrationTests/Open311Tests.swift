import Foundation
import XCTest
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The Open311 GeoReport v2 API over real HTTP (docs/open311.md): requests posted by a client become
/// submissions that intake decides through RabbitMQ and PostgreSQL, and lookups read the tickets back
/// as the public may see them.
final class Open311Tests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    func testAnAcceptedRequestIsLookedUpAfterDispatchExtensionAndResolution() async throws {
        try await withHarness { h in
            let api = try await Open311Client.start()
            let phone = "139\(Int.random(in: 10_000_000...99_999_999))"
            // A suggestion: pingshan lets it be extended at once after signing (a complaint not within 3 working days).
            var fields = api.request(description: "小区门口有流动摊贩占道经营，影响通行", phone: phone, first: "女士", last: "张")
            fields["attribute[kind]"] = "suggestion"
            let posted = try await api.post(fields)
            XCTAssertEqual(posted.status, 201, posted.text)
            let ticketNo = try XCTUnwrap(posted.records.first?["service_request_id"] as? String, posted.text)
            XCTAssertNotNil(posted.records.first?["service_notice"] as? String)
            let created = try await h.created(ticketNo, unit: "CG")
            let assignmentID = try XCTUnwrap(created.string("assignment_id"))
            // The submission went out as the client's own broker user, on its channel.
            let channel = try await h.text("SELECT channel AS t FROM tickets WHERE ticket_no = $1", [ticketNo])
            XCTAssertEqual(channel, "app")

            var found = try await api.lookup(ticketNo)
            XCTAssertEqual(found["status"] as? String, "open")
            XCTAssertEqual(found["agency_responsible"] as? String, "区城市管理和综合执法局")
            XCTAssertEqual(found["service_code"] as? String, "CG-001")
            XCTAssertEqual(found["address"] as? String, "坑梓街道")
            XCTAssertNotNil(found["expected_datetime"] as? String)
            let notes = try XCTUnwrap(found["status_notes"] as? String)
            XCTAssertTrue(notes.contains("已受理") && notes.contains("已派发至 区城市管理和综合执法局"), notes)
            // What the public may see: never the citizen's name, phone or words.
            let body = try await api.get("/requests/\(ticketNo).json").text
            for secret in ["张", phone, "流动摊贩"] { XCTAssertFalse(body.contains(secret), "the lookup shows \(secret): \(body)") }

            _ = try await h.command("unit.CG", "unit.sign", ["assignment_id": assignmentID])
            let asked = try await h.command(
                "unit.CG", "unit.request-extension", ["assignment_id": assignmentID, "working_days": 2, "reason": "需协调燃气公司现场勘查"])
            let requestID = try XCTUnwrap(asked.string("request_id"), asked.string("message") ?? "")
            let extended = try await h.command("center", "center.decide-extension", ["request_id": requestID, "approve": true, "note": "同意延期"])
            XCTAssertEqual(extended.string("type"), "assignment.extended")
            found = try await api.lookup(ticketNo)
            XCTAssertTrue((found["status_notes"] as? String ?? "").contains("办理期限延长至"), "\(found)")
            XCTAssertNotEqual(found["expected_datetime"] as? String, nil)

            _ = try await h.command("unit.CG", "unit.submit-resolution", h.resolution(assignmentID))
            let resolved = try await h.command("center", "center.decide-resolution", ["assignment_id": assignmentID, "approve": true, "note": "同意办结"])
            XCTAssertEqual(resolved.string("type"), "ticket.resolved")
            found = try await api.lookup(ticketNo)
            XCTAssertEqual(found["status"] as? String, "closed")
            XCTAssertTrue((found["status_notes"] as? String ?? "").contains("答复：已现场处置并回复诉求人"), "\(found)")

            // The same in XML, and in the list filtered by id, code and status.
            let xml = try await api.get("/requests/\(ticketNo).xml")
            XCTAssertEqual(xml.status, 200)
            XCTAssertTrue(xml.text.contains("<service_requests><request><service_request_id>\(ticketNo)</service_request_id>"), xml.text)
            let listed = try await api.get("/requests.json?service_request_id=\(ticketNo),PS-19990101-000001&status=open")
            XCTAssertEqual(listed.records.count, 1, "service_request_id overrides the other filters")
            let closed = try await api.get("/requests.json?service_code=CG-001&status=closed")
            XCTAssertTrue(closed.records.contains { $0["service_request_id"] as? String == ticketNo })
            XCTAssertTrue(closed.records.allSatisfy { $0["status"] as? String == "closed" && $0["service_code"] as? String == "CG-001" })
        }
    }

    func testEachFieldProblemComesBackAsAnErrorOfTheStandard() async throws {
        try await withHarness { _ in
            let api = try await Open311Client.start()
            func expect(_ fields: [String: String], status: Int, mentions: [String], line: UInt = #line) async throws {
                let answer = try await api.post(fields)
                XCTAssertEqual(answer.status, status, answer.text, line: line)
                let descriptions = answer.records.compactMap { $0["description"] as? String }
                XCTAssertEqual(answer.records.first?["code"] as? Int, status, answer.text, line: line)
                for text in mentions {
                    XCTAssertTrue(descriptions.contains { $0.contains(text) }, "\(text) not in \(descriptions)", line: line)
                }
            }
            // Intake's checks, named by the form field.
            var fields = api.request(description: "路灯不亮")
            fields["phone"] = "12345"
            try await expect(fields, status: 400, mentions: ["phone:"])
            fields = api.request(description: "   ")
            try await expect(fields, status: 400, mentions: ["description:"])
            fields = api.request(description: "路灯不亮")
            fields["lat"] = "95"
            try await expect(fields, status: 400, mentions: ["lat:"])
            fields = api.request(description: "路灯不亮")
            fields["attribute[title]"] = String(repeating: "长", count: 201)
            try await expect(fields, status: 400, mentions: ["attribute[title]:"])
            // The API's own checks.
            fields = api.request(description: "路灯不亮")
            fields["attribute[kind]"] = "praise"
            fields["lat"] = "north"
            try await expect(fields, status: 400, mentions: ["attribute[kind]:", "lat, long: not numbers"])
            fields = api.request(description: "路灯不亮")
            for key in ["lat", "long", "address_string"] { fields[key] = nil }
            try await expect(fields, status: 400, mentions: ["lat/long, address_string or address_id"])
            fields = api.request(description: "路灯不亮")
            fields["service_code"] = "NO-SUCH"
            try await expect(fields, status: 404, mentions: ["service_code NO-SUCH"])
            fields = api.request(description: "路灯不亮")
            fields["api_key"] = "not-a-key"
            try await expect(fields, status: 403, mentions: ["api_key"])
            fields = api.request(description: "路灯不亮")
            fields["jurisdiction_id"] = "elsewhere"
            try await expect(fields, status: 404, mentions: ["jurisdiction_id"])
            // Reads need no key; a wrong format is not found.
            let services = try await api.get("/services.json")
            XCTAssertEqual(services.status, 200)
            XCTAssertTrue(services.records.contains { $0["service_code"] as? String == "CG-001" && $0["metadata"] as? Bool == true })
            let definition = try await api.get("/services/CG-001.json")
            let attributes = (definition.object?["attributes"] as? [[String: Any]]) ?? []
            XCTAssertTrue(attributes.contains { $0["code"] as? String == "street" && ($0["values"] as? [Any])?.isEmpty == false })
            try await expectStatus(api, "/services/CG-001.csv", 404)
            var delete = URLRequest(url: api.base.appendingPathComponent("requests.json"))
            delete.httpMethod = "DELETE"
            let refused = try await api.send(delete)
            XCTAssertEqual(refused.status, 405, refused.text)
            XCTAssertEqual(refused.allow, "GET, HEAD, POST")
            var head = URLRequest(url: api.base.appendingPathComponent("services.json"))
            head.httpMethod = "HEAD"
            let headed = try await api.send(head)
            XCTAssertEqual(headed.status, 200)
            XCTAssertTrue(headed.data.isEmpty, "HEAD has no body")
            try await expectStatus(api, "/requests/PS-19990101-000001.json", 404)
            try await expectStatus(api, "/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-12-01T00:00:00Z", 400)
        }
    }

    func testAnEmergencyIsDeclinedWithTheNumberToCallAndAMergeNamesTheEarlierTicket() async throws {
        try await withHarness { _ in
            let api = try await Open311Client.start()
            let emergency = try await api.post(api.request(description: "路口发生严重车祸有人受伤流血不止"))
            XCTAssertEqual(emergency.status, 400, emergency.text)
            let refusal = try XCTUnwrap(emergency.records.first?["description"] as? String)
            XCTAssertTrue(refusal.contains("emergency_redirect") && refusal.contains("120"), refusal)

            // The same matter at the same place from two citizens: the second joins the first (并案).
            let place = "秀新路\(Int.random(in: 100_000...999_999))号"
            var first = api.request(description: "小区门口垃圾堆积好几天没人清运，气味很大", category: "CG-003")
            first["address_string"] = place
            let accepted = try await api.post(first)
            XCTAssertEqual(accepted.status, 201, accepted.text)
            let earlier = try XCTUnwrap(accepted.records.first?["service_request_id"] as? String)
            var second = api.request(description: "小区门口垃圾堆积好几天没人清运，气味很大", category: "CG-003")
            for key in ["address_string", "lat", "long"] { second[key] = first[key] }
            let merged = try await api.post(second)
            XCTAssertEqual(merged.status, 201, merged.text)
            XCTAssertNotEqual(merged.records.first?["service_request_id"] as? String, earlier)
            XCTAssertTrue((merged.records.first?["service_notice"] as? String ?? "").contains(earlier), merged.text)
        }
    }

    func testARequestAnsweredAfterTheWaitGetsATokenThatResolvesLater() async throws {
        try await withHarness { h in
            // A copy that does not wait at all answers every request with a token.
            let (copy, api) = try await Open311Client.copy(h, offset: 1, ["HOTLINE_OPEN311_OUTCOME_WAIT_MS": "0"])
            defer { copy.terminate() }
            let posted = try await api.post(api.request(description: "小区门口有流动摊贩占道经营，影响通行"))
            XCTAssertEqual(posted.status, 202, posted.text)
            let token = try XCTUnwrap(posted.records.first?["token"] as? String)
            var ticketNo: String?
            try await h.poll("the token resolves") {
                ticketNo = try await api.get("/tokens/\(token).json").records.first?["service_request_id"] as? String
                return ticketNo != nil
            }
            let xml = try await api.get("/tokens/\(token).xml")
            XCTAssertTrue(xml.text.contains("<service_request_id>\(ticketNo ?? "?")</service_request_id>"), xml.text)
            try await expectStatus(api, "/tokens/not-a-token", 404)

            // An invalid submission's token resolves to its errors.
            var broken = api.request(description: "路灯不亮")
            broken["phone"] = "12345"
            let refused = try await api.post(broken)
            let refusedToken = try XCTUnwrap(refused.records.first?["token"] as? String, refused.text)
            try await h.poll("the refused token resolves") { try await api.get("/tokens/\(refusedToken)").status == 400 }
        }
    }

    func testAClientOverItsLimitIsToldToWait() async throws {
        try await withHarness { h in
            let (copy, api) = try await Open311Client.copy(h, offset: 3, ["HOTLINE_OPEN311_ANONYMOUS_PER_MINUTE": "3"])
            defer { copy.terminate() }
            var statuses: [Int] = []
            for _ in 0..<5 { statuses.append(try await api.get("/services.json").status) }
            XCTAssertEqual(statuses.prefix(3), [200, 200, 200])
            XCTAssertEqual(statuses.last, 429)
            let limited = try await api.get("/services.json")
            XCTAssertNotNil(limited.retryAfter)
            // A client with a key counts against its own limit.
            try await expectStatus(api, "/services.json?api_key=\(api.endpoint.apiKey)", 200)
            let metrics = try await copy.metrics()
            XCTAssertTrue(metrics.contains(#"hotline_open311_requests_total{route="services",status="429"}"#), metrics)
        }
    }
}

/// Fails unless `GET path` answers `status`.
private func expectStatus(_ api: Open311Client, _ path: String, _ status: Int, line: UInt = #line) async throws {
    let answer = try await api.get(path)
    XCTAssertEqual(answer.status, status, "\(path): \(answer.text)", line: line)
}

/// A small GeoReport v2 client over URLSession for the tests.
struct Open311Client: Sendable {
    struct Answer: Sendable {
        let status: Int
        let data: Data
        let retryAfter: String?
        let allow: String?

        var text: String { String(decoding: data, as: UTF8.self) }
        var records: [[String: Any]] { (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] ?? [] }
        var object: [String: Any]? { (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] }
    }

    let endpoint: Open311Endpoint
    let base: URL

    static func start(port: Int? = nil) async throws -> Open311Client {
        let endpoint = try await Open311Endpoint.start()
        let base = port.map { URL(string: "http://127.0.0.1:\($0)")! } ?? endpoint.baseURL
        return Open311Client(endpoint: endpoint, base: base)
    }

    /// A copy of the open311 service of its own, with `environment` added, its API on port base + 90 +
    /// `offset` and its health on the next port; and a client of it.
    static func copy(
        _ h: LifecycleHarness, offset: Int, _ environment: [String: String]
    ) async throws -> (ServiceProcess, Open311Client) {
        let port = h.stack.portBase + 90 + offset
        var environment = environment
        environment["HOTLINE_OPEN311_PORT"] = String(port)
        let copy = try h.platform.launch("open311", port: port + 1, key: "open311-\(offset)", environment: environment)
        try await copy.waitUntilHealthy()
        return (copy, try await start(port: port))
    }

    /// A request's fields with this client's key, from a citizen and at a place of their own (intake
    /// merges the same matter from the same citizen or at the same place).
    func request(
        description: String, category: String = "CG-001", phone: String = "139\(Int.random(in: 10_000_000...99_999_999))",
        first: String? = nil, last: String? = nil
    ) -> [String: String] {
        var fields = [
            "api_key": endpoint.apiKey, "service_code": category, "lat": String(format: "%.5f", Double.random(in: 22.60...22.80)),
            "long": String(format: "%.5f", Double.random(in: 114.30...114.50)),
            "address_string": "秀新路\(Int.random(in: 100_000...999_999))号", "description": description,
            "phone": phone, "attribute[street]": "坑梓街道",
        ]
        fields["first_name"] = first
        fields["last_name"] = last
        return fields
    }

    func post(_ fields: [String: String], format: String = "json") async throws -> Answer {
        var request = URLRequest(url: base.appendingPathComponent("requests.\(format)"))
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        request.httpBody = Data(fields.map { key, value in
            "\(key.addingPercentEncoding(withAllowedCharacters: allowed)!)=\(value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&").utf8)
        return try await send(request)
    }

    func get(_ path: String) async throws -> Answer {
        try await send(URLRequest(url: URL(string: base.absoluteString + path)!))
    }

    /// The one request of `GET /requests/{id}.json`.
    func lookup(_ ticketNo: String) async throws -> [String: Any] {
        let answer = try await get("/requests/\(ticketNo).json")
        XCTAssertEqual(answer.status, 200, answer.text)
        return try XCTUnwrap(answer.records.first, answer.text)
    }

    func send(_ request: URLRequest) async throws -> Answer {
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return Answer(
            status: http?.statusCode ?? 0, data: data, retryAfter: http?.value(forHTTPHeaderField: "Retry-After"),
            allow: http?.value(forHTTPHeaderField: "Allow"))
    }
}
