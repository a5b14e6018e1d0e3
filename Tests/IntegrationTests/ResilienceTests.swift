import Foundation
import HotlineMessaging
import XCTest

/// Nothing lost, nothing done twice: a broker restart and a dispatcher killed mid-stream, and two
/// dispatcher copies sharing the work.
final class ResilienceTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    func testBrokerRestartAndKilledDispatcherLoseNothing() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let run = "STREAM-\(UUID().uuidString.prefix(6))"
        let total = 1_000
        let events = Observer.bound(to: "hotline.events", routingKeys: ["ticket.accepted", "submission.invalid"], stack: stack)
        await events.waitUntilConnected()
        let gateway = TestPublisher(user: "gateway", stack: stack)
        let messages = (0..<total).map { SampleSubmission.message(id: "\(run)-\($0)") }

        let publishing = Task { await gateway.publishAll(messages) }
        let database = stack.database()
        // Restart the broker once part of the stream is in.
        let deadline = Date().addingTimeInterval(60)
        while try await database.scalar("SELECT count(*) AS n FROM submissions WHERE submission_id LIKE $1", ["\(run)-%"]) < total / 4,
              Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        try stack.stack("restart-rabbitmq")
        await publishing.value
        // Then kill the dispatcher without warning and start it again.
        let dispatcher = try XCTUnwrap(platform.process("dispatcher"))
        dispatcher.kill()
        let restarted = try platform.launch("dispatcher", port: dispatcher.httpPort)
        try await restarted.waitUntilHealthy()

        let finished = Date().addingTimeInterval(180)
        var outcomes = 0
        var dispatched = 0
        repeat {
            try await Task.sleep(for: .seconds(1))
            outcomes = try await database.scalar("SELECT count(*) AS n FROM submissions WHERE submission_id LIKE $1", ["\(run)-%"])
            dispatched = try await database.scalar(
                "SELECT count(*) AS n FROM tickets t JOIN ticket_status s USING (ticket_no) WHERE t.submission_id LIKE $1 AND s.status = 'dispatched'", ["\(run)-%"])
        } while (outcomes < total || dispatched < total) && Date() < finished

        XCTAssertEqual(outcomes, total, "every submission has its outcome")
        XCTAssertEqual(dispatched, total, "every accepted ticket is dispatched")
        let tickets = try await database.scalar("SELECT count(*) AS n FROM tickets WHERE submission_id LIKE $1", ["\(run)-%"])
        XCTAssertEqual(tickets, total, "one ticket per submission")
        let wrongAssignmentCounts = try await database.scalar(
            """
            SELECT count(*) AS n FROM (
              SELECT t.ticket_no FROM tickets t LEFT JOIN assignments a ON a.ticket_no = t.ticket_no
              WHERE t.submission_id LIKE $1 GROUP BY t.ticket_no HAVING count(a.assignment_id) <> 1) odd
            """, ["\(run)-%"])
        XCTAssertEqual(wrongAssignmentCounts, 0, "exactly one assignment per accepted ticket")

        // Every outcome event reached the broker, one fact under one event id.
        let observed = await events.wait(forDistinct: total, timeout: 60, key: { $0.string("submission_id") }) {
            $0.string("submission_id")?.hasPrefix("\(run)-") == true
        }
        var eventIDs: [String: Set<String>] = [:]
        for message in observed { eventIDs[message.string("submission_id")!, default: []].insert(message.string("event_id") ?? "") }
        XCTAssertEqual(eventIDs.count, total)
        XCTAssertTrue(eventIDs.values.allSatisfy { $0.count == 1 }, "no outcome published under two ids")
        // Other services keep committing rows (timers firing, replies), so a row may be in flight at any
        // instant: the outbox must drain, not be empty at one arbitrary moment.
        let drainDeadline = Date().addingTimeInterval(60)
        var unpublished = 0
        repeat {
            unpublished = try await database.scalar("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL")
            if unpublished > 0 { try await Task.sleep(for: .milliseconds(500)) }
        } while unpublished > 0 && Date() < drainDeadline
        let stuck = try await database.withConnection { connection in
            try connection.query("SELECT routing_key, type, attempts, last_error FROM outbox WHERE published_at IS NULL LIMIT 5")
                .map { "\($0["type"] ?? "") → \($0["routing_key"] ?? "") attempts \($0["attempts"] ?? "") \($0["last_error"] ?? "")" }
        }
        XCTAssertEqual(unpublished, 0, "the outbox is drained; still unpublished: \(stuck)")

        await database.shutdown()
        await gateway.close()
        await events.close(deleting: true, stack: stack)
    }

    /// PostgreSQL stopped for three minutes while submissions flow: the services hold their
    /// deliveries and wait (health red meanwhile), requeue nothing, dead-letter nothing, and answer
    /// every submission once the database is back.
    func testADatabaseOutageWithTrafficFlowingPausesConsumption() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let run = "OUTAGE-\(UUID().uuidString.prefix(6))"
        let total = 300
        let deadBefore = try await stack.admin().messageCount(queue: "hotline.dead")
        let gateway = TestPublisher(user: "gateway", stack: stack)
        let messages = (0..<total).map { SampleSubmission.message(id: "\(run)-\($0)") }
        let publishing = Task {
            for chunk in stride(from: 0, to: total, by: 10) {
                await gateway.publishAll(Array(messages[chunk..<min(chunk + 10, total)]))
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
        try await Task.sleep(for: .seconds(3))
        let outage = try stack.startStack(["outage-postgres", "180"])
        let intake = try XCTUnwrap(platform.process("intake"))
        var sawDown = false
        while outage.isRunning {
            if let status = try? await HTTPProbe.status(port: intake.httpPort, path: "/health"), status == 503 { sawDown = true }
            try await Task.sleep(for: .seconds(1))
        }
        XCTAssertEqual(outage.wait(timeout: 0).map(ChildProcess.exitCode), 0, "stack.sh outage-postgres")
        XCTAssertTrue(sawDown, "/health is red while the database is away")
        await publishing.value

        let database = stack.database()
        let finished = Date().addingTimeInterval(180)
        var dispatched = 0
        repeat {
            try await Task.sleep(for: .seconds(1))
            dispatched = (try? await database.scalar(
                "SELECT count(*) AS n FROM tickets t JOIN ticket_status s USING (ticket_no) WHERE t.submission_id LIKE $1 AND s.status = 'dispatched'",
                ["\(run)-%"])) ?? 0
        } while dispatched < total && Date() < finished
        XCTAssertEqual(dispatched, total, "every submission became a dispatched ticket")
        let tickets = try await database.scalar("SELECT count(*) AS n FROM tickets WHERE submission_id LIKE $1", ["\(run)-%"])
        XCTAssertEqual(tickets, total, "one ticket per submission")
        let deadAfter = try await stack.admin().messageCount(queue: "hotline.dead")
        XCTAssertEqual(deadAfter, deadBefore, "nothing dead-lettered")
        for name in Platform.services {
            let metrics = try await XCTUnwrap(platform.process(name)).metrics()
            let requeued = metrics.split(separator: "\n").filter {
                $0.hasPrefix("hotline_messages_consumed_total{") && $0.contains(#"outcome="retry""#) && !$0.hasSuffix(" 0")
            }
            XCTAssertEqual(requeued, [], "\(name) gave no delivery back because of the outage")
        }
        await database.shutdown()
        await gateway.close()
    }

    func testTwoDispatchersShareTheWorkWithoutDuplicates() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let second = try platform.launch("dispatcher", port: stack.portBase + 12, key: "dispatcher-2")
        try await second.waitUntilHealthy()
        let first = try XCTUnwrap(platform.process("dispatcher"))
        let run = "PAIR-\(UUID().uuidString.prefix(6))"
        let total = 400
        let gateway = TestPublisher(user: "gateway", stack: stack)
        await gateway.publishAll((0..<total).map { SampleSubmission.message(id: "\(run)-\($0)") })

        let database = stack.database()
        let deadline = Date().addingTimeInterval(120)
        var dispatched = 0
        repeat {
            try await Task.sleep(for: .seconds(1))
            dispatched = try await database.scalar(
                "SELECT count(*) AS n FROM tickets t JOIN ticket_status s USING (ticket_no) WHERE t.submission_id LIKE $1 AND s.status = 'dispatched'", ["\(run)-%"])
        } while dispatched < total && Date() < deadline
        XCTAssertEqual(dispatched, total)
        let assignments = try await database.scalar(
            "SELECT count(*) AS n FROM assignments a JOIN tickets t USING (ticket_no) WHERE t.submission_id LIKE $1", ["\(run)-%"])
        XCTAssertEqual(assignments, total, "no duplicate assignments")

        // Both copies did part of the work.
        for process in [first, second] {
            let metrics = try await process.metrics()
            let handled = metrics.split(separator: "\n")
                .filter { $0.hasPrefix("hotline_messages_consumed_total") && $0.contains("ticket.accepted") && $0.contains("ack") }
                .compactMap { Double($0.split(separator: " ").last ?? "") }
                .reduce(0, +)
            XCTAssertGreaterThan(handled, 0, "dispatcher on port \(process.httpPort) handled nothing")
        }
        platform.remove("dispatcher-2")?.terminate()
        await database.shutdown()
        await gateway.close()
    }
}
