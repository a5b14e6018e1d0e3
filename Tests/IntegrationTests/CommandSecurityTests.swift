import Foundation
import HotlineDomain
import HotlineMessaging
import XCTest

/// What one client can do to another through the platform's commands (docs/security.md "Commands"):
/// write into its reply queue, pre-empt or replay its commands by reusing a `message_id`, and
/// backdate what it reports.
final class CommandSecurityTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    /// A unit naming the center's reply queue in `reply_to` gets the outcome on its own reply
    /// queue, told why; the center's queue receives nothing.
    func testReplyToAnotherClientsQueueGoesToTheSendersOwnQueue() async throws {
        try await withHarness { h in
            let ticketNo = try await h.submit(category: "CG-001")
            let created = try await h.created(ticketNo, unit: "CG")
            let assignmentID = try XCTUnwrap(created.string("assignment_id"))
            await h.replies("center").waitUntilConnected()
            let commandID = UUID().uuidString
            let outcome = try await h.command(
                "unit.CG", "unit.sign", ["assignment_id": assignmentID], messageID: commandID, replyTo: "hotline.reply.center")
            XCTAssertEqual(outcome.string("type"), "assignment.signed")
            let note = outcome.string("reply_to_ignored") ?? ""
            XCTAssertTrue(note.contains("hotline.reply.center") && note.contains("hotline.reply.unit.CG"), note)
            let own = try await h.reply("unit.CG", correlationID: commandID)
            XCTAssertEqual(own.string("event_id"), outcome.string("event_id"))
            XCTAssertEqual(own.string("reply_to_ignored"), note)
            // A later answer on the center's queue proves that nothing of the unit's came before it.
            try await h.provePassed(replies: "center")
            let foreign = h.replies("center").messages.filter { $0.properties.correlationID == commandID }
            XCTAssertEqual(foreign.count, 0, "nothing reaches the center's reply queue")
        }
    }

    /// Two units' commands with the same `message_id` are two commands: the second is applied, not
    /// taken for a repeat, and a repeat gets only its own sender's outcome.
    func testAnotherUnitsMessageIDNeitherPreemptsNorReplaysACommand() async throws {
        try await withHarness { h in
            let ticketNo = try await h.submit(category: "CG-002")
            let cgCreated = try await h.created(ticketNo, unit: "CG")
            let zjCreated = try await h.created(ticketNo, unit: "ZJ")
            let cgID = try XCTUnwrap(cgCreated.string("assignment_id"))
            let zjID = try XCTUnwrap(zjCreated.string("assignment_id"))
            let shared = UUID().uuidString
            let zj = try await h.command("unit.ZJ", "unit.sign", ["assignment_id": zjID], messageID: shared)
            XCTAssertEqual(zj.string("type"), "assignment.signed")
            XCTAssertEqual(zj.string("assignment_id"), zjID)

            try await h.command("unit.CG", "unit.sign", ["assignment_id": cgID], messageID: shared, waitForOutcome: false)
            let outcomes = await h.events.wait(for: 2) { $0.properties.correlationID == shared }
            let cg = try XCTUnwrap(outcomes.first { $0.string("assignment_id") == cgID }, "CG's sign is applied")
            XCTAssertEqual(cg.string("type"), "assignment.signed")
            let cgReply = try await h.reply("unit.CG", correlationID: shared)
            XCTAssertEqual(cgReply.string("assignment_id"), cgID, "CG is answered with its own outcome")

            // ZJ sends its command again: its own stored outcome comes back, and only to ZJ.
            try await h.command("unit.ZJ", "unit.sign", ["assignment_id": zjID], messageID: shared, waitForOutcome: false)
            let zjReplies = await h.replies("unit.ZJ").wait(for: 2) { $0.properties.correlationID == shared }
            XCTAssertEqual(Set(zjReplies.compactMap { $0.string("assignment_id") }), [zjID])
            XCTAssertEqual(Set(zjReplies.compactMap { $0.string("event_id") }).count, 1, "the stored outcome, again")
            try await h.provePassed(replies: "unit.CG")
            XCTAssertEqual(h.replies("unit.CG").messages.filter { $0.properties.correlationID == shared }.count, 1)
            let stored = try await h.scalar("SELECT count(*) AS n FROM command_outcomes WHERE command_id = $1", [shared])
            XCTAssertEqual(stored, 2, "one outcome per sender")
        }
    }

    /// A notice's `at` and a resolution's `handled_at` before the assignment existed or in the future
    /// are refused; a notice counts from its arrival, not from the time it reports.
    func testReportedTimesOutsideTheAssignmentAreRefusedAndNoticesCountFromArrival() async throws {
        try await withHarness { h in
            let ticketNo = try await h.submit(category: "CG-001")
            let created = try await h.created(ticketNo, unit: "CG")
            let assignmentID = try XCTUnwrap(created.string("assignment_id"))
            let afterCreation = Self.stamp(Date())
            let signed = try await h.command("unit.CG", "unit.sign", ["assignment_id": assignmentID])
            XCTAssertEqual(signed.string("type"), "assignment.signed")

            let longAgo = "2020-01-01T09:00:00+08:00"
            let refused: [(type: String, body: [String: Any], message: String)] = [
                ("unit.notify-citizen", h.notice(assignmentID).merging(["at": longAgo]) { $1 },
                 "at: before the assignment was dispatched"),
                ("unit.notify-citizen", h.notice(assignmentID).merging(["at": Self.stamp(Date().addingTimeInterval(3_600))]) { $1 },
                 "at: in the future"),
                ("unit.submit-resolution", h.resolution(assignmentID).merging(["handled_at": longAgo]) { $1 },
                 "handled_at: before the assignment was dispatched"),
            ]
            for item in refused {
                let outcome = try await h.command("unit.CG", item.type, item.body)
                try h.expectRejected(outcome, "invalid")
                XCTAssertEqual(outcome.string("message"), item.message)
            }

            // A notice telling of a time two seconds before it arrives counts from its arrival.
            try await Task.sleep(for: .seconds(2))
            var notice = h.notice(assignmentID)
            notice["at"] = afterCreation
            let notified = try await h.command("unit.CG", "unit.notify-citizen", notice)
            XCTAssertEqual(notified.string("type"), "assignment.citizen-notified")
            let byArrival = try await h.scalar(
                """
                SELECT count(*) AS n FROM assignments a JOIN citizen_notices n USING (assignment_id)
                WHERE a.assignment_id = $1 AND n.at = $2::timestamptz AND a.notified_at >= n.at + interval '2 seconds'
                """, [assignmentID, afterCreation])
            XCTAssertEqual(byArrival, 1, "the notice keeps its `at`; the assignment counts it from arrival")
        }
    }

    /// A NUL in free text (which PostgreSQL cannot store, and C strings cut short) is answered with
    /// the field at once, in a command and in a submission, instead of being retried until
    /// dead-lettered or stored truncated.
    func testANULInFreeTextIsAnsweredWithItsField() async throws {
        try await withHarness { h in
            let ticketNo = try await h.submit(category: "CG-001")
            let created = try await h.created(ticketNo, unit: "CG")
            let assignmentID = try XCTUnwrap(created.string("assignment_id"))
            var request = h.returnRequest(assignmentID)
            request["reason"] = "不属于本单位\u{0}职责"
            let refused = try await h.command("unit.CG", "unit.request-return", request)
            try h.expectRejected(refused, "invalid")
            XCTAssertTrue(refused.string("message")?.contains("reason: must not contain NUL characters") ?? false,
                          refused.string("message") ?? "")

            let submissionID = "NUL-\(UUID().uuidString.prefix(8))"
            try await h.publishAs(
                "gateway", exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit",
                body: Self.submission(submissionID, phone: "13912345678", description: "门口\u{0}占道经营"))
            let outcomes = await h.events.wait { $0.string("submission_id") == submissionID }
            let outcome = try XCTUnwrap(outcomes.first)
            XCTAssertEqual(outcome.routingKey, "submission.invalid")
            let errors = outcome.json["errors"] as? [[String: Any]] ?? []
            XCTAssertTrue(errors.contains { $0["field"] as? String == "description" && $0["problem"] as? String == "must not contain NUL characters" },
                          "\(errors)")
        }
    }

    /// A center decision is recorded with the name of the person the command names (`operator`),
    /// under the broker user `center`; a blank or over-long name is refused with its field.
    func testTheCentersDecisionRecordsTheOperatorItNames() async throws {
        try await withHarness { h in
            let ticketNo = try await h.submit(category: "CG-001")
            let created = try await h.created(ticketNo, unit: "CG")
            let assignmentID = try XCTUnwrap(created.string("assignment_id"))
            let requested = try await h.command("unit.CG", "unit.request-return", h.returnRequest(assignmentID))
            XCTAssertEqual(requested.string("type"), "assignment.return-requested")

            for (name, problem) in [("  ", "operator must not be blank"), (String(repeating: "王", count: 65), "at most 64 characters")] {
                let refused = try await h.command(
                    "center", "center.decide-return", ["assignment_id": assignmentID, "approve": false, "note": "职责清单已列明", "operator": name])
                try h.expectRejected(refused, "invalid")
                XCTAssertTrue(refused.string("message")?.contains(problem) ?? false, refused.string("message") ?? "")
            }
            let denied = try await h.command(
                "center", "center.decide-return", ["assignment_id": assignmentID, "approve": false, "note": "职责清单已列明", "operator": "王五"])
            XCTAssertEqual(denied.string("type"), "assignment.return-denied")
            XCTAssertNil(denied.json["operator"], "the name stays in the record, out of events")
            let recorded = try await h.database.withConnection { connection in
                try connection.query(
                    "SELECT actor, operator FROM ticket_history WHERE ticket_no = $1 AND action = 'return_denied'", [ticketNo]
                ).map { (try $0.decode("actor", as: String.self), try $0.decodeIfPresent("operator", as: String.self)) }
            }
            XCTAssertEqual(recorded.count, 1)
            XCTAssertEqual(recorded.first?.0, "center")
            XCTAssertEqual(recorded.first?.1, "王五")
        }
    }

    /// A submission or a command without `message_id` cannot be told apart from another: it is
    /// answered as invalid (and kept), never applied.
    func testMessagesWithoutMessageIDAreAnsweredInvalid() async throws {
        try await withHarness { h in
            let ticketNo = try await h.submit(category: "CG-001")
            let created = try await h.created(ticketNo, unit: "CG")
            let assignmentID = try XCTUnwrap(created.string("assignment_id"))
            try await h.publishAs(
                "unit.CG", exchange: "hotline.commands", routingKey: "unit.sign", type: "unit.sign",
                body: Array(try JSONSerialization.data(withJSONObject: ["assignment_id": assignmentID])), messageID: nil)
            let rejected = await h.events.wait {
                $0.string("type") == "command.rejected" && $0.string("assignment_id") == assignmentID
            }
            let outcome = try XCTUnwrap(rejected.first)
            XCTAssertEqual(outcome.string("reason"), "invalid")
            XCTAssertEqual(outcome.string("message"), "message_id is required: commands are told apart by it")
            let signed = try await h.scalar(
                "SELECT count(*) AS n FROM assignments WHERE assignment_id = $1 AND signed_at IS NOT NULL", [assignmentID])
            XCTAssertEqual(signed, 0, "the command is not applied")

            let submissionID = "NOID-\(UUID().uuidString.prefix(8))"
            try await h.publishAs(
                "gateway", exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit",
                body: Self.submission(submissionID, phone: "13912345679", description: "小区门口有流动摊贩占道经营"),
                messageID: nil)
            let outcomes = await h.events.wait { $0.string("submission_id") == submissionID }
            XCTAssertEqual(outcomes.first?.routingKey, "submission.invalid")
            let errors = outcomes.first?.json["errors"] as? [[String: Any]] ?? []
            XCTAssertEqual(errors.first?["field"] as? String, "message_id")
            XCTAssertEqual(errors.first?["problem"] as? String, "required")
        }
    }

    /// An oversized body is answered invalid and kept only in part, with its whole size and SHA-256;
    /// a body over the broker's `max_message_size` (1 MiB) is refused by the broker itself.
    func testAnOversizedBodyIsKeptInPartWithItsDigestAndAHugeOneIsRefused() async throws {
        try await withHarness { h in
            let submissionID = "BIG-\(UUID().uuidString.prefix(8))"
            var body = try Self.submission(
                submissionID, phone: "13912345670", description: String(repeating: "占", count: 200_000))
            XCTAssertGreaterThan(body.count, 512 * 1024)
            // Too large to be read, so the outcome names no submission: it answers the message id.
            let messageID = UUID().uuidString
            try await h.publishAs(
                "gateway", exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit", body: body,
                messageID: messageID)
            let outcomes = await h.events.wait { $0.properties.correlationID == messageID }
            XCTAssertEqual(outcomes.first?.routingKey, "submission.invalid")
            let digest = SHA256.hex(body)
            let kept = try await h.scalar(
                """
                SELECT count(*) AS n FROM invalid_messages
                WHERE consumer = 'intake' AND octet_length(body) = 65536 AND body_size = $1::int AND body_sha256 = $2
                """, [String(body.count), digest])
            XCTAssertEqual(kept, 1, "the first 64 KiB kept, with the whole body's size and digest")

            body += [UInt8](repeating: UInt8(ascii: " "), count: 1024 * 1024)
            let publisher = AMQPPublisher(configuration: try AMQPConfiguration(url: h.stack.amqpURL(user: "gateway")), logger: TestStack.logger)
            let outcome = try? await publisher.publish([OutgoingMessage(
                exchange: "hotline.intake", routingKey: "ticket.submit",
                properties: AMQPProperties(messageID: UUID().uuidString, type: "ticket.submit", userID: "gateway"),
                body: body, mandatory: false)])
            await publisher.shutdown()
            XCTAssertNotEqual(outcome, [.confirmed], "the broker refuses a body over max_message_size")
        }
    }

    /// A submission's body (the tests that use it expect it refused, so it never merges with another).
    private static func submission(_ id: String, phone: String, description: String) throws -> [UInt8] {
        let body: [String: Any] = [
            "submission_id": id, "channel": "hotline", "received_at": stamp(Date()),
            "citizen": ["name": "测试", "phone": phone, "anonymous": false],
            "description": description, "location": ["street": "坑梓街道", "address": "秀新路\(phone.suffix(2))号"],
        ]
        return Array(try JSONSerialization.data(withJSONObject: body))
    }

    private static func stamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return formatter.string(from: date)
    }
}
