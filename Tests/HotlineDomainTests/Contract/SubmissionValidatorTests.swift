import Foundation
import HotlineDomain
import XCTest

final class SubmissionValidatorTests: XCTestCase {
    private let now = ContractTestSupport.time("2026-11-23T09:20:00+08:00")

    /// The contract's example, as a mutable tree.
    private func example() -> [String: JSONValue] {
        [
            "submission_id": "GW1-20261123-000042",
            "channel": "hotline",
            "received_at": "2026-11-23T09:15:00+08:00",
            "citizen": ["name": "张女士", "phone": "13800138000", "anonymous": false],
            "kind": "complaint",
            "urgency": "normal",
            "category": "CG-001",
            "title": "小区门口占道经营",
            "description": "小区门口每天晚上有流动摊贩占道经营，影响通行。",
            "location": ["street": "坑梓街道", "community": "秀新社区", "address": "秀新路12号", "lat": 22.74, "lon": 114.39],
            "demands": [],
            "answered_on_call": nil,
            "not_accepted": nil,
            "attachments": [],
        ]
    }

    private func body(_ object: [String: JSONValue]) -> Data {
        (try? HotlineJSON.encode(JSONValue.object(object))) ?? Data()
    }

    private func validate(_ object: [String: JSONValue]) -> SubmissionValidation {
        SubmissionValidator.validate(body: body(object), now: now)
    }

    private func validate(_ text: String) -> SubmissionValidation {
        SubmissionValidator.validate(body: Data(text.utf8), now: now)
    }

    /// Applies `change` to the example and returns the problems.
    private func problems(_ change: (inout [String: JSONValue]) -> Void) -> [FieldProblem] {
        var object = example()
        change(&object)
        return validate(object).problems
    }

    private func citizen(_ members: [String: JSONValue]) -> JSONValue { .object(members) }

    private func assertValid(
        _ change: (inout [String: JSONValue]) -> Void, file: StaticString = #filePath, line: UInt = #line
    ) {
        let found = problems(change)
        XCTAssertEqual(found, [], file: file, line: line)
    }

    private func assertProblem(
        _ field: String, contains phrase: String, _ change: (inout [String: JSONValue]) -> Void,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let found = problems(change)
        XCTAssertTrue(found.contains { $0.field == field && $0.problem.contains(phrase) },
                      "expected \(field): …\(phrase)…, got \(found)", file: file, line: line)
    }

    // MARK: - The example

