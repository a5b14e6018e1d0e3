import Foundation
import HotlineDomain
import HotlineMessaging
import XCTest

/// 10,000 random mutations of valid submissions (dropped fields, wrong types, huge strings, invalid
/// UTF-8, truncated JSON, …) through the broker: the intake service keeps running, every message gets
/// exactly one outcome, and nothing is left unacked or lost.
final class IntakeRobustnessTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    static let outcomeTypes = EventType.allCases.filter(\.isIntakeOutcome).map(\.rawValue)

    func testTenThousandMutatedSubmissions() async throws {
        let environment = ProcessInfo.processInfo.environment
        let total = environment["HOTLINE_ROBUSTNESS_COUNT"].flatMap(Int.init) ?? 10_000
        let seed = environment["HOTLINE_ROBUSTNESS_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max)
        let context = "seed \(seed) (rerun with HOTLINE_ROBUSTNESS_SEED=\(seed))"
        let platform = try await Platform.start()
        let stack = platform.stack
        let run = "ROB-\(UUID().uuidString.prefix(6))"
        let events = Observer.bound(to: "hotline.events", routingKeys: Self.outcomeTypes, stack: stack)
        await events.waitUntilConnected()
        let deadBefore = try await stack.admin().messageCount(queue: "hotline.dead")

        var generator = SubmissionMutator(seed: seed, run: run)
        var kinds: [String: Int] = [:]
        var messages: [OutgoingMessage] = []
        messages.reserveCapacity(total)
        for index in 0..<total {
            let (body, kind) = generator.next(index)
            kinds[kind, default: 0] += 1
            messages.append(OutgoingMessage(
                exchange: "hotline.intake", routingKey: "ticket.submit",
                properties: AMQPProperties(
                    messageID: "\(run)-\(index)", type: "ticket.submit", userID: "gateway", timestamp: Date()),
                body: body, mandatory: false))
        }
        let gateway = TestPublisher(user: "gateway", stack: stack)
        await gateway.publishAll(messages)

        // Every message gets its outcome.
        let prefix = "\(run)-"
        let observed = await events.wait(forDistinct: total, timeout: 900, key: { $0.properties.correlationID }) {
            $0.properties.correlationID?.hasPrefix(prefix) == true
        }
        var outcomes: [String: Set<String>] = [:]
        var types: [String: Int] = [:]
        for message in observed {
            outcomes[message.properties.correlationID ?? "", default: []].insert(message.string("event_id") ?? "")
        }
        for message in observed where outcomes[message.properties.correlationID ?? ""]?.first == message.string("event_id") {
            types[message.properties.type ?? "?", default: 0] += 1
        }
        let missing = (0..<total).map { "\(run)-\($0)" }.filter { outcomes[$0] == nil }
        XCTAssertEqual(missing.count, 0, "messages without an outcome, e.g. \(missing.prefix(5)); \(context)")
        let doubled = outcomes.filter { $0.value.count != 1 }.map(\.key)
        XCTAssertEqual(doubled.count, 0, "messages with more than one outcome, e.g. \(doubled.prefix(5)); \(context)")
        XCTAssertTrue(observed.allSatisfy { Self.outcomeTypes.contains($0.properties.type ?? "") })
        XCTAssertGreaterThan(types["submission.invalid"] ?? 0, total / 4, "\(types)")
        XCTAssertGreaterThan(types["ticket.accepted"] ?? 0, total / 50, "\(types)")

        // The service is still up, and nothing is left in its queue, ready or unacked.
        let intake = try XCTUnwrap(platform.process("intake"))
        XCTAssertTrue(intake.isRunning, "the intake service is still running")
        try await intake.waitUntilHealthy(timeout: 30)
        let deadline = Date().addingTimeInterval(60)
        var counts = (ready: -1, unacked: -1)
        repeat {
            counts = try queueCounts("hotline.intake.submissions", stack: stack)
            if counts == (0, 0) { break }
            try await Task.sleep(for: .milliseconds(500))
        } while Date() < deadline
        XCTAssertEqual(counts.ready, 0, "ready messages left; \(context)")
        XCTAssertEqual(counts.unacked, 0, "unacked messages left; \(context)")
        let deadAfter = try await stack.admin().messageCount(queue: "hotline.dead")
        XCTAssertEqual(deadAfter, deadBefore, "nothing dead-lettered; \(context)")

        // Every outcome is recorded: an invalid message kept whole, or the submission's stored outcome.
        let database = stack.database()
        let invalid = try await database.scalar(
            "SELECT count(*) AS n FROM invalid_messages WHERE consumer = 'intake' AND message_id LIKE $1", [prefix + "%"])
        XCTAssertEqual(invalid, types["submission.invalid"] ?? 0, context)
        let unpublished = try await database.scalar("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL AND correlation_id LIKE $1", [prefix + "%"])
        XCTAssertEqual(unpublished, 0)
        print("robustness: \(total) messages, \(context), mutations \(kinds.sorted { $0.key < $1.key }), outcomes \(types)")

        await database.shutdown()
        await gateway.close()
        await events.close(deleting: true, stack: stack)
    }

    /// Ready and unacknowledged messages of a queue, from `rabbitmqctl list_queues`.
    private func queueCounts(_ queue: String, stack: TestStack) throws -> (ready: Int, unacked: Int) {
        let vhost = try AMQPConfiguration(url: stack.adminAMQPURL).virtualHost
        let listing = try stack.rabbitmqctl("-q", "list_queues", "-p", vhost, "name", "messages_ready", "messages_unacknowledged")
        for line in listing.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            if fields.count >= 3, fields[0] == queue, let ready = Int(fields[1]), let unacked = Int(fields[2]) {
                return (ready, unacked)
            }
        }
        throw NSError(domain: "rabbitmqctl", code: 1, userInfo: [NSLocalizedDescriptionKey: "queue \(queue) not listed"])
    }
}

