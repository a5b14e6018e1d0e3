import Foundation
import HotlineDomain
import XCTest
import Yams

/// The Open311 mapping (docs/open311.md): forms to submissions, outcomes to answers, tickets to what
/// the public may see.
final class Open311Tests: XCTestCase {
    static let catalogue: Open311Catalogue = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let text = try! String(contentsOf: root.appendingPathComponent("deploy/jurisdictions/pingshan.yaml"), encoding: .utf8)
        return Open311Catalogue(jurisdiction: try! YAMLDecoder().decode(JurisdictionFile.self, from: text))
    }()
    let now = Date(timeIntervalSince1970: 1_796_000_000)

    func testAFormIsReadAsTheStandardEncodesIt() {
        let form = Open311RequestForm(
            encoded: "api_key=k&jurisdiction_id=pingshan", "description=%E8%B7%AF%E7%81%AF+%E4%B8%8D%E4%BA%AE&attribute%5Bstreet%5D=%E5%9D%AA%E5%B1%B1%E8%A1%97%E9%81%93&lat=22.7&flag")
        XCTAssertEqual(form.fields["description"], "路灯 不亮")
        XCTAssertEqual(form.attributes["street"], "坪山街道")
        XCTAssertEqual(form.value("api_key"), "k")
        XCTAssertEqual(form.fields["flag"], "")
        XCTAssertNil(form.value("flag"), "a blank value is absent")
    }

    func testARequestBecomesASubmissionOfTheClientsChannel() throws {
        let form = Open311RequestForm(
            fields: [
                "service_code": "CG-001", "lat": "22.74", "long": "114.39", "address_string": "秀新路12号", "address_id": "A7",
                "description": "门口占道经营", "first_name": "女士", "last_name": "张", "phone": "13800138000",
                "email": "z@example.com", "media_url": "https://example.com/a.jpg",
            ],
            attributes: ["street": "坑梓街道", "kind": "complaint", "callback": "none", "title": " "])
        let body = try form.submission(submissionID: "open311:t", channel: .wechat, receivedAt: now, catalogue: Self.catalogue)
        XCTAssertEqual(body["submission_id"]?.stringValue, "open311:t")
        XCTAssertEqual(body["channel"]?.stringValue, "wechat")
        XCTAssertEqual(body["category"]?.stringValue, "CG-001")
        XCTAssertEqual(body["kind"]?.stringValue, "complaint")
        XCTAssertNil(body["title"], "a blank attribute is absent")
        XCTAssertEqual(body["citizen"]?["name"]?.stringValue, "张女士", "family name first")
        XCTAssertEqual(body["citizen"]?["phone"]?.stringValue, "13800138000")
        XCTAssertEqual(body["citizen"]?["anonymous"]?.boolValue, false)
        XCTAssertEqual(body["citizen"]?["callback"]?.stringValue, "none")
        XCTAssertNil(body["citizen"]?["email"], "the email is not kept")
        XCTAssertEqual(body["location"]?["street"]?.stringValue, "坑梓街道")
        XCTAssertEqual(body["location"]?["lat"]?.numberValue, 22.74)
        XCTAssertEqual(body["location"]?["lon"]?.numberValue, 114.39)
        XCTAssertEqual(body["location"]?["address"]?.stringValue, "秀新路12号 address_id:A7")
        XCTAssertEqual(body["attachments"]?[0]?["media_url"]?.stringValue, "https://example.com/a.jpg")
        XCTAssertNotNil(body["received_at"]?.stringValue.flatMap(RFC3339.date(from:)))

        let anonymous = Open311RequestForm(fields: ["service_code": "CG-001", "address_string": "x", "description": "d"])
        let plain = try anonymous.submission(submissionID: "s", channel: .app, receivedAt: now, catalogue: Self.catalogue)
        XCTAssertEqual(plain["citizen"]?["anonymous"]?.boolValue, true, "no phone: anonymous")
        XCTAssertNil(plain["citizen"]?["phone"])
    }

    func testWhatOnlyHTTPCanGetWrongIsRefusedHere() {
        func failure(_ fields: [String: String], _ attributes: [String: String] = [:]) -> Open311Failure? {
            do {
                _ = try Open311RequestForm(fields: fields, attributes: attributes)
                    .submission(submissionID: "s", channel: .app, receivedAt: now, catalogue: Self.catalogue)
                return nil
            } catch {
                return error
            }
        }
        XCTAssertEqual(failure([:]), Open311Failure(400, "service_code: required"))
        XCTAssertEqual(failure(["service_code": "XX-9"])?.status, 404)
        XCTAssertEqual(failure(["service_code": "CG-001"])?.descriptions, ["lat/long, address_string or address_id: one is required"])
        XCTAssertEqual(failure(["service_code": "CG-001", "lat": "1"])?.descriptions, [
            "lat, long: give both or neither", "lat/long, address_string or address_id: one is required",
        ])
        XCTAssertEqual(failure(["service_code": "CG-001", "lat": "n", "long": "1"])?.descriptions, [
            "lat, long: not numbers", "lat/long, address_string or address_id: one is required",
        ])
        let attributes = failure(["service_code": "CG-001", "address_string": "x"], ["street": "南山街道", "colour": "red", "urgency": "fast"])
        XCTAssertEqual(attributes?.status, 400)
        XCTAssertEqual(attributes?.descriptions.count, 2, "\(attributes?.descriptions ?? [])")
        XCTAssertTrue(attributes?.descriptions.contains { $0.hasPrefix("attribute[colour]: not an attribute") } == true)
        XCTAssertTrue(attributes?.descriptions.contains { $0.hasPrefix("attribute[street]: not one of 坪山街道") } == true)
    }

    func testIntakesOutcomesAnswerThePost() throws {
        func outcome(_ type: String, _ json: String) throws -> Open311Outcome {
            Open311Outcome(type: type, event: try JSONValue.parse(Data(json.utf8)))
        }
        let accepted = try outcome("ticket.accepted", #"{"ticket_no": "PS-20261204-000001"}"#).posted
        XCTAssertEqual(accepted.status, 201)
        XCTAssertEqual(accepted.document.root, "service_requests")
        guard case .list(let item, let records) = accepted.document.value, case .record(let fields)? = records.first else {
            return XCTFail("a list of one request")
        }
        XCTAssertEqual(item, "request")
        XCTAssertEqual(fields.first, .text("service_request_id", "PS-20261204-000001"))

        let merged = try outcome("ticket.merged", #"{"ticket_no": "PS-2", "merged_into": "PS-1"}"#)
        guard case .ticket("PS-2", let notice) = merged.decision else { return XCTFail("\(merged)") }
        XCTAssertTrue(notice.contains("PS-1"))

        let rejected = try outcome(
            "ticket.rejected", #"{"ticket_no": "PS-3", "reason": "emergency_redirect", "basis": "ZS §13", "emergency_number": "120"}"#)
        XCTAssertEqual(rejected.posted.status, 400)
        guard case .refused(let refusal) = rejected.decision else { return XCTFail("\(rejected)") }
        XCTAssertTrue(refusal.descriptions[0].contains("emergency_redirect") && refusal.descriptions[0].contains("120")
            && refusal.descriptions[0].contains("PS-3"), refusal.descriptions[0])

        let invalid = try outcome(
            "submission.invalid",
            #"{"errors": [{"field": "citizen.phone", "problem": "not a plausible phone number"}, {"field": "location.lon", "problem": "out of range"}, {"field": "description", "problem": "required"}]}"#)
        XCTAssertEqual(invalid.decision, .refused(Open311Failure(400, [
            "phone: not a plausible phone number", "long: out of range", "description: required",
        ])))
        XCTAssertEqual(invalid.resolved(token: "t").status, 400)
        XCTAssertEqual(try outcome("ticket.split", #"{"ticket_no": "PS-4", "children": ["PS-5"]}"#).resolved(token: "t").status, 200)
        XCTAssertEqual(Open311Outcome.pending(token: "t").status, 202)
    }

    func testALookupsFiltersAreChecked() throws {
        let plain = try Open311RequestQuery([:], now: now)
        XCTAssertEqual(plain.end, now)
        XCTAssertEqual(plain.end.timeIntervalSince(plain.start), Open311RequestQuery.maximumSpan)
        XCTAssertTrue(plain.open && plain.closed)
        let filtered = try Open311RequestQuery(["service_request_id": "A, B", "status": "open", "service_code": "CG-001"], now: now)
        XCTAssertEqual(filtered.ids, ["A", "B"])
        XCTAssertEqual(filtered.serviceCodes, ["CG-001"])
        XCTAssertTrue(filtered.open && !filtered.closed)
        XCTAssertThrowsError(try Open311RequestQuery(["status": "pending"], now: now))
        XCTAssertThrowsError(try Open311RequestQuery(["start_date": "2026-01-01"], now: now), "not RFC 3339")
        XCTAssertThrowsError(try Open311RequestQuery(["start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"], now: now))
        XCTAssertThrowsError(try Open311RequestQuery(["start_date": "2026-06-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"], now: now))
    }

    func testAPublicTicketShowsItsProgressButNoneOfTheCitizensData() throws {
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let received = try XCTUnwrap(RFC3339.date(from: "2026-12-01T09:00:00+08:00"))
        let resolveBy = try XCTUnwrap(RFC3339.date(from: "2026-12-10T18:00:00+08:00"))
        var ticket = PublicTicket(
            ticketNo: "PS-20261201-000001", status: .dispatched, kind: .complaint, category: "CG-001", title: nil, street: "坑梓街道",
            community: "秀新社区", lat: 22.741_26, lon: 114.389_74, receivedAt: received, updatedAt: received,
            handlers: [
                .init(unit: "ZJ", role: .co, resolveBy: nil), .init(unit: "CG", role: .lead, resolveBy: resolveBy),
            ],
            steps: [
                .init(at: received, action: "accepted"),
                .init(at: received.addingTimeInterval(60), action: "dispatched", detail: ["units": "CG,ZJ"]),
                .init(at: received.addingTimeInterval(86_400), action: "extended", detail: ["resolve_by": "2026-12-12T18:00:00+08:00"]),
            ])
        XCTAssertTrue(ticket.isPublic)
        let record = Dictionary(uniqueKeysWithValues: ticket.serviceRequest(catalogue: Self.catalogue, timeZone: zone).map { ($0.name, $0.value) })
        XCTAssertEqual(record["status"], .string("open"))
        XCTAssertEqual(record["agency_responsible"], .string("区城市管理和综合执法局、区住房和建设局"), "the lead first")
        XCTAssertEqual(record["expected_datetime"], .string("2026-12-10T18:00:00+08:00"))
        XCTAssertEqual(record["description"], .string("占道经营"), "the catalogue item's name when there is no title")
        XCTAssertEqual(record["address"], .string("坑梓街道 秀新社区"))
        XCTAssertEqual(record["lat"], .number(22.741))
        XCTAssertEqual(record["long"], .number(114.39))
        XCTAssertEqual(record["status_notes"], .string("""
            2026-12-01 09:00 已受理
            2026-12-01 09:01 已派发至 区城市管理和综合执法局、区住房和建设局
            2026-12-02 09:00 办理期限延长至 2026-12-12 18:00
            """))

        ticket.status = .resolved
        XCTAssertFalse(ticket.isOpen)
        ticket.kind = .report
        XCTAssertFalse(ticket.isPublic, "reports are never shown")
        ticket.kind = .complaint
        ticket.rejectionReason = "secret_or_privacy"
        XCTAssertFalse(ticket.isPublic)
    }
}