    func testContractExampleIsValid() throws {
        let literal = #"""
        {
          "submission_id": "GW1-20261123-000042",
          "channel": "hotline",
          "received_at": "2026-11-23T09:15:00+08:00",
          "citizen": {"name": "张女士", "phone": "13800138000", "anonymous": false},
          "kind": "complaint",
          "urgency": "normal",
          "category": "CG-001",
          "title": "小区门口占道经营",
          "description": "……",
          "location": {"street": "坑梓街道", "community": "秀新社区", "address": "秀新路12号", "lat": 22.74, "lon": 114.39},
          "demands": [],
          "answered_on_call": null,
          "not_accepted": null,
          "attachments": []
        }
        """#
        let result = validate(literal)
        let submission = try XCTUnwrap(result.submission, "\(result.problems)")
        XCTAssertEqual(submission.submissionID, "GW1-20261123-000042")
        XCTAssertEqual(submission.channel, .hotline)
        XCTAssertEqual(submission.receivedAt, ContractTestSupport.time("2026-11-23T01:15:00Z"))
        XCTAssertEqual(submission.citizen, Citizen(name: "张女士", phone: "13800138000", anonymous: false))
        XCTAssertEqual(submission.kind, .complaint)
        XCTAssertEqual(submission.urgency, .normal)
        XCTAssertEqual(submission.category, "CG-001")
        XCTAssertEqual(submission.title, "小区门口占道经营")
        XCTAssertEqual(submission.description, "……")
        XCTAssertEqual(submission.location, Location(street: "坑梓街道", community: "秀新社区", address: "秀新路12号", lat: 22.74, lon: 114.39))
        XCTAssertEqual(submission.demands, [])
        XCTAssertFalse(submission.isSplit)
        XCTAssertNil(submission.answeredOnCall)
        XCTAssertNil(submission.notAccepted)
        XCTAssertEqual(submission.attachments, [])
        // The same bytes as [UInt8] give the same result.
        XCTAssertEqual(SubmissionValidator.validate(body: Array(literal.utf8), now: now), result)
    }

    func testMinimalSubmissionIsValid() throws {
        let result = validate(#"""
        {"submission_id": "x", "channel": "web", "received_at": "2026-11-23T01:00:00Z",
         "citizen": {"anonymous": true}, "description": "路灯不亮"}
        """#)
        let submission = try XCTUnwrap(result.submission, "\(result.problems)")
        XCTAssertEqual(submission.citizen, Citizen(name: nil, phone: nil, anonymous: true))
        XCTAssertNil(submission.kind)
        XCTAssertNil(submission.demands)
        XCTAssertNil(submission.location)
    }

    func testUnknownFieldsAreIgnored() {
        assertValid { $0["gateway_extra"] = ["anything": [1, 2, 3]] }
    }

    func testEveryProblemIsListed() {
        let result = validate(#"""
        {"channel": "fax", "received_at": "yesterday", "citizen": {"anonymous": false},
         "kind": "praise", "urgency": 3, "description": "   ", "title": 42,
         "location": {"lat": 91, "lon": "east"}, "demands": [{"description": "a"}],
         "not_accepted": {"reason": "bored"}}
        """#)
        let fields = Set(result.problems.map(\.field))
        XCTAssertEqual(fields, [
            "submission_id", "channel", "received_at", "citizen.phone", "kind", "urgency", "description", "title",
            "location.lat", "location.lon", "demands", "not_accepted.reason",
        ])
        XCTAssertTrue(result.problems.contains(FieldProblem(field: "submission_id", problem: "required")))
        XCTAssertNil(result.submission)
    }

    // MARK: - submission_id

    /// PS §11(一): a demand the national or provincial platform assigned carries that platform's case.
    func testSuperiorCase() throws {
        let superior: JSONValue = ["platform": "国务院“互联网+督查”平台", "case_no": "GWY-2026-0001", "resolve_by": "2026-12-01T18:00:00+08:00"]
        XCTAssertEqual(problems { $0["channel"] = "national"; $0["superior_case"] = superior }, [])
        guard case .valid(let submission) = validate(example().merging(["channel": "provincial", "superior_case": superior]) { $1 })
        else { return XCTFail("invalid") }
        XCTAssertEqual(submission.superiorCase?.caseNo, "GWY-2026-0001")
        XCTAssertEqual(submission.superiorCase?.resolveBy, ContractTestSupport.time("2026-12-01T18:00:00+08:00"))
        XCTAssertEqual(problems { $0["superior_case"] = superior }.map(\.field), ["superior_case"], "not from the hotline channel")
        XCTAssertEqual(
            problems { $0["channel"] = "national"; $0["superior_case"] = ["platform": "省平台", "case_no": " ", "resolve_by": "2026-11-23T09:00:00+08:00"] }
                .map(\.field),
            ["superior_case.case_no"])
        XCTAssertEqual(
            problems { $0["channel"] = "national"; $0["superior_case"] = ["platform": "省平台", "case_no": "1", "resolve_by": "2026-11-23T09:00:00+08:00"] }
                .map(\.field),
            ["superior_case.resolve_by"], "not after received_at")
        XCTAssertEqual(
            problems { $0["channel"] = "national"; $0["superior_case"] = ["platform": "省平台"] }.map(\.field),
            ["superior_case.case_no", "superior_case.resolve_by"])
    }

    func testSubmissionIDLength() {
        assertValid { $0["submission_id"] = .string(String(repeating: "a", count: 64)) }
        assertValid { $0["submission_id"] = "a" }
        assertProblem("submission_id", contains: "64") { $0["submission_id"] = .string(String(repeating: "a", count: 65)) }
        assertProblem("submission_id", contains: "1-64") { $0["submission_id"] = "" }
        assertProblem("submission_id", contains: "must be a string") { $0["submission_id"] = 42 }
        assertProblem("submission_id", contains: "required") { $0["submission_id"] = .null }
        assertProblem("submission_id", contains: "required") { $0.removeValue(forKey: "submission_id") }
    }

    func testSubmissionIDCountsCodePointsNotBytes() {
        // 64 Chinese characters are 192 bytes but 64 characters.
        assertValid { $0["submission_id"] = .string(String(repeating: "单", count: 64)) }
    }

    // MARK: - channel, kind, urgency

    func testEnumerations() {
        for channel in Channel.allCases { assertValid { $0["channel"] = .string(channel.rawValue) } }
        assertProblem("channel", contains: "must be one of: hotline, web, wechat, app, mailbox, grid, deputy, media, national, provincial, other") {
            $0["channel"] = "fax"
        }
        assertProblem("channel", contains: "required") { $0.removeValue(forKey: "channel") }
        assertProblem("kind", contains: "must be one of: consultation, help, complaint, report, suggestion") { $0["kind"] = "Complaint" }
        assertProblem("urgency", contains: "must be one of: urgent, fast, normal") { $0["urgency"] = true }
        assertValid { $0["kind"] = .null; $0["urgency"] = .null; $0.removeValue(forKey: "category") }
    }

    // MARK: - received_at

    func testReceivedAtFutureSkew() {
        assertValid { $0["received_at"] = "2026-11-23T09:24:00+08:00" }  // 4 minutes after now
        assertValid { $0["received_at"] = "2026-11-23T09:25:00+08:00" }  // exactly 5
        assertProblem("received_at", contains: "in the future") { $0["received_at"] = "2026-11-23T09:26:00+08:00" }  // 6
        assertProblem("received_at", contains: "in the future") { $0["received_at"] = "2026-11-23T01:26:00Z" }
        assertValid { $0["received_at"] = "2020-01-01T00:00:00Z" }
    }

    func testReceivedAtCustomSkew() {
        var object = example()
        object["received_at"] = "2026-11-23T09:26:00+08:00"
        let relaxed = SubmissionValidator.validate(body: body(object), now: now, limits: SubmissionLimits(futureSkew: 10 * 60))
        XCTAssertNotNil(relaxed.submission)
    }

    func testReceivedAtFormat() {
        let bad = [
            "2026-11-23T09:15:00", "2026-11-23 09:15:00+08:00", "2026-11-23", "2026-02-30T09:15:00+08:00",
            "2026-11-23T24:00:00+08:00", "2026-11-23T09:15:00+0800", "2026-11-23T09:15:00+08", "23/11/2026 09:15",
            "2026-11-23T09:15:00.+08:00", "",
        ]
        for text in bad {
            assertProblem("received_at", contains: "not an RFC 3339 time with an offset") { $0["received_at"] = .string(text) }
        }
        assertProblem("received_at", contains: "must be a string") { $0["received_at"] = 1_795_000_000 }
        assertValid { $0["received_at"] = "2026-11-23T01:15:00Z" }
        assertValid { $0["received_at"] = "2026-11-23t01:15:00.123456z" }
        assertValid { $0["received_at"] = "2026-11-22T20:15:00-05:00" }
    }

    func testReceivedAtKeepsTheInstant() throws {
        var object = example()
        object["received_at"] = "2026-11-22T20:15:00.5-05:00"
        let submission = try XCTUnwrap(validate(object).submission)
        XCTAssertEqual(submission.receivedAt.timeIntervalSince1970, ContractTestSupport.time("2026-11-23T01:15:00Z").timeIntervalSince1970 + 0.5, accuracy: 0.0001)
    }

    // MARK: - citizen

    func testCitizenPhoneRules() {
        assertValid { $0["citizen"] = citizen(["anonymous": true]) }
        assertValid { $0["citizen"] = citizen(["anonymous": true, "phone": nil]) }
        assertValid { $0["citizen"] = citizen(["phone": "+8613800138000", "anonymous": false]) }
        assertValid { $0["citizen"] = citizen(["phone": "+86 13800138000", "anonymous": false]) }
        assertValid { $0["citizen"] = citizen(["phone": "0755-12345678", "anonymous": false]) }
        assertValid { $0["citizen"] = citizen(["phone": "075512345678", "anonymous": false]) }
        assertValid { $0["citizen"] = citizen(["phone": "010-12345678", "anonymous": false]) }
        assertValid { $0["citizen"] = citizen(["phone": "+86-755-12345678", "anonymous": false]) }
        assertProblem("citizen.phone", contains: "required unless anonymous") { $0["citizen"] = citizen(["anonymous": false]) }
        assertProblem("citizen.phone", contains: "required unless anonymous") { $0["citizen"] = citizen(["phone": " ", "anonymous": false]) }
        assertProblem("citizen.phone", contains: "not a plausible phone number") {
            $0["citizen"] = citizen(["phone": "138001380001", "anonymous": false])  // 12-digit "mobile"
        }
        for phone in ["1380013800", "12345678901", "12345", "abc", "10086", "0755-1234", "13800138000x", "+1 2025550123"] {
            assertProblem("citizen.phone", contains: "not a plausible phone number") {
                $0["citizen"] = citizen(["phone": .string(phone), "anonymous": false])
            }
        }
        // The callback channel (ZS §23): one of the contract's values.
        assertValid { $0["citizen"] = citizen(["phone": "13800138000", "anonymous": false, "callback": "phone"]) }
        assertProblem("citizen.callback", contains: "must be one of: sms, phone, none") {
            $0["citizen"] = citizen(["phone": "13800138000", "anonymous": false, "callback": "pigeon"])
        }
        // A phone given by an anonymous citizen must still be plausible.
        assertProblem("citizen.phone", contains: "not a plausible phone number") {
            $0["citizen"] = citizen(["phone": "123", "anonymous": true])
        }
        assertProblem("citizen.phone", contains: "must be a string") {
            $0["citizen"] = citizen(["phone": 13_800_138_000, "anonymous": false])
        }
    }

    func testCitizenShape() {
        assertProblem("citizen", contains: "required") { $0.removeValue(forKey: "citizen") }
        assertProblem("citizen", contains: "required") { $0["citizen"] = .null }
        assertProblem("citizen", contains: "must be an object") { $0["citizen"] = "张女士" }
        assertProblem("citizen.anonymous", contains: "required") { $0["citizen"] = citizen(["phone": "13800138000"]) }
        assertProblem("citizen.anonymous", contains: "must be a boolean") {
            $0["citizen"] = citizen(["phone": "13800138000", "anonymous": "no"])
        }
        assertProblem("citizen.name", contains: "longer than 100") {
            $0["citizen"] = citizen(["name": .string(String(repeating: "名", count: 101)), "phone": "13800138000", "anonymous": false])
        }
    }

    func testMainlandPhoneNumber() {
        XCTAssertTrue(MainlandPhoneNumber.isPlausible("13800138000"))
        XCTAssertTrue(MainlandPhoneNumber.isPlausible("19912345678"))
        XCTAssertTrue(MainlandPhoneNumber.isPlausible(" 13800138000 "))
        XCTAssertTrue(MainlandPhoneNumber.isPlausible("008613800138000"))
        XCTAssertTrue(MainlandPhoneNumber.isPlausible("0755-2345678"))
        XCTAssertTrue(MainlandPhoneNumber.isPlausible("07552345678"))
        XCTAssertFalse(MainlandPhoneNumber.isPlausible("12800138000"))  // 12x is not a mobile prefix
        XCTAssertFalse(MainlandPhoneNumber.isPlausible("1380013800"))  // 10 digits
        XCTAssertFalse(MainlandPhoneNumber.isPlausible("138001380001"))  // 12 digits
        XCTAssertFalse(MainlandPhoneNumber.isPlausible("010-2345678"))  // 3-digit area code needs 8 digits
        XCTAssertFalse(MainlandPhoneNumber.isPlausible("0755-0345678"))
        XCTAssertFalse(MainlandPhoneNumber.isPlausible("+86"))
        XCTAssertFalse(MainlandPhoneNumber.isPlausible(""))
        XCTAssertFalse(MainlandPhoneNumber.isPlausible("１３８００１３８０００"))  // full-width digits
    }

    // MARK: - description, title, category

    func testDescription() {
        assertValid { $0["description"] = .string(String(repeating: "字", count: 10_000)) }
        assertProblem("description", contains: "longer than 10000") { $0["description"] = .string(String(repeating: "字", count: 10_001)) }
        assertProblem("description", contains: "must not be blank") { $0["description"] = " \n\t\u{3000}" }
        assertProblem("description", contains: "must not be blank") { $0["description"] = "" }
        assertProblem("description", contains: "required") { $0.removeValue(forKey: "description") }
        assertProblem("description", contains: "must be a string") { $0["description"] = ["a"] }
        assertProblem("description", contains: "NUL") { $0["description"] = "a\u{0}b" }
    }

    func testOddUnicodeIsAccepted() throws {
        var object = example()
        let text = "👩‍👩‍👧‍👦 e\u{301}\u{301}\u{301} \u{202E}abc \u{FEFF} 𠀀 \u{10FFFF}"
        object["description"] = .string(text)
        let submission = try XCTUnwrap(validate(object).submission)
        XCTAssertEqual(submission.description, text)
    }

    func testTitleAndCategory() {
        assertValid { $0["title"] = .string(String(repeating: "t", count: 200)) }
        assertProblem("title", contains: "longer than 200") { $0["title"] = .string(String(repeating: "t", count: 201)) }
        assertProblem("category", contains: "must be a string") { $0["category"] = 1 }
        assertProblem("category", contains: "longer than 64") { $0["category"] = .string(String(repeating: "C", count: 65)) }
    }

    // MARK: - location

    func testLocation() {
        assertValid { $0["location"] = .null }
        assertValid { $0["location"] = ["address": .string(String(repeating: "址", count: 500))] }
        assertValid { $0["location"] = ["lat": -90, "lon": 180] }
        assertProblem("location.address", contains: "longer than 500") { $0["location"] = ["address": .string(String(repeating: "址", count: 501))] }
        assertProblem("location.lat", contains: "between -90 and 90") { $0["location"] = ["lat": 90.0001, "lon": 114] }
        assertProblem("location.lon", contains: "between -180 and 180") { $0["location"] = ["lat": 22, "lon": -180.5] }
        assertProblem("location.lat", contains: "must be a number") { $0["location"] = ["lat": "22.7", "lon": 114] }
        assertProblem("location.lon", contains: "required with lat") { $0["location"] = ["lat": 22.7] }
        assertProblem("location", contains: "must be an object") { $0["location"] = "坑梓" }
        assertProblem("location.street", contains: "must be a string") { $0["location"] = ["street": false] }
    }

    // MARK: - demands

    func testDemands() throws {
        assertValid { $0["demands"] = [] }
        assertValid { $0["demands"] = .null }
        assertProblem("demands", contains: "2 or more") { $0["demands"] = [["description": "一"]] }
        assertProblem("demands", contains: "must be an array") { $0["demands"] = ["description": "一"] }
        assertProblem("demands[1].description", contains: "must not be blank") {
            $0["demands"] = [["description": "一"], ["description": "  "]]
        }
        assertProblem("demands[0].description", contains: "required") { $0["demands"] = [["category": "CG-001"], ["description": "二"]] }
        assertProblem("demands[1]", contains: "must be an object") { $0["demands"] = [["description": "一"], "二"] }
        assertProblem("demands[0].location.lat", contains: "between") {
            $0["demands"] = [["description": "一", "location": ["lat": 100, "lon": 1]], ["description": "二"]]
        }
        assertProblem("demands", contains: "more than 20") {
            $0["demands"] = .array(Array(repeating: ["description": "x"], count: 21))
        }

        var object = example()
        object["demands"] = [["category": "CG-001", "description": "一"], ["description": "二", "location": ["street": "坪山街道"]]]
        let submission = try XCTUnwrap(validate(object).submission)
        XCTAssertTrue(submission.isSplit)
        XCTAssertEqual(submission.demands, [
            Demand(category: "CG-001", description: "一"),
            Demand(description: "二", location: Location(street: "坪山街道")),
        ])
    }

    // MARK: - answered_on_call, not_accepted, attachments

    func testAnsweredOnCall() throws {
        assertProblem("answered_on_call.answer", contains: "must not be blank") { $0["answered_on_call"] = ["answer": " "] }
        assertProblem("answered_on_call.answer", contains: "required") { $0["answered_on_call"] = ["knowledge_id": "KB-1"] }
        assertProblem("answered_on_call", contains: "must be an object") { $0["answered_on_call"] = "yes" }
        var object = example()
        object["kind"] = "consultation"
        object["answered_on_call"] = ["answer": "工作日9点到18点办理。", "knowledge_id": "KB-0042"]
        let submission = try XCTUnwrap(validate(object).submission)
        XCTAssertEqual(submission.answeredOnCall, AnsweredOnCall(answer: "工作日9点到18点办理。", knowledgeID: "KB-0042"))
    }

    func testNotAccepted() throws {
        for reason in NonAcceptanceReason.allCases {
            assertValid { $0["not_accepted"] = ["reason": .string(reason.rawValue)] }
        }
        assertProblem("not_accepted.reason", contains: "must be one of: out_of_jurisdiction, other_authority") {
            $0["not_accepted"] = ["reason": "lazy"]
        }
        assertProblem("not_accepted.reason", contains: "required") { $0["not_accepted"] = ["note": "x"] }
        assertProblem("not_accepted.note", contains: "must be a string") { $0["not_accepted"] = ["reason": "petition", "note": 1] }
        assertProblem("not_accepted", contains: "cannot be combined") {
            $0["answered_on_call"] = ["answer": "a"]
            $0["not_accepted"] = ["reason": "other"]
        }
        var object = example()
        object["not_accepted"] = ["reason": "emergency_redirect", "note": "已转110"]
        let submission = try XCTUnwrap(validate(object).submission)
        XCTAssertEqual(submission.notAccepted, NotAccepted(reason: .emergencyRedirect, note: "已转110"))
    }

    func testAttachments() throws {
        assertProblem("attachments", contains: "must be an array") { $0["attachments"] = ["url": "x"] }
        assertProblem("attachments[0].name", contains: "NUL") { $0["attachments"] = [["name": "a\u{0}"]] }
        assertProblem("attachments", contains: "more than 50") { $0["attachments"] = .array(Array(repeating: "x", count: 51)) }
        var object = example()
        object["attachments"] = [["url": "https://files.example/1.jpg", "size": 12_345, "tags": ["photo"]]]
        let submission = try XCTUnwrap(validate(object).submission)
        XCTAssertEqual(submission.attachments?.first?["url"], "https://files.example/1.jpg")
        XCTAssertEqual(submission.attachments?.first?["size"]?.intValue, 12_345)
    }

    // MARK: - body

    func testOversizedBody() {
        var object = example()
        object["description"] = .string(String(repeating: "a", count: 300 * 1024))
        let problems = validate(object).problems
        XCTAssertEqual(problems, [FieldProblem(field: "body", problem: "larger than 256 KiB")])
        // Just under the limit is judged on its fields instead.
        var small = example()
        small["description"] = .string(String(repeating: "a", count: 10_000))
        XCTAssertGreaterThan(body(small).count, 10_000)
        XCTAssertNotNil(validate(small).submission)
    }

    func testNonUTF8Body() {
        let bytes: [UInt8] = Array(#"{"submission_id": ""#.utf8) + [0xFF, 0xFE, 0xC3] + Array(#""}"#.utf8)
        XCTAssertEqual(SubmissionValidator.validate(body: bytes, now: now).problems, [FieldProblem(field: "body", problem: "not UTF-8")])
        XCTAssertEqual(SubmissionValidator.validate(body: Data([0xC0, 0x80]), now: now).problems.first?.field, "body")
        // An encoded surrogate (CESU-8) is not UTF-8 either.
        XCTAssertEqual(SubmissionValidator.validate(body: Data([0x22, 0xED, 0xA0, 0x80, 0x22]), now: now).problems.first?.problem, "not UTF-8")
    }

    func testNotJSON() {
        let text = String(decoding: body(example()), as: UTF8.self)
        let truncated = String(text.prefix(text.count / 2))
        for input in [truncated, "", "   ", "{", "{\"a\":}", "{'a': 1}", "{\"a\": 1,}", "{\"a\": 01}", "{\"a\": 1} x", "nul", "{\"a\": \"\\x\"}", "{\"a\": \"\u{1}\"}"] {
            let problems = validate(input).problems
            XCTAssertEqual(problems.count, 1, input)
            XCTAssertEqual(problems.first?.field, "body", input)
            XCTAssertTrue(problems.first?.problem.hasPrefix("not valid JSON") ?? false, "\(input): \(problems)")
        }
    }

    func testNotAnObject() {
        for input in ["[]", #"[{"submission_id": "x"}]"#, "null", "42", #""text""#, "true"] {
            let problems = validate(input).problems
            XCTAssertEqual(problems.count, 1, input)
            XCTAssertEqual(problems.first?.field, "body")
            XCTAssertTrue(problems.first?.problem.hasPrefix("must be a JSON object") ?? false, "\(problems)")
        }
    }

    func testDeepNestingDoesNotCrash() {
        let open = String(repeating: "[", count: 10_000)
        XCTAssertEqual(validate(open).problems.first?.field, "body")
        XCTAssertEqual(validate(open + String(repeating: "]", count: 10_000)).problems.first?.field, "body")
        let objects = String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        XCTAssertEqual(validate(objects).problems.first?.problem.contains("nested deeper"), true)
        var object = example()
        var deep: JSONValue = 1
        for _ in 0..<40 { deep = [deep] }
        object["attachments"] = [deep]
        XCTAssertEqual(validate(object).problems.first?.field, "body")
    }

    func testHugeNumbersAndEscapes() {
        XCTAssertEqual(validate(#"{"submission_id": 1e400}"#).problems.first?.problem.contains("number out of range"), true)
        XCTAssertEqual(validate(#"{"submission_id": "\ud800"}"#).problems.first?.problem.contains("surrogate"), true)
        let long = "{\"location\": {\"lat\": " + String(repeating: "9", count: 5_000) + "}}"
        XCTAssertEqual(validate(long).problems.first?.field, "body")
        // A valid surrogate pair is fine.
        assertValid { $0["title"] = "😀" }
        XCTAssertNil(validate(#"{"submission_id": "\ud83d\ude00", "channel": "web"}"#).problems.first { $0.field == "submission_id" })
    }

    func testDuplicateKeysAreRefused() {
        let problems = validate(#"{"submission_id": "a", "submission_id": "b"}"#).problems
        XCTAssertEqual(problems.count, 1)
        XCTAssertEqual(problems.first?.field, "body")
        XCTAssertEqual(problems.first?.problem.contains("duplicate key"), true)
    }

    func testProbableSubmissionID() {
        XCTAssertEqual(SubmissionValidator.probableSubmissionID(body: Data(#"{"submission_id": "GW1-1", "channel": 5}"#.utf8)), "GW1-1")
        XCTAssertNil(SubmissionValidator.probableSubmissionID(body: Data(#"{"submission_id": 5}"#.utf8)))
        XCTAssertNil(SubmissionValidator.probableSubmissionID(body: Data("[".utf8)))
        XCTAssertNil(SubmissionValidator.probableSubmissionID(body: Data([0xFF])))
    }

    /// Random damage to a valid body: every result is either a submission or a non-empty list of problems
    /// with non-empty fields and phrases.
    func testRandomDamageNeverCrashes() {
        let base = [UInt8](body(example()))
        var generator = SplitMix64(seed: 12345)
        var invalid = 0
        for round in 0..<3_000 {
            var bytes = base
            switch round % 4 {
            case 0: bytes = Array(bytes.prefix(Int(generator.next() % UInt64(bytes.count))))
            case 1:
                for _ in 0..<3 { bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next()) }
            case 2: bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: Int(generator.next() % UInt64(bytes.count)))
            default: bytes.remove(at: Int(generator.next() % UInt64(bytes.count)))
            }
            switch SubmissionValidator.validate(body: bytes, now: now) {
            case .valid(let submission):
                XCTAssertFalse(submission.submissionID.isEmpty)
            case .invalid(let problems):
                invalid += 1
                XCTAssertFalse(problems.isEmpty)
                XCTAssertTrue(problems.allSatisfy { !$0.field.isEmpty && !$0.problem.isEmpty })
            }
        }
        XCTAssertGreaterThan(invalid, 1_000)
    }

    func testFieldProblemCoding() throws {
        let problem = try ContractTestSupport.roundTrip(
            FieldProblem.self, #"{"field": "citizen.phone", "problem": "not a plausible phone number"}"#,
            expectedKeys: ["field", "problem"])
        XCTAssertEqual(problem, FieldProblem(field: "citizen.phone", problem: "not a plausible phone number"))
        XCTAssertEqual(problem.description, "citizen.phone: not a plausible phone number")
    }
}

/// A small deterministic random generator for the damage test.
private struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
