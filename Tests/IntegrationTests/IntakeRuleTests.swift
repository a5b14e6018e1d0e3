import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage
import XCTest

/// Every intake outcome through the real broker and database: accepted (classified), answered on
/// the call, each non-acceptance rule, merge (same place, nearby, same citizen, and near misses),
/// split, the stored outcome for a repeated submission, and `hotlinectl invalid`.
final class IntakeRuleTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    /// What one test needs: the platform, an observer of every event, a gateway publisher, a database.
    private struct Harness {
        let stack: TestStack
        let events: Observer
        let replies: Observer
        let gateway: TestPublisher
        let database: Database
        /// Unique per test run, so that leftovers of earlier runs never match.
        let run = String(UUID().uuidString.prefix(8))

        static func start() async throws -> Harness {
            let platform = try await Platform.start()
            let stack = platform.stack
            let events = Observer.bound(to: "hotline.events", stack: stack)
            let replies = Observer.existing(queue: "hotline.reply.gateway", user: "gateway", stack: stack)
            await events.waitUntilConnected()
            await replies.waitUntilConnected()
            return Harness(
                stack: stack, events: events, replies: replies, gateway: TestPublisher(user: "gateway", stack: stack),
                database: stack.database())
        }

        func close() async {
            await database.shutdown()
            await gateway.close()
            await events.close(deleting: true, stack: stack)
            await replies.close(deleting: false, stack: stack)
        }

        /// A submission as a JSON object: a citizen and a house address of its own unless given.
        func submission(
            _ id: String, _ description: String, phone: String? = nil, anonymous: Bool = false,
            street: String = "坑梓街道", community: String = "秀新社区", address: String? = nil, lat: Double? = nil,
            lon: Double? = nil, extra: [String: Any] = [:]
        ) -> [String: Any] {
            var citizen: [String: Any] = ["name": "李先生", "anonymous": anonymous]
            if let phone = phone ?? (anonymous ? nil : SampleSubmission.phone(for: id)) { citizen["phone"] = phone }
            var location: [String: Any] = ["street": street, "community": community, "address": address ?? "秀新路\(id)号"]
            if let lat, let lon {
                location["lat"] = lat
                location["lon"] = lon
            }
            var object: [String: Any] = [
                "submission_id": id, "channel": "hotline", "received_at": RFC3339.string(from: Date().addingTimeInterval(-60)),
                "citizen": citizen, "description": description, "location": location,
            ]
            for (key, value) in extra { object[key] = value }
            return object
        }

        /// Publishes a submission as the gateway (with `reply_to`) and returns its message id.
        @discardableResult
        func submit(_ object: [String: Any], replyTo: String? = "hotline.reply.gateway") async throws -> String {
            try await gateway.publish(
                exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit",
                body: Array(try JSONSerialization.data(withJSONObject: object)), replyTo: replyTo)
        }

        /// The outcome event answering a message.
        func outcome(_ messageID: String, file: StaticString = #filePath, line: UInt = #line) async throws -> Observer.Message {
            let found = await events.wait { $0.properties.correlationID == messageID }
            return try XCTUnwrap(found.first, "no outcome for \(messageID)", file: file, line: line)
        }

        func text(_ sql: String, _ parameters: [String]) async throws -> String? {
            try await database.withConnection { connection in
                try connection.query(sql, parameters).first?["v"]
            }
        }

        func json(_ sql: String, _ parameters: [String]) async throws -> [String: Any] {
            let text = try await self.text(sql, parameters) ?? "{}"
            return (try JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        }

        func status(_ ticketNo: String) async throws -> String? {
            try await text("SELECT status AS v FROM ticket_status WHERE ticket_no = $1", [ticketNo])
        }
    }

    // MARK: - Profiles

    func testEveryShippedProfileLoadsWithItsIntakeRules() throws {
        let root = ProcessInfo.processInfo.environment["HOTLINE_REPO_ROOT"] ?? FileManager.default.currentDirectoryPath
        let refused = ["pingshan": true, "pingli": true, "daye": true]
        for (name, anonymousRefused) in refused {
            let url = URL(fileURLWithPath: root).appendingPathComponent("deploy/profiles/\(name).yaml")
            let profile = try ReferenceData.loadProfile(url)
            let intake = profile.intake
            XCTAssertEqual(
                Set(intake.basis?.keys.map { $0 } ?? []), Set(NonAcceptanceReason.allCases.map(\.rawValue)),
                "\(name): a basis for every reason code")
            XCTAssertEqual(intake.mergeRules, IntakeRules.MergeRules(radiusMeters: 100, sameCitizen: true), name)
            XCTAssertEqual(intake.futureSkewSeconds, 300, name)
            XCTAssertEqual(intake.maxReceivedAgeDays, 365, name)
            XCTAssertFalse((intake.ownRightsWords ?? []).isEmpty, name)
            XCTAssertEqual(intake.anonymousOwnRightsRefused, anonymousRefused, name)
            XCTAssertEqual(profile.classification.kindFromCatalogueHint, false, name)
            for word in ["燃气泄漏", "山体滑坡", "坍塌", "爆管", "停电"] {
                XCTAssertEqual(IntakeClassifier(rules: profile.classification, catalogue: DutyCatalogue(items: []))
                    .urgencyCue(in: word)?.urgency, .urgent, "\(name): \(word)")
            }
        }
    }

    // MARK: - Accepted and classified

    func testAcceptedDemandsAreClassifiedWithTheirReasons() async throws {
        let h = try await Harness.start()
        let plain = try await h.submit(h.submission("CLS-\(h.run)-1", "小区门口每天晚上有流动摊贩占道经营，影响通行"))
        let hazard = try await h.submit(h.submission("CLS-\(h.run)-2", "请问楼道里燃气泄漏应该找谁处理，味道很大"))
        let unmatched = try await h.submit(h.submission("CLS-\(h.run)-3", "邻居家的狗每天晚上叫个不停，吵得睡不着"))

        let accepted = try await h.outcome(plain)
        XCTAssertEqual(accepted.properties.type, "ticket.accepted")
        XCTAssertEqual(accepted.string("category"), "CG-001")
        XCTAssertEqual(accepted.string("kind"), "complaint")
        XCTAssertEqual(accepted.string("urgency"), "normal")
        XCTAssertEqual(accepted.string("street"), "坑梓街道")
        let ticketNo = try XCTUnwrap(accepted.string("ticket_no"))
        let why = try await h.json("SELECT classification::text AS v FROM tickets WHERE ticket_no = $1", [ticketNo])
        let category = try XCTUnwrap(why["category"] as? [String: Any])
        XCTAssertEqual(category["rule"] as? String, "catalogue_keywords")
        XCTAssertEqual(Set(category["words"] as? [String] ?? []), ["流动摊贩", "占道经营"])
        XCTAssertEqual((why["kind"] as? [String: Any])?["rule"] as? String, "default")
        XCTAssertEqual((why["urgency"] as? [String: Any])?["rule"] as? String, "catalogue_hint")
        let dispatched = await h.events.wait { $0.routingKey == "ticket.dispatched" && $0.string("ticket_no") == ticketNo }
        XCTAssertEqual(dispatched.count, 1, "the dispatcher dispatches a classified ticket")

        let urgent = try await h.outcome(hazard)
        XCTAssertEqual(urgent.properties.type, "ticket.accepted")
        XCTAssertEqual(urgent.string("urgency"), "urgent")
        XCTAssertEqual(urgent.string("kind"), "consultation")
        let urgentNo = try XCTUnwrap(urgent.string("ticket_no"))
        let urgentWhy = try await h.json("SELECT classification::text AS v FROM tickets WHERE ticket_no = $1", [urgentNo])
        XCTAssertEqual((urgentWhy["urgency"] as? [String: Any])?["words"] as? [String], ["燃气泄漏"])
        XCTAssertEqual((urgentWhy["kind"] as? [String: Any])?["words"] as? [String], ["请问"])
        XCTAssertEqual(urgent.string("category"), "GAS-001")

        let unknown = try await h.outcome(unmatched)
        XCTAssertEqual(unknown.properties.type, "ticket.accepted")
        XCTAssertNil(unknown.string("category"), "no catalogue keyword: left for manual dispatch")
        let unknownNo = try XCTUnwrap(unknown.string("ticket_no"))
        let unknownWhy = try await h.json("SELECT classification::text AS v FROM tickets WHERE ticket_no = $1", [unknownNo])
        XCTAssertEqual((unknownWhy["category"] as? [String: Any])?["rule"] as? String, "no_match")
        let manual = await h.events.wait { $0.routingKey == "ticket.dispatch-manual" && $0.string("ticket_no") == unknownNo }
        XCTAssertEqual(manual.count, 1)
        await h.close()
    }

    // MARK: - Answered on the call

    func testAConsultationAnsweredOnTheCallClosesAtOnce() async throws {
        let h = try await Harness.start()
        let id = "ANS-\(h.run)"
        let messageID = try await h.submit(h.submission(
            id, "请问垃圾分类投放时间是几点", extra: ["answered_on_call": ["answer": "每天7-9点、19-21点", "knowledge_id": "KB-7"]]))
        let answered = try await h.outcome(messageID)
        XCTAssertEqual(answered.properties.type, "ticket.answered")
        XCTAssertEqual(answered.string("knowledge_id"), "KB-7")
        XCTAssertEqual(answered.string("submission_id"), id)
        let ticketNo = try XCTUnwrap(answered.string("ticket_no"))
        let status = try await h.status(ticketNo)
        XCTAssertEqual(status, "answered")
        let kind = try await h.text("SELECT kind AS v FROM tickets WHERE ticket_no = $1", [ticketNo])
        XCTAssertEqual(kind, "consultation")
        let reply = await h.replies.wait { $0.properties.correlationID == messageID }
        XCTAssertEqual(reply.first?.string("event_id"), answered.string("event_id"), "the same outcome goes to reply_to")
        let assignments = try await h.database.scalar("SELECT count(*) AS n FROM assignments WHERE ticket_no = $1", [ticketNo])
        XCTAssertEqual(assignments, 0, "nothing to dispatch")
        await h.close()
    }

    // MARK: - Not accepted

    func testEachNonAcceptanceRule() async throws {
        let h = try await Harness.start()
        let concludedPhone = SampleSubmission.phone(for: "CONCLUDED-\(h.run)")
        let concludedAddress = "秀新路\(h.run)号"
        _ = try await h.database.withConnection { connection in
            try connection.query(
                """
                INSERT INTO concluded_matters (citizen_key, category, street, community, address_norm, ticket_no, concluded_at, note)
                VALUES ($1, 'CG-001', '坑梓街道', '秀新社区', $2, 'PS-20260301-000009', now(), '已出具终结告知书')
                """, [h.stack.citizenKeys.of(phone: concludedPhone), PlaceMatching.normalizeAddress(concludedAddress) ?? ""])
        }
        let cases: [(String, [String: Any], String)] = [
            ("operator", h.submission("REJ-\(h.run)-op", "要求法院重新审理我的案子",
                                      extra: ["not_accepted": ["reason": "legal_procedure", "note": "已进入诉讼程序"]]), "legal_procedure"),
            ("outside", h.submission("REJ-\(h.run)-out", "小区门口有流动摊贩占道经营", street: "福田街道", community: "福山社区"),
             "out_of_jurisdiction"),
            ("emergency", h.submission("REJ-\(h.run)-fire", "楼下餐馆着火了，火很大"), "emergency_redirect"),
            ("empty", h.submission("REJ-\(h.run)-empty", "测试"), "no_substance"),
            ("concluded", h.submission("REJ-\(h.run)-done", "小区门口有流动摊贩占道经营，还是没人管",
                                       phone: "+86 " + concludedPhone, address: concludedAddress + "。"), "concluded_matter"),
            ("anonymous", h.submission("REJ-\(h.run)-anon", "公司拖欠工资三个月了，老板不见人", anonymous: true),
             "unverifiable_anonymous"),
        ]
        var messageIDs: [String: String] = [:]
        for (name, object, _) in cases { messageIDs[name] = try await h.submit(object) }
        for (name, _, reason) in cases {
            let event = try await h.outcome(try XCTUnwrap(messageIDs[name]))
            XCTAssertEqual(event.properties.type, "ticket.rejected", name)
            XCTAssertEqual(event.string("reason"), reason, name)
            XCTAssertFalse((event.string("basis") ?? "").isEmpty, name)
            let ticketNo = try XCTUnwrap(event.string("ticket_no"), name)
            let status = try await h.status(ticketNo)
            XCTAssertEqual(status, "rejected", "\(name): stored and closed as not accepted")
            let rejection = try await h.json("SELECT rejection::text AS v FROM tickets WHERE ticket_no = $1", [ticketNo])
            XCTAssertEqual(rejection["reason"] as? String, reason, name)
            switch name {
            case "operator":
                XCTAssertEqual(rejection["decided_by"] as? String, "operator")
                XCTAssertEqual(rejection["note"] as? String, "已进入诉讼程序")
                XCTAssertTrue(event.string("basis")?.contains("PS §8(二)3") == true, event.string("basis") ?? "")
            case "emergency":
                XCTAssertEqual(event.string("emergency_number"), "119")
                XCTAssertEqual(rejection["words"] as? [String], ["着火"])
            case "outside":
                XCTAssertTrue(event.string("basis")?.contains("福田街道") == true)
                // ZS §24: the shipped jurisdiction transfers other streets to the city hotline.
                let destination = event.json["transferred_to"] as? [String: Any]
                XCTAssertEqual(destination?["code"] as? String, "SZ-12345")
                XCTAssertEqual(destination?["phone"] as? String, "12345")
                XCTAssertEqual(rejection["transferred_to"] as? String, "SZ-12345")
            case "concluded":
                XCTAssertEqual(rejection["concluded_ticket"] as? String, "PS-20260301-000009")
            default:
                break
            }
            let assignments = try await h.database.scalar("SELECT count(*) AS n FROM assignments WHERE ticket_no = $1", [ticketNo])
            XCTAssertEqual(assignments, 0, "\(name): never dispatched")
        }
        // The near miss of the concluded matter: another category from the same citizen is accepted.
        let other = try await h.submit(h.submission(
            "REJ-\(h.run)-other", "小区楼下餐馆油烟很大", phone: concludedPhone, address: concludedAddress))
        let otherOutcome = try await h.outcome(other)
        XCTAssertEqual(otherOutcome.properties.type, "ticket.accepted")
        await h.close()
    }

    /// Intake stores HMAC citizen keys of its secret, and re-keys keys of another secret or of earlier
    /// versions (unkeyed SHA-256) from the tickets' numbers; a key whose ticket keeps no number goes.
    func testStoredCitizenKeysAreReKeyedToTheCurrentSecret() async throws {
        let h = try await Harness.start()
        let keys = h.stack.citizenKeys
        let phone = SampleSubmission.phone(for: "REKEY-\(h.run)")
        let accepted = try await h.outcome(try await h.submit(h.submission("REKEY-\(h.run)", "小区门口有流动摊贩占道经营，影响通行", phone: phone)))
        let ticketNo = try XCTUnwrap(accepted.string("ticket_no"))
        let stored = try await h.text("SELECT citizen_key AS v FROM intake_demands WHERE ticket_no = $1", [ticketNo])
        XCTAssertEqual(stored, keys.of(phone: phone))
        XCTAssertTrue(stored?.hasPrefix(keys.prefix) == true)

        // Keys of an earlier version: the demand's, a concluded matter of its ticket, one of no ticket.
        let legacy = SHA256.hex("phone:" + (CitizenKeys.canonicalPhone(phone) ?? ""))
        let matters = try await h.database.withConnection { connection -> [Int64] in
            try connection.query("UPDATE intake_demands SET citizen_key = $2 WHERE ticket_no = $1", [ticketNo, legacy])
            return try connection.query(
                """
                INSERT INTO concluded_matters (citizen_key, category, ticket_no, concluded_at)
                VALUES ($1, 'CG-001', $2, now()), ($1, 'CG-001', NULL, now()) RETURNING id
                """, [legacy, ticketNo]).map { try $0.decode("id") }
        }
        // A second copy of intake re-keys at start.
        let copy = try ServiceProcess("intake", stack: h.stack, httpPort: h.stack.portBase + 56)
        try await copy.waitUntilHealthy()
        let deadline = Date().addingTimeInterval(30)
        var demandKey: String?, matterKeys: [String?] = []
        repeat {
            try await Task.sleep(for: .milliseconds(200))
            demandKey = try await h.text("SELECT citizen_key AS v FROM intake_demands WHERE ticket_no = $1", [ticketNo])
            matterKeys = try await h.database.withConnection { connection in
                try connection.query("SELECT citizen_key FROM concluded_matters WHERE id = ANY($1::bigint[]) ORDER BY id", [matters])
                    .map { try $0.decodeIfPresent("citizen_key") }
            }
        } while (demandKey != stored || matterKeys != [stored, nil]) && Date() < deadline
        XCTAssertEqual(demandKey, stored, "the demand's key is made again under the current secret")
        XCTAssertEqual(matterKeys, [stored, nil], "the matter of a ticket re-keyed; the one without a number loses its key")
        _ = copy.terminate()
        _ = try await h.database.withConnection { try $0.query("DELETE FROM concluded_matters WHERE id = ANY($1::bigint[])", [matters]) }
        await h.close()
    }

    // MARK: - Merge

    func testMergeIntoAnOpenTicketAndNearMisses() async throws {
        let h = try await Harness.start()
        let unit = Observer.existing(queue: "hotline.unit.CG", user: "unit.CG", stack: h.stack)
        await unit.waitUntilConnected()
        // A random spot inside Pingshan, so that no earlier run's ticket lies within 100 m.
        let lat = 22.70 + Double.random(in: 0..<0.08), lon = 114.33 + Double.random(in: 0..<0.08)
        let metre = 1 / (PlaceMatching.earthRadius * Double.pi / 180)
        let address = "秀新路\(h.run)号"
        let description = "小区门口每天晚上有流动摊贩占道经营，影响通行"
        let firstPhone = SampleSubmission.phone(for: "MERGE-\(h.run)-a")

        let first = try await h.submit(h.submission(
            "MERGE-\(h.run)-a", description, phone: firstPhone, address: address, lat: lat, lon: lon))
        let firstEvent = try await h.outcome(first)
        XCTAssertEqual(firstEvent.properties.type, "ticket.accepted")
        let target = try XCTUnwrap(firstEvent.string("ticket_no"))
        _ = await h.events.wait { $0.routingKey == "ticket.dispatched" && $0.string("ticket_no") == target }

        // Same category, same street, community and address written another way.
        let same = try await h.submit(h.submission(
            "MERGE-\(h.run)-b", description, address: " 秀新路\(h.run)号。"))
        let merged = try await h.outcome(same)
        XCTAssertEqual(merged.properties.type, "ticket.merged")
        XCTAssertEqual(merged.string("merged_into"), target)
        let mergedNo = try XCTUnwrap(merged.string("ticket_no"))
        XCTAssertNotEqual(mergedNo, target)
        let updates = await unit.wait {
            $0.properties.type == "assignment.updated" && $0.string("ticket_no") == target && $0.string("merged_ticket") == mergedNo
        }
        let update = try XCTUnwrap(updates.first)
        XCTAssertEqual(update.json["waiting_citizens"] as? Int, 2)
        XCTAssertEqual(update.string("reason"), "citizens_merged")
        XCTAssertNotNil(update.string("assignment_id"))
        XCTAssertNil(update.json["citizen"], "no contact data in the update")

        // 60 m away by coordinates, another address.
        let nearby = try await h.submit(h.submission(
            "MERGE-\(h.run)-c", description, address: "另一处\(h.run)", lat: lat + 60 * metre, lon: lon))
        let nearbyEvent = try await h.outcome(nearby)
        XCTAssertEqual(nearbyEvent.properties.type, "ticket.merged")
        XCTAssertEqual(nearbyEvent.string("merged_into"), target)
        let third = await unit.wait { $0.string("ticket_no") == target && $0.json["waiting_citizens"] as? Int == 3 }
        XCTAssertEqual(third.count, 1)

        // The first citizen again, elsewhere on the street: the same citizen's open demand.
        let again = try await h.submit(h.submission(
            "MERGE-\(h.run)-d", "门口的流动摊贩又来占道经营了", phone: firstPhone, address: "秀新路另\(h.run)号"))
        let againEvent = try await h.outcome(again)
        XCTAssertEqual(againEvent.properties.type, "ticket.merged")
        XCTAssertEqual(againEvent.string("merged_into"), target)
        let basis = try await h.text("SELECT basis AS v FROM ticket_links WHERE linked_no = $1", [againEvent.string("ticket_no") ?? ""])
        XCTAssertEqual(basis, "same_citizen")
        let stillThree = await unit.wait(for: 2) { $0.string("ticket_no") == target && $0.json["waiting_citizens"] as? Int == 3 }
        XCTAssertEqual(stillThree.count, 2, "the same citizen again does not add a waiting citizen")

        // Near misses: 150 m away; another category at the same address.
        let far = try await h.submit(h.submission(
            "MERGE-\(h.run)-e", description, address: "远处\(h.run)", lat: lat + 150 * metre, lon: lon))
        let farEvent = try await h.outcome(far)
        XCTAssertEqual(farEvent.properties.type, "ticket.accepted", "150 m is another place")
        let otherCategory = try await h.submit(h.submission("MERGE-\(h.run)-f", "楼下餐馆油烟很大，熏得没法开窗", address: address))
        let otherEvent = try await h.outcome(otherCategory)
        XCTAssertEqual(otherEvent.properties.type, "ticket.accepted", "another category at the same place")
        XCTAssertEqual(otherEvent.string("category"), "HB-004")

        // Stored: merged status, merged_into, links; the repeat counts see every citizen.
        let mergedStatus = try await h.status(mergedNo)
        XCTAssertEqual(mergedStatus, "merged")
        let into = try await h.text("SELECT merged_into AS v FROM tickets WHERE ticket_no = $1", [mergedNo])
        XCTAssertEqual(into, target)
        let links = try await h.database.scalar("SELECT count(*) AS n FROM ticket_links WHERE ticket_no = $1", [target])
        XCTAssertEqual(links, 3)
        let citizens = try await h.database.scalar(
            """
            SELECT coalesce(sum(citizens), 0)::int AS n FROM repeat_counts_place
            WHERE street = '坑梓街道' AND community = '秀新社区' AND category = 'CG-001'
              AND day = (SELECT day FROM intake_demands WHERE ticket_no = $1)
              AND EXISTS (SELECT 1 FROM intake_demands d WHERE d.ticket_no = $1)
            """, [target])
        XCTAssertGreaterThanOrEqual(citizens, 3)
        let byCitizen = try await h.database.scalar(
            """
            SELECT coalesce(sum(demands), 0)::int AS n FROM repeat_counts_citizen
            WHERE citizen_key = $1 AND category = 'CG-001'
            """, [h.stack.citizenKeys.of(phone: firstPhone) ?? ""])
        XCTAssertEqual(byCitizen, 2, "the first citizen raised it twice")

        // Once the earlier ticket is resolved, the same place makes a new ticket.
        _ = try await h.database.withConnection { connection in
            try connection.query(
                """
                INSERT INTO ticket_progress (ticket_no, status, updated_at) VALUES ($1, 'resolved', now())
                ON CONFLICT (ticket_no) DO UPDATE SET status = 'resolved'
                """, [target])
        }
        let after = try await h.submit(h.submission("MERGE-\(h.run)-g", description, address: address))
        let afterEvent = try await h.outcome(after)
        XCTAssertEqual(afterEvent.properties.type, "ticket.accepted", "an earlier ticket already resolved takes no merge")
        await unit.close(deleting: false, stack: h.stack)
        await h.close()
    }

    func testSimultaneousDemandsAtOnePlaceMakeOneTicket() async throws {
        let h = try await Harness.start()
        let count = 20
        let address = "秀新路同时\(h.run)号"
        let messages = try (0..<count).map { index -> OutgoingMessage in
            let object = h.submission("SIM-\(h.run)-\(index)", "小区门口流动摊贩占道经营，影响通行", address: address)
            return OutgoingMessage(
                exchange: "hotline.intake", routingKey: "ticket.submit",
                properties: AMQPProperties(
                    messageID: "SIM-\(h.run)-m\(index)", type: "ticket.submit", userID: "gateway", timestamp: Date()),
                body: Array(try JSONSerialization.data(withJSONObject: object)), mandatory: false)
        }
        await h.gateway.publishAll(messages)
        let outcomes = await h.events.wait(for: count) { $0.properties.correlationID?.hasPrefix("SIM-\(h.run)-m") == true }
        XCTAssertEqual(outcomes.count, count)
        let accepted = outcomes.filter { $0.properties.type == "ticket.accepted" }
        XCTAssertEqual(accepted.count, 1, "one ticket for the place, however many arrive at once")
        let target = try XCTUnwrap(accepted.first?.string("ticket_no"))
        let merged = outcomes.filter { $0.properties.type == "ticket.merged" }
        XCTAssertEqual(merged.count, count - 1)
        XCTAssertTrue(merged.allSatisfy { $0.string("merged_into") == target })
        await h.close()
    }

    // MARK: - Split

    func testSeveralDemandsSplitIntoChildrenDispatchedOnTheirOwn() async throws {
        let h = try await Harness.start()
        let id = "SPLIT-\(h.run)"
        let messageID = try await h.submit(h.submission(id, "反映两个问题", extra: [
            "demands": [
                ["description": "小区门口流动摊贩占道经营"],
                ["description": "楼下餐馆油烟很大", "location": ["street": "坪山街道", "community": "六和社区", "address": "六和路\(h.run)号"]],
            ],
        ]))
        let split = try await h.outcome(messageID)
        XCTAssertEqual(split.properties.type, "ticket.split")
        let parent = try XCTUnwrap(split.string("ticket_no"))
        let children = try XCTUnwrap(split.json["children"] as? [String])
        XCTAssertEqual(children.count, 2)
        let parentStatus = try await h.status(parent)
        XCTAssertEqual(parentStatus, "split")
        var categories: [String] = []
        for child in children {
            let accepted = await h.events.wait { $0.routingKey == "ticket.accepted" && $0.string("ticket_no") == child }
            XCTAssertEqual(accepted.first?.string("parent_no"), parent)
            XCTAssertNil(accepted.first?.properties.correlationID, "only the outcome answers the submission")
            categories.append(accepted.first?.string("category") ?? "-")
            let dispatched = await h.events.wait { $0.routingKey == "ticket.dispatched" && $0.string("ticket_no") == child }
            XCTAssertEqual(dispatched.count, 1, "each child is dispatched on its own")
            let parentNo = try await h.text("SELECT parent_no AS v FROM tickets WHERE ticket_no = $1", [child])
            XCTAssertEqual(parentNo, parent)
        }
        XCTAssertEqual(categories, ["CG-001", "HB-004"])
        let outcomes = h.events.messages.filter { $0.properties.correlationID == messageID }
        XCTAssertEqual(outcomes.count, 1, "one outcome for the submission")
        await h.close()
    }

    // MARK: - Replays

    func testARepeatedSubmissionGetsTheSameOutcomeForEveryType() async throws {
        let h = try await Harness.start()
        let objects: [(String, [String: Any])] = [
            ("ticket.accepted", h.submission("RE-\(h.run)-acc", "小区门口流动摊贩占道经营")),
            ("ticket.answered", h.submission("RE-\(h.run)-ans", "请问垃圾分类投放时间", extra: ["answered_on_call": ["answer": "7-9点"]])),
            ("ticket.rejected", h.submission("RE-\(h.run)-rej", "测试")),
            ("ticket.split", h.submission("RE-\(h.run)-split", "两个问题", extra: [
                "demands": [["description": "流动摊贩占道经营"], ["description": "餐馆油烟扰民"]],
            ])),
        ]
        var firstEvents: [String: Observer.Message] = [:]
        for (type, object) in objects {
            let event = try await h.outcome(try await h.submit(object))
            XCTAssertEqual(event.properties.type, type)
            firstEvents[type] = event
        }
        // A merge: same place as the accepted one.
        let mergeObject = h.submission("RE-\(h.run)-mrg", "小区门口流动摊贩占道经营", address: "秀新路RE-\(h.run)-acc号")
        let mergedEvent = try await h.outcome(try await h.submit(mergeObject))
        XCTAssertEqual(mergedEvent.properties.type, "ticket.merged")
        firstEvents["ticket.merged"] = mergedEvent

        for (type, object) in objects + [("ticket.merged", mergeObject)] {
            let again = try await h.outcome(try await h.submit(object))
            let first = try XCTUnwrap(firstEvents[type])
            XCTAssertEqual(again.properties.type, type)
            XCTAssertEqual(again.string("event_id"), first.string("event_id"), "\(type): the same outcome event")
            XCTAssertEqual(again.string("ticket_no"), first.string("ticket_no"), type)
            let id = try XCTUnwrap(object["submission_id"] as? String)
            let tickets = try await h.database.scalar(
                "SELECT count(*) AS n FROM tickets WHERE submission_id = $1 AND parent_no IS NULL", [id])
            XCTAssertEqual(tickets, 1, "\(type): no second ticket")
        }
        let children = try await h.database.scalar(
            "SELECT count(*) AS n FROM tickets WHERE submission_id = $1 AND parent_no IS NOT NULL", ["RE-\(h.run)-split"])
        XCTAssertEqual(children, 2, "no second set of children")
        await h.close()
    }

    // MARK: - Invalid messages and hotlinectl

    func testInvalidMessagesAreListedAndShownByHotlinectl() async throws {
        let h = try await Harness.start()
        let raw: [UInt8] = Array("{\"submission_id\": \"INV-\(h.run)\", \"description\": \"".utf8) + [0xC3, 0x28, 0xFF] + Array("\"}".utf8)
        let messageID = try await h.gateway.publish(
            exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit", body: raw)
        let fieldsID = try await h.submit([
            "submission_id": "INV-\(h.run)-2", "channel": "fax", "received_at": "2026-11-23 09:15",
            "citizen": ["phone": "12345", "anonymous": false], "description": String(repeating: "长", count: 10_001),
            "kind": 3, "demands": [["description": "只有一个"]],
        ])
        let invalid = try await h.outcome(messageID)
        XCTAssertEqual(invalid.properties.type, "submission.invalid")
        XCTAssertEqual((invalid.json["errors"] as? [[String: Any]])?.first?["problem"] as? String, "not UTF-8")
        let invalidID = try XCTUnwrap(invalid.string("invalid_id"))

        let problems = try await h.outcome(fieldsID)
        let fields = Set((problems.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
        XCTAssertEqual(fields, ["channel", "received_at", "citizen.phone", "description", "kind", "demands"], "every problem at once")
        XCTAssertEqual(problems.string("submission_id"), "INV-\(h.run)-2")

        let list = try ctl(["invalid", "list", "--json", "--limit", "20"], stack: h.stack)
        XCTAssertEqual(list.status, 0, String(decoding: list.stderr, as: UTF8.self))
        let listed = try XCTUnwrap(try JSONSerialization.jsonObject(with: list.stdout) as? [[String: Any]])
        let entry = try XCTUnwrap(listed.first { $0["id"] as? String == invalidID })
        XCTAssertEqual(entry["message_id"] as? String, messageID)
        XCTAssertEqual(entry["size"] as? Int, raw.count)

        let text = try ctl(["invalid", "list", "--limit", "3"], stack: h.stack)
        XCTAssertEqual(text.status, 0)
        XCTAssertTrue(String(decoding: text.stdout, as: UTF8.self).contains("  "), "one line per message")

        let show = try ctl(["invalid", "show", invalidID], stack: h.stack)
        XCTAssertEqual(show.status, 0)
        let shown = String(decoding: show.stdout, as: UTF8.self)
        XCTAssertTrue(shown.contains("body: not UTF-8"), shown)
        XCTAssertTrue(shown.contains("not UTF-8: hex"), shown)
        XCTAssertTrue(shown.contains("c3 28 ff"), shown)

        let rawShow = try ctl(["invalid", "show", invalidID, "--raw"], stack: h.stack)
        XCTAssertEqual(rawShow.status, 0)
        XCTAssertEqual(Array(rawShow.stdout), raw, "--raw writes the exact bytes")

        let missing = try ctl(["invalid", "show", "999999999"], stack: h.stack)
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(String(decoding: missing.stderr, as: UTF8.self).contains("no invalid message"))
        await h.close()
    }

    /// Runs `hotlinectl` against the sandbox's database.
    private func ctl(_ arguments: [String], stack: TestStack) throws -> (status: Int32, stdout: Data, stderr: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: stack.binDirectory).appendingPathComponent("hotlinectl")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: stack.repoRoot)
        var environment = ProcessInfo.processInfo.environment
        environment["HOTLINE_DATABASE_URL"] = stack.databaseURL
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, stdout, stderr)
    }
}