/// SplitMix64: a small seeded generator, so that a failing run can be repeated.
private struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Valid submissions and their mutations.
private struct SubmissionMutator {
    var random: SeededRandom
    let run: String

    init(seed: UInt64, run: String) {
        random = SeededRandom(seed: seed)
        self.run = run
    }

    private mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &random) < p }
    private mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }

    /// A valid submission (a fresh citizen and address, so that nothing merges by accident).
    mutating func valid(_ index: Int) -> [String: Any] {
        let id = "\(run)-S\(index)"
        var object: [String: Any] = [
            "submission_id": id,
            "channel": pick(["hotline", "web", "wechat", "app", "grid"]),
            "received_at": RFC3339Text.now(offsetSeconds: -Int.random(in: 0...3_600, using: &random)),
            "citizen": ["name": "市民\(index)", "phone": SampleSubmission.phone(for: id), "anonymous": false] as [String: Any],
            "title": "诉求\(index)",
            "description": pick(["小区门口有流动摊贩占道经营，影响通行", "楼下餐馆油烟很大", "路灯不亮很久了", "请问公租房怎么申请",
                                 "建议增设公交站点", "举报有人违建", "楼道燃气泄漏", "邻居家的狗叫个不停"]),
            "location": ["street": "坑梓街道", "community": "秀新社区", "address": "秀新路\(id)号"] as [String: Any],
        ]
        if chance(0.3) { object["category"] = pick(["CG-001", "HB-004", "CG-006", "XX-999"]) }
        if chance(0.2) { object["kind"] = pick(["complaint", "help", "consultation"]) }
        if chance(0.2) { object["urgency"] = pick(["urgent", "fast", "normal"]) }
        if chance(0.1) {
            object["demands"] = [["description": "流动摊贩占道经营"], ["description": "餐馆油烟扰民", "category": "HB-004"]]
        }
        if chance(0.05) { object["answered_on_call"] = ["answer": "已答复"] }
        if chance(0.05) { object["attachments"] = [["url": "https://example.invalid/\(index).jpg"]] }
        return object
    }

    /// The body of message `index` and the name of its mutation.
    mutating func next(_ index: Int) -> (body: [UInt8], kind: String) {
        var object = valid(index)
        let roll = Int.random(in: 0..<100, using: &random)
        switch roll {
        case 0..<10:
            return (serialize(object), "valid")
        case 10..<22:
            dropField(&object)
            return (serialize(object), "dropped field")
        case 22..<36:
            wrongType(&object)
            return (serialize(object), "wrong type")
        case 36..<42:
            hugeString(&object)
            return (serialize(object), "huge string")
        case 42..<52:
            var bytes = serialize(object)
            let count = Int.random(in: 0..<max(1, bytes.count), using: &random)
            bytes.removeLast(bytes.count - count)
            return (bytes, "truncated")
        case 52..<62:
            var bytes = serialize(object)
            let junk = pick([[0xFF], [0xC0, 0x80], [0x80], [0xE4, 0xB8], [0xED, 0xA0, 0x80], [0xF5, 0x80, 0x80, 0x80]] as [[UInt8]])
            bytes.insert(contentsOf: junk, at: Int.random(in: 0...bytes.count, using: &random))
            return (bytes, "invalid UTF-8")
        case 62..<70:
            var bytes = serialize(object)
            for _ in 0..<Int.random(in: 1...4, using: &random) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            return (bytes, "flipped bytes")
        case 70..<78:
            badValue(&object)
            return (serialize(object), "bad value")
        case 78..<84:
            return (Array(pick(oddTexts(index)).utf8), "odd text")
        case 84..<90:
            return (escapeTrick(object), "escapes")
        case 90..<95:
            object["attachments"] = nested(depth: Int.random(in: 20...200, using: &random))
            return (serialize(object), "deep nesting")
        default:
            dropField(&object)
            wrongType(&object)
            var bytes = serialize(object)
            if chance(0.5) { bytes.removeLast(Int.random(in: 0..<min(20, bytes.count), using: &random)) }
            return (bytes, "combined")
        }
    }

    private func serialize(_ object: [String: Any]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }

    /// Every path to a value in the tree (keys of objects, indices of arrays).
    private func paths(_ value: Any, prefix: [Any] = []) -> [[Any]] {
        var result: [[Any]] = []
        if let object = value as? [String: Any] {
            for (key, member) in object {
                result.append(prefix + [key])
                result += paths(member, prefix: prefix + [key])
            }
        } else if let array = value as? [Any] {
            for (index, member) in array.enumerated() {
                result.append(prefix + [index])
                result += paths(member, prefix: prefix + [index])
            }
        }
        return result
    }

    /// Replaces (or removes, with nil) the value at a path.
    private func updating(_ value: Any, at path: ArraySlice<Any>, with new: Any?) -> Any {
        guard let head = path.first else { return new as Any }
        if var object = value as? [String: Any], let key = head as? String {
            if path.count == 1 {
                object[key] = new
            } else if let member = object[key] {
                object[key] = updating(member, at: path.dropFirst(), with: new)
            }
            return object
        }
        if var array = value as? [Any], let index = head as? Int, index < array.count {
            if path.count == 1 {
                if let new { array[index] = new } else { array.remove(at: index) }
            } else {
                array[index] = updating(array[index], at: path.dropFirst(), with: new)
            }
            return array
        }
        return value
    }

    private mutating func dropField(_ object: inout [String: Any]) {
        let all = paths(object)
        guard !all.isEmpty else { return }
        object = updating(object, at: pick(all)[...], with: nil) as? [String: Any] ?? object
    }

    private mutating func wrongType(_ object: inout [String: Any]) {
        let all = paths(object)
        guard !all.isEmpty else { return }
        let replacement: Any = pick([
            123, -1.5, true, false, NSNull(), [Any](), [String: Any](), "text", [1, "a", NSNull()] as [Any],
            ["x": ["y": 1]] as [String: Any], 1e300, 0, "",
        ] as [Any])
        object = updating(object, at: pick(all)[...], with: replacement) as? [String: Any] ?? object
    }

    private mutating func hugeString(_ object: inout [String: Any]) {
        let length = pick([65, 101, 201, 501, 2_001, 10_001, 60_000, 90_000])
        let unit = pick(["长", "a", "🚧", "e\u{301}", " ", "\u{200B}"])
        let text = String(repeating: unit, count: length)
        let key = pick(["description", "title", "submission_id", "citizen.name", "location.address", "category"])
        let path: [Any] = key.split(separator: ".").map(String.init)
        object = updating(object, at: path[...], with: text) as? [String: Any] ?? object
    }

    private mutating func badValue(_ object: inout [String: Any]) {
        switch Int.random(in: 0..<14, using: &random) {
        case 0: object["channel"] = pick(["HOTLINE", "fax", "", " hotline"])
        case 1: object["kind"] = pick(["", "complaints", "投诉"])
        case 2: object["urgency"] = "very"
        case 3: object["received_at"] = pick([
            "2026-13-45T09:15:00+08:00", "yesterday", "2026-11-23T09:15:00", "2099-01-01T00:00:00Z", "0000-01-01T00:00:00Z",
            "2026-02-30T10:00:00+08:00", "2026-11-23T25:00:00+08:00", "1970-01-01T00:00:00Z",
        ])
        case 4: object["location"] = ["street": "坑梓街道", "lat": pick([91.0, -91.0, 1e308] as [Double])]
        case 5: object["location"] = ["street": "坑梓街道", "lat": 22.7]
        case 6: object["citizen"] = ["phone": pick(["123", "1380013800", "abc", "+1 555 0100", "   "]), "anonymous": false]
        case 7: object["citizen"] = ["anonymous": "no"]
        case 8: object["demands"] = [["description": "只有一个"]]
        case 9: object["demands"] = (0..<25).map { ["description": "第\($0)件事"] }
        case 10: object["not_accepted"] = ["reason": pick(["nonsense", "", "petition"]), "note": 5]
        case 11: object["answered_on_call"] = ["knowledge_id": "KB-1"]
        case 12: object["description"] = pick(["", "   ", "\n\t"])
        default: object["submission_id"] = pick(["", String(repeating: "x", count: 65)])
        }
    }

    private func oddTexts(_ index: Int) -> [String] {
        [
            "", " ", "null", "[]", "\"text\"", "123", "true", "{", "}", "{}", "{\"a\":", "\u{FEFF}{}",
            "{\"submission_id\": \"\(run)-odd-\(index)\"}", "[{\"submission_id\": 1}]",
            String(repeating: "[", count: 5_000), String(repeating: "{\"a\":", count: 3_000),
            "{\"submission_id\": \"x\", \"submission_id\": \"y\"}", "{\"description\": \"\\u0000\"}",
        ]
    }

    /// JSON text with escapes JSONSerialization never writes: NUL, lone surrogates, duplicate keys.
    private mutating func escapeTrick(_ object: [String: Any]) -> [UInt8] {
        var bytes = serialize(object)
        let inserts = [
            "\"description\":\"\\u0000 NUL\",", "\"title\":\"\\ud800\",", "\"channel\":\"web\",", "\"x\":\"\\uDFFF\\uD800\",",
            "\"title\":\"\\\\\\\"\\/\\b\\f\\n\\r\\t\",",
        ]
        if bytes.first == UInt8(ascii: "{") {
            bytes.insert(contentsOf: Array(pick(inserts).utf8), at: 1)
        }
        return bytes
    }

    private func nested(depth: Int) -> Any {
        var value: Any = "deep"
        for level in 0..<depth { value = level % 2 == 0 ? [value] : ["k": value] }
        return value
    }
}

/// RFC 3339 text for the test's own clock.
private enum RFC3339Text {
    static func now(offsetSeconds: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        return formatter.string(from: Date().addingTimeInterval(TimeInterval(offsetSeconds)))
    }
}
