import Foundation
import HotlineDomain
import XCTest

final class SubmissionCodingTests: XCTestCase {
    func testFullSubmissionRoundTrip() throws {
        let literal = #"""
        {
          "submission_id": "GW1-20261123-000042",
          "channel": "wechat",
          "received_at": "2026-11-23T09:15:00+08:00",
          "citizen": {"name": "张女士", "phone": "13800138000", "anonymous": false},
          "kind": "consultation",
          "urgency": "fast",
          "category": "CG-001",
          "title": "小区门口占道经营",
          "description": "两件事",
          "location": {"street": "坑梓街道", "community": "秀新社区", "address": "秀新路12号", "lat": 22.74, "lon": 114.39},
          "demands": [
            {"category": "CG-001", "description": "占道", "location": {"street": "坑梓街道"}},
            {"description": "噪音"}
          ],
          "answered_on_call": {"answer": "已答复", "knowledge_id": "KB-7"},
          "not_accepted": {"reason": "duplicate_in_progress", "note": "同一诉求"},
          "attachments": [{"url": "https://files.example/a.jpg"}]
        }
        """#
        let value = try ContractTestSupport.roundTrip(Submission.self, literal, expectedKeys: [
            "submission_id", "channel", "received_at", "citizen", "kind", "urgency", "category", "title", "description",
            "location", "demands", "answered_on_call", "not_accepted", "attachments",
        ])
        XCTAssertEqual(value.channel, .wechat)
        XCTAssertEqual(value.receivedAt, ContractTestSupport.time("2026-11-23T01:15:00Z"))
        XCTAssertEqual(value.urgency, .fast)
        XCTAssertEqual(value.demands?.count, 2)
        XCTAssertEqual(value.demands?[0].location?.street, "坑梓街道")
        XCTAssertEqual(value.answeredOnCall?.knowledgeID, "KB-7")
        XCTAssertEqual(value.notAccepted?.reason, .duplicateInProgress)
        XCTAssertEqual(value.attachments?.first?["url"], "https://files.example/a.jpg")
    }

    func testOptionalFieldsAreOmitted() throws {
        let literal = #"""
        {"submission_id": "s", "channel": "hotline", "received_at": "2026-11-23T09:15:00+08:00",
         "citizen": {"anonymous": true}, "description": "d"}
        """#
        let value = try ContractTestSupport.roundTrip(Submission.self, literal,
                                                      expectedKeys: ["submission_id", "channel", "received_at", "citizen", "description"])
        XCTAssertNil(value.citizen.phone)
        XCTAssertEqual(ContractTestSupport.keys(try HotlineJSON.encode(value.citizen)), ["anonymous"])
    }

    func testPartsRoundTrip() throws {
        XCTAssertEqual(
            try ContractTestSupport.roundTrip(Citizen.self, #"{"name": "李", "phone": "0755-12345678", "anonymous": false}"#,
                                              expectedKeys: ["name", "phone", "anonymous"]),
            Citizen(name: "李", phone: "0755-12345678", anonymous: false))
        XCTAssertEqual(
            try ContractTestSupport.roundTrip(Location.self, #"{"street": "s", "community": "c", "address": "a", "lat": -1.25, "lon": 2}"#,
                                              expectedKeys: ["street", "community", "address", "lat", "lon"]),
            Location(street: "s", community: "c", address: "a", lat: -1.25, lon: 2))
        XCTAssertEqual(
            try ContractTestSupport.roundTrip(Demand.self, #"{"category": "c", "description": "d", "location": {"address": "a"}}"#,
                                              expectedKeys: ["category", "description", "location"]),
            Demand(category: "c", description: "d", location: Location(address: "a")))
        XCTAssertEqual(
            try ContractTestSupport.roundTrip(AnsweredOnCall.self, #"{"answer": "a", "knowledge_id": "k"}"#, expectedKeys: ["answer", "knowledge_id"]),
            AnsweredOnCall(answer: "a", knowledgeID: "k"))
        XCTAssertEqual(
            try ContractTestSupport.roundTrip(NotAccepted.self, #"{"reason": "secret_or_privacy", "note": "n"}"#, expectedKeys: ["reason", "note"]),
            NotAccepted(reason: .secretOrPrivacy, note: "n"))
    }

    func testNonAcceptanceReasonCodes() {
        XCTAssertEqual(NonAcceptanceReason.allCases.map(\.rawValue), [
            "out_of_jurisdiction", "other_authority", "legal_procedure", "petition", "secret_or_privacy", "unlawful",
            "no_substance", "duplicate_in_progress", "concluded_matter", "emergency_redirect", "unverifiable_anonymous", "other",
        ])
    }

    func testDecodingRefusesTimesWithoutOffset() {
        let literal = #"""
        {"submission_id": "s", "channel": "hotline", "received_at": "2026-11-23T09:15:00",
         "citizen": {"anonymous": true}, "description": "d"}
        """#
        XCTAssertThrowsError(try HotlineJSON.decode(Submission.self, from: Data(literal.utf8)))
    }
}
