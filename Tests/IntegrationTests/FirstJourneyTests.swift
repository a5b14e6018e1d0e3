import Foundation
import HotlineMessaging
import XCTest

/// A ticket's first journey through the real broker and database: a gateway's submission reaches
/// the responsible unit's queue, with every step committed in PostgreSQL.
final class FirstJourneyTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    func testSubmissionReachesTheUnitQueue() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let events = Observer.bound(to: "hotline.events", stack: stack)
        let unit = Observer.existing(queue: "hotline.unit.CG", user: "unit.CG", stack: stack)
        let replies = Observer.existing(queue: "hotline.reply.gateway", user: "gateway", stack: stack)
        await events.waitUntilConnected()
        let gateway = TestPublisher(user: "gateway", stack: stack)
        let submissionID = "JOURNEY-\(UUID().uuidString.prefix(8))"
        let messageID = try await gateway.publish(
            exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit",
            body: SampleSubmission.body(id: submissionID), replyTo: "hotline.reply.gateway")

        let accepted = await events.wait { $0.routingKey == "ticket.accepted" && $0.string("submission_id") == submissionID }
        XCTAssertEqual(accepted.count, 1)
        let ticketNo = try XCTUnwrap(accepted.first?.string("ticket_no"))
        XCTAssertTrue(ticketNo.hasPrefix("PS-"), ticketNo)
        XCTAssertEqual(accepted.first?.properties.correlationID, messageID)
        XCTAssertEqual(accepted.first?.properties.contentType, "application/json")
        XCTAssertNil(accepted.first?.json["citizen"], "events never carry citizen data")
        XCTAssertFalse(String(decoding: accepted.first?.body ?? [], as: UTF8.self).contains(SampleSubmission.phone(for: submissionID)))

        let reply = await replies.wait { $0.properties.correlationID == messageID }
        XCTAssertEqual(reply.first?.string("type"), "ticket.accepted")

        let created = await unit.wait { $0.string("ticket_no") == ticketNo }
        let assignment = try XCTUnwrap(created.first)
        XCTAssertEqual(assignment.properties.type, "assignment.created")
        XCTAssertEqual(assignment.string("role"), "sole")
        XCTAssertEqual((assignment.json["citizen"] as? [String: Any])?["phone"] as? String, SampleSubmission.phone(for: submissionID),
                       "the unit handling the ticket gets the contact data")
        let deadlines = try XCTUnwrap(assignment.json["deadlines"] as? [String: Any])
        for key in ["sign_by", "notify_by", "resolve_by"] { XCTAssertNotNil(deadlines[key], key) }

        let dispatched = await events.wait { $0.routingKey == "ticket.dispatched" && $0.string("ticket_no") == ticketNo }
        let listed = dispatched.first?.json["assignments"] as? [[String: Any]]
        XCTAssertEqual(listed?.first?["unit"] as? String, "CG")

        let database = stack.database()
        let status = try await database.withConnection { connection in
            try connection.query("SELECT status FROM ticket_status WHERE ticket_no = $1", [ticketNo]).first?.decode("status", as: String.self)
        }
        XCTAssertEqual(status, "dispatched")
        let assignments = try await database.scalar(
            "SELECT count(*) AS n FROM assignments WHERE ticket_no = $1 AND unit = 'CG'", [ticketNo])
        XCTAssertEqual(assignments, 1)
        await database.shutdown()
        await gateway.close()
        for observer in [events, unit, replies] { await observer.close(deleting: observer === events, stack: stack) }
    }

    func testSameSubmissionTwiceGivesOneTicketAndTheSameOutcome() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let events = Observer.bound(to: "hotline.events", stack: stack)
        await events.waitUntilConnected()
        let gateway = TestPublisher(user: "gateway", stack: stack)
        let submissionID = "TWICE-\(UUID().uuidString.prefix(8))"
        let first = try await gateway.publish(
            exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit",
            body: SampleSubmission.body(id: submissionID))
        _ = await events.wait { $0.properties.correlationID == first }
        let second = try await gateway.publish(
            exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit",
            body: SampleSubmission.body(id: submissionID))
        // The same message again (a gateway retry with the same message_id).
        try await gateway.publish(
            exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit",
            body: SampleSubmission.body(id: submissionID), messageID: second)

        let outcomes = await events.wait(for: 2) { $0.routingKey == "ticket.accepted" && $0.string("submission_id") == submissionID }
        XCTAssertEqual(Set(outcomes.compactMap { $0.string("ticket_no") }).count, 1, "the same ticket both times")
        XCTAssertEqual(Set(outcomes.compactMap { $0.string("event_id") }).count, 1, "the same outcome event")
        XCTAssertEqual(Set(outcomes.compactMap(\.properties.correlationID)), [first, second])
        let ticketNo = try XCTUnwrap(outcomes.first?.string("ticket_no"))
        _ = await events.wait { $0.routingKey == "ticket.dispatched" && $0.string("ticket_no") == ticketNo }
        try await Task.sleep(for: .seconds(1))

        let database = stack.database()
        let tickets = try await database.scalar("SELECT count(*) AS n FROM tickets WHERE submission_id = $1", [submissionID])
        let assignments = try await database.scalar("SELECT count(*) AS n FROM assignments WHERE ticket_no = $1", [ticketNo])
        XCTAssertEqual(tickets, 1)
        XCTAssertEqual(assignments, 1)
        await database.shutdown()
        await gateway.close()
        await events.close(deleting: true, stack: stack)
    }

    func testMalformedBodyIsAnsweredAndKept() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let events = Observer.bound(to: "hotline.events", routingKeys: ["submission.invalid"], stack: stack)
        await events.waitUntilConnected()
        let gateway = TestPublisher(user: "gateway", stack: stack)
        let raw: [UInt8] = Array("{\"submission_id\": \"BAD-1\", \"channel\": ".utf8) + [0xff, 0xfe]
        let messageID = try await gateway.publish(
            exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit", body: raw)
        let missing = try await gateway.publish(
            exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit",
            body: Array(#"{"submission_id": "BAD-2", "channel": "fax", "citizen": {"anonymous": false}}"#.utf8))

        let invalid = await events.wait { $0.properties.correlationID == messageID }
        XCTAssertEqual(invalid.first?.string("type"), "submission.invalid")
        XCTAssertFalse((invalid.first?.json["errors"] as? [[String: Any]] ?? []).isEmpty)
        let invalidID = try XCTUnwrap(invalid.first?.string("invalid_id"))

        let problems = await events.wait { $0.properties.correlationID == missing }
        let fields = Set((problems.first?.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
        for field in ["channel", "received_at", "description", "citizen.phone"] {
            XCTAssertTrue(fields.contains(field), "\(field) in \(fields)")
        }

        let database = stack.database()
        let kept = try await database.withConnection { connection in
            try connection.query("SELECT body FROM invalid_messages WHERE id = $1::bigint", [invalidID]).first?
                .decode("body", as: Data.self)
        }
        XCTAssertEqual(kept.map(Array.init), raw, "the raw bytes are kept whole")
        await database.shutdown()
        await gateway.close()
        await events.close(deleting: true, stack: stack)
    }
}
