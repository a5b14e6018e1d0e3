import Foundation
import HotlineMessaging
import HotlineStorage
import XCTest

/// What operators rely on: `/metrics` and `/health` of the running services, JSON logs without
/// personal data, and `hotlinectl dead list|show|requeue` on `hotline.dead`.
final class OperationsTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    func testMetricsCountWhatTheServicesDo() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        for name in Platform.services { try await platform.process(name)?.waitUntilHealthy() }
        let events = Observer.bound(to: "hotline.events", routingKeys: ["ticket.dispatched", "command.rejected"], stack: stack)
        await events.waitUntilConnected()
        let gateway = TestPublisher(user: "gateway", stack: stack)
        let id = "METRICS-\(UUID().uuidString.prefix(8))"
        try await gateway.publish(
            exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit", body: SampleSubmission.body(id: id))
        let dispatched = await events.wait { $0.routingKey == "ticket.dispatched" }
        XCTAssertFalse(dispatched.isEmpty)
        // A command the dispatcher refuses: counted as rejected by command type and reason.
        let unit = TestPublisher(user: "unit.CG", stack: stack)
        let commandID = try await unit.publish(
            exchange: "hotline.commands", routingKey: "unit.sign", type: "unit.sign",
            body: Array(#"{"assignment_id": "NO-SUCH-ASSIGNMENT"}"#.utf8))
        let rejected = await events.wait { $0.properties.correlationID == commandID }
        XCTAssertEqual(rejected.first?.string("reason"), "not_found")
        // A made-up type is rejected too, and labelled `other`: clients cannot mint label values.
        let madeUp = "made.up-\(UUID().uuidString.prefix(8))"
        let madeUpID = try await unit.publish(
            exchange: "hotline.commands", routingKey: "unit.sign", type: madeUp, body: Array("{}".utf8))
        let madeUpRejected = await events.wait { $0.properties.correlationID == madeUpID }
        XCTAssertEqual(madeUpRejected.count, 1)

        let intake = try XCTUnwrap(platform.process("intake"))
        let intakeMetrics = try await intake.metrics()
        for name in [
            #"hotline_messages_consumed_total{queue="hotline.intake.submissions",type="ticket.submit",outcome="ack"}"#,
            "hotline_message_handling_seconds_bucket",
        ] {
            XCTAssertTrue(intakeMetrics.contains(name), "intake /metrics lacks \(name)")
        }
        // Any process's relay may publish any outbox row: the acceptance is counted by one of them.
        var published = 0.0
        for name in Platform.services {
            if let process = platform.process(name), let text = try? await process.metrics() {
                published += Self.value(of: #"hotline_messages_published_total{type="ticket.accepted"}"#, in: text) ?? 0
            }
        }
        XCTAssertGreaterThan(published, 0, "no process counted a published ticket.accepted")
        let dispatcher = try XCTUnwrap(platform.process("dispatcher"))
        // Gauges are refreshed every few seconds, the assignments gauge every 15 s: poll.
        let wanted = [#"hotline_assignments{state="pending"}"#, "hotline_outbox_backlog ", "hotline_outbox_oldest_age_seconds "]
        let dispatcherMetrics = try await Self.metrics(of: dispatcher, containing: wanted)
        for name in wanted { XCTAssertTrue(dispatcherMetrics.contains(name), "dispatcher /metrics lacks \(name)") }
        // The rejection is counted by whichever process's relay published it.
        var rejectedCount = 0.0
        for name in Platform.services {
            if let process = platform.process(name), let text = try? await process.metrics() {
                rejectedCount += Self.value(
                    of: #"hotline_commands_rejected_total{command_type="unit.sign",reason="not_found"}"#, in: text) ?? 0
            }
        }
        XCTAssertGreaterThan(rejectedCount, 0, "no process counted the command.rejected")
        let dispatcherText = try await dispatcher.metrics()
        XCTAssertFalse(dispatcherText.contains(madeUp), "a client's made-up type became a metric label")
        XCTAssertTrue(
            dispatcherText.contains(#"hotline_messages_consumed_total{queue="hotline.dispatcher.commands",type="other",outcome="ack"}"#),
            "the made-up type is consumed as other")
        let timer = try XCTUnwrap(platform.process("sla-timer"))
        let timerWanted = ["hotline_timers_pending ", "hotline_timers_due ", "hotline_timer_lateness_seconds_bucket"]
        var timerMetrics = try await Self.metrics(of: timer, containing: timerWanted)
        for name in timerWanted { XCTAssertTrue(timerMetrics.contains(name), "sla-timer /metrics lacks \(name)") }
        // Refreshed every 5 s: the new ticket's timers show up as pending.
        let pendingDeadline = Date().addingTimeInterval(20)
        while (Self.value(of: "hotline_timers_pending ", in: timerMetrics) ?? 0) == 0, Date() < pendingDeadline {
            try await Task.sleep(for: .milliseconds(500))
            timerMetrics = try await timer.metrics()
        }
        XCTAssertGreaterThan(Self.value(of: "hotline_timers_pending ", in: timerMetrics) ?? 0, 0, "the new ticket's timers are pending")

        await gateway.close()
        await unit.close()
        await events.close(deleting: true, stack: stack)
    }

    func testHealthSaysWhichServerIsDown() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let intake = try XCTUnwrap(platform.process("intake"))
        let healthy = try await HTTPProbe.body(port: intake.httpPort, path: "/health")
        XCTAssertTrue(healthy.contains(#""database":"up""#) && healthy.contains(#""broker":"up""#), healthy)

        // A survey service pointed at a port where no PostgreSQL listens: up, but not healthy.
        let port = stack.portBase + 30
        let broken = try ServiceProcess(
            "survey", stack: stack, httpPort: port,
            extraEnvironment: ["HOTLINE_DATABASE_URL": "postgres://hotline:hotline@127.0.0.1:1/hotline", "HOTLINE_BATCH": "1"])
        defer { broken.terminate() }
        let deadline = Date().addingTimeInterval(60)
        var status = 0
        var body = ""
        // Its consumers connect to the broker shortly after the server answers.
        while Date() < deadline {
            if let answer = try? await HTTPProbe.status(port: port, path: "/health") {
                status = answer
                body = (try? await HTTPProbe.body(port: port, path: "/health")) ?? ""
                if body.contains(#""broker":"up""#) { break }
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        XCTAssertEqual(status, 503, body)
        XCTAssertTrue(body.contains(#""database":"down""#), body)
        XCTAssertTrue(body.contains(#""broker":"up""#), body)
        XCTAssertTrue(body.contains(#""status":"down""#), body)
    }

    /// `/metrics` says how many days the working calendar still covers, and `/health` warns, staying
    /// healthy, when they are fewer than `HOTLINE_CALENDAR_WARNING_DAYS` (default 90).
    func testHealthWarnsBeforeTheWorkingCalendarRunsOut() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let intake = try XCTUnwrap(platform.process("intake"))
        let metrics = try await intake.metrics()
        let line = try XCTUnwrap(metrics.split(separator: "\n").first { $0.hasPrefix("hotline_calendar_days_left ") }, metrics)
        let daysLeft = try XCTUnwrap(Double(line.split(separator: " ")[1]).map(Int.init))
        XCTAssertGreaterThan(daysLeft, 0, "the loaded calendars cover today")
        let usual = try await HTTPProbe.body(port: intake.httpPort, path: "/health")
        XCTAssertEqual(usual.contains("warnings"), daysLeft < 90, usual)

        let watchful = try ServiceProcess(
            "survey", stack: stack, httpPort: stack.portBase + 40,
            extraEnvironment: ["HOTLINE_CALENDAR_WARNING_DAYS": String(daysLeft + 1)])
        defer { watchful.terminate() }
        try await watchful.waitUntilHealthy()
        let warned = try await HTTPProbe.body(port: watchful.httpPort, path: "/health")
        XCTAssertTrue(warned.contains(#""status":"up""#), warned)
        XCTAssertTrue(warned.contains("the working calendar ends") && warned.contains("in \(daysLeft) days"), warned)
    }

    /// Operational records older than their retention are deleted by the service that owns their
    /// table: a dispatcher purges the runtime's invalid messages but not intake's submissions, which
    /// an intake purges; younger rows stay.
    func testOldOperationalRecordsArePurgedByTheirOwners() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let database = stack.database()
        let tag = "RET-\(UUID().uuidString.prefix(8))"
        let now = Date()
        try await database.withConnection { connection in
            for (id, age) in [("\(tag)-old", 3.0), ("\(tag)-new", 0.0)] {
                try connection.query(
                    """
                    INSERT INTO invalid_messages (consumer, message_id, routing_key, body, errors, received_at, body_size)
                    VALUES ('retention-test', $1, 'x', '\\x00'::bytea, '[]'::jsonb, $2, 1)
                    """, [id, now.addingTimeInterval(-age * 86_400)])
            }
            try connection.query(
                "INSERT INTO submissions (submission_id, outcome_type, outcome, received_at) VALUES ($1, 'ticket.accepted', '\\x00'::bytea, $2)",
                ["\(tag)-old", now.addingTimeInterval(-400 * 86_400)])
        }
        func count(_ sql: String) async throws -> Int { try await database.scalar(sql, ["\(tag)-%"]) }
        /// The count once it is `expected`, or after 30 s.
        func settled(_ sql: String, at expected: Int) async throws -> Int {
            let deadline = Date().addingTimeInterval(30)
            var now = try await count(sql)
            while now != expected, Date() < deadline {
                try await Task.sleep(for: .milliseconds(200))
                now = try await count(sql)
            }
            return now
        }
        let invalid = "SELECT count(*) AS n FROM invalid_messages WHERE message_id LIKE $1"
        let submissions = "SELECT count(*) AS n FROM submissions WHERE submission_id LIKE $1"
        let settings = ["HOTLINE_RETENTION_INTERVAL": "1", "HOTLINE_RETENTION_INVALID_MESSAGES_DAYS": "2"]

        let dispatcher = try ServiceProcess("dispatcher", stack: stack, httpPort: stack.portBase + 38, extraEnvironment: settings)
        defer { dispatcher.terminate() }
        try await dispatcher.waitUntilHealthy()
        let invalidLeft = try await settled(invalid, at: 1)
        XCTAssertEqual(invalidLeft, 1, "the invalid message older than 2 days is purged, the new one kept")
        let metrics = try await dispatcher.metrics()
        XCTAssertTrue(metrics.contains(#"hotline_records_purged_total{table="invalid_messages"}"#), metrics)
        let submissionsLeft = try await count(submissions)
        XCTAssertEqual(submissionsLeft, 1, "a dispatcher does not purge intake's submissions")

        let intake = try ServiceProcess("intake", stack: stack, httpPort: stack.portBase + 39, extraEnvironment: settings)
        defer { intake.terminate() }
        try await intake.waitUntilHealthy()
        let submissionsPurged = try await settled(submissions, at: 0)
        XCTAssertEqual(submissionsPurged, 0, "intake purges submissions older than 365 days")
        await database.shutdown()
    }

    /// A service that cannot start as configured says why and exits (78, `EX_CONFIG`) instead of
    /// running and retrying every message: a rule profile that does not exist, a server address unset,
    /// a database on another host without verified TLS in production, a citizen-key secret missing in
    /// production or readable by others.
    func testAServiceThatCannotStartAsConfiguredExitsWithAClearError() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let openSecret = FileManager.default.temporaryDirectory.appendingPathComponent("citizen-key-\(UUID().uuidString)").path
        XCTAssertTrue(FileManager.default.createFile(
            atPath: openSecret, contents: Data(repeating: 0x61, count: 40), attributes: [.posixPermissions: 0o644]))
        defer { try? FileManager.default.removeItem(atPath: openSecret) }
        let cases: [(service: String, environment: [String: String], says: String)] = [
            ("intake", ["HOTLINE_PROFILE": "no-such-profile"], "no-such-profile.yaml"),
            ("dispatcher", ["HOTLINE_AMQP_URL": "", "HOTLINE_DEPLOYMENT": "production"], "HOTLINE_AMQP_URL not set"),
            ("survey", ["HOTLINE_DATABASE_URL": "postgres://hotline:hotline@db.invalid/hotline", "HOTLINE_DEPLOYMENT": "production"],
             "without sslmode=verify-full"),
            ("escalation-notifier", ["HOTLINE_RETENTION_PROCESSED_MESSAGES_DAYS": "1"], "HOTLINE_RETENTION_PROCESSED_MESSAGES_DAYS=1"),
            ("intake", ["HOTLINE_CITIZEN_KEY_FILE": "", "HOTLINE_DEPLOYMENT": "production"], "HOTLINE_CITIZEN_KEY_FILE not set"),
            ("intake", ["HOTLINE_CITIZEN_KEY_FILE": openSecret], "may be read by others (mode 644)"),
        ]
        for (offset, item) in cases.enumerated() {
            let port = stack.portBase + 50 + offset
            let process = try ServiceProcess(item.service, stack: stack, httpPort: port, extraEnvironment: item.environment)
            let exit = await process.exitCode(within: 30)
            XCTAssertEqual(exit, 78, item.says)
            let log = process.log
            XCTAssertTrue(log.contains("cannot start") && log.contains(item.says), log)
        }
    }

    /// A service whose health port is taken (a copy left running on it, say) says so and exits
    /// instead of running where nobody can see its health.
    func testAServiceWhoseHealthPortIsTakenSaysSoAndExits() async throws {
        let platform = try await Platform.start()
        let taken = try XCTUnwrap(platform.process("survey")).httpPort
        let process = try ServiceProcess("survey", stack: platform.stack, httpPort: taken)
        let exit = await process.exitCode(within: 30)
        XCTAssertEqual(exit, 1)
        XCTAssertTrue(process.log.contains("Address already in use"), process.log)
        let health = try await HTTPProbe.status(port: taken, path: "/health")
        XCTAssertEqual(health, 200, "the running survey is untouched")
    }

    /// The broker definitions carry salted password hashes only, in a file only its owner reads, for
    /// the virtual host `HOTLINE_AMQP_URL` names unless `--vhost` says otherwise, and every queue's
    /// length limit but the dead letters'. (Every other integration test logs in with passwords whose
    /// hashes these definitions imported.)
    func testBrokerDefinitionsHoldNoPasswordAndOnlyTheirOwnerReadsThem() async throws {
        let stack = try TestStack.fromEnvironment()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("defs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("definitions.json").path
        let passwords = directory.appendingPathComponent("passwords.yaml").path
        // An Open311 client of a clients file of its own: its broker user may only submit.
        let clients = directory.appendingPathComponent("open311-clients.yaml").path
        let added = try await Ctl.run(stack, ["open311", "client", "add", "test-app", "--channel", "web", "--clients", clients])
        XCTAssertEqual(added.status, 0, added.error)
        XCTAssertEqual(added.output.trimmingCharacters(in: .whitespacesAndNewlines).count, 64, "the key, printed once")
        let clientFile = try String(contentsOfFile: clients, encoding: .utf8)
        XCTAssertFalse(clientFile.contains(added.output.trimmingCharacters(in: .whitespacesAndNewlines)), "only the key's hash is kept")
        let run = try await Ctl.run(stack, [
            "broker", "definitions", "--out", out, "--passwords", passwords, "--open311-clients", clients,
        ])
        XCTAssertEqual(run.status, 0, run.error)
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o777, 0o600)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        let secrets = try String(contentsOfFile: passwords, encoding: .utf8).split(separator: "\n")
            .compactMap { $0.split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) }
        XCTAssertGreaterThan(secrets.count, 10)
        XCTAssertFalse(secrets.contains { text.contains($0) }, "no password in the definitions")
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let users = document["users"] as? [[String: Any]] ?? []
        XCTAssertEqual(users.count, secrets.count + 1, "the passwords file's users and the Open311 client's")
        XCTAssertTrue(users.contains { $0["name"] as? String == "open311.test-app" })
        let brokerPassword = try XCTUnwrap(clientFile.split(separator: "\n").first { $0.contains("broker_password") }?
            .split(separator: ":").last?.trimmingCharacters(in: .whitespaces))
        XCTAssertFalse(text.contains(brokerPassword), "no Open311 client's password in the definitions")
        XCTAssertTrue(users.allSatisfy {
            $0["password"] == nil && ($0["password_hash"] as? String)?.count == 48
                && $0["hashing_algorithm"] as? String == "rabbit_password_hashing_sha256"
        })
        let vhost = try AMQPConfiguration(url: stack.adminAMQPURL).virtualHost
        let permissions = document["permissions"] as? [[String: Any]] ?? []
        XCTAssertTrue(!permissions.isEmpty && permissions.allSatisfy { $0["vhost"] as? String == vhost }, "\(vhost)")
        let client = try XCTUnwrap(permissions.first { $0["user"] as? String == "open311.test-app" })
        XCTAssertEqual(client["write"] as? String, #"^hotline\.intake$"#)
        XCTAssertEqual(client["read"] as? String, "^$")
        XCTAssertEqual(client["configure"] as? String, "^$")
        let policies = document["policies"] as? [[String: Any]] ?? []
        XCTAssertEqual(policies.count, 3)

        // The queue limits the test stack imported (deploy/local/platform.sh) apply to the queues.
        let listing = try stack.rabbitmqctl("-q", "list_queues", "-p", vhost, "name", "policy")
        var policyOf: [String: String] = [:]
        for line in listing.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).map(String.init)
            if let name = fields.first { policyOf[name] = fields.count > 1 ? fields[1] : "" }
        }
        XCTAssertEqual(policyOf["hotline.unit.CG"], "hotline-unit-queues")
        XCTAssertEqual(policyOf["hotline.reply.center"], "hotline-reply-queues")
        XCTAssertEqual(policyOf["hotline.intake.submissions"], "hotline-queues")
        XCTAssertEqual(policyOf["hotline.dispatcher.commands"], "hotline-queues")
        XCTAssertEqual(policyOf["hotline.dead"], "", "dead letters have no limit")
    }

    func testLogsAreJSONLinesWithoutPersonalData() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        // This test's own intake and dispatcher, logging at debug level, so that every message they
        // handle is logged.
        let port = stack.portBase + 31, dispatcherPort = stack.portBase + 33
        let intake = try ServiceProcess("intake", stack: stack, httpPort: port, extraEnvironment: ["HOTLINE_LOG_LEVEL": "debug"])
        defer { intake.terminate() }
        let dispatcher = try ServiceProcess(
            "dispatcher", stack: stack, httpPort: dispatcherPort, extraEnvironment: ["HOTLINE_LOG_LEVEL": "debug"])
        defer { dispatcher.terminate() }
        try await intake.waitUntilHealthy()
        try await dispatcher.waitUntilHealthy()
        platform.remove("intake")?.terminate()
        platform.remove("dispatcher")?.terminate()
        defer {
            _ = try? platform.launch("intake", port: stack.portBase + 1)
            _ = try? platform.launch("dispatcher", port: stack.portBase + 2)
        }

        let events = Observer.bound(to: "hotline.events", routingKeys: ["ticket.accepted", "submission.invalid"], stack: stack)
        await events.waitUntilConnected()
        let gateway = TestPublisher(user: "gateway", stack: stack)
        let suffix = String(UUID().uuidString.prefix(6))
        let name = "欧阳测试\(suffix)"
        let phone = "139" + String(format: "%08d", Int.random(in: 0..<100_000_000))
        let id = "LOGS-\(suffix)"
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(SampleSubmission.body(id: id))) as? [String: Any])
        object["citizen"] = ["name": name, "phone": phone, "anonymous": false]
        let valid = try await gateway.publish(
            exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit",
            body: Array(try JSONSerialization.data(withJSONObject: object)))
        object["submission_id"] = "\(id)-BAD"
        object["description"] = ""
        object["channel"] = "no-such-channel \(phone) \(name)"
        let invalid = try await gateway.publish(
            exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit",
            body: Array(try JSONSerialization.data(withJSONObject: object)))
        let accepted = await events.wait { $0.properties.correlationID == valid }
        let ticketNo = try XCTUnwrap(accepted.first?.string("ticket_no"))
        let refused = await events.wait { $0.properties.correlationID == invalid }
        XCTAssertEqual(refused.first?.routingKey, "submission.invalid")
        await gateway.close()
        await events.close(deleting: true, stack: stack)

        await intake.waitForLog(containing: invalid, timeout: 10)
        let log = intake.log
        XCTAssertTrue(log.contains(valid), "the handled message is logged with its message_id")
        XCTAssertFalse(log.contains(phone), "a phone number in the logs")
        XCTAssertFalse(log.contains(name), "a citizen's name in the logs")
        let lines = log.split(separator: "\n").filter { $0.contains(valid) || $0.contains(invalid) }
        XCTAssertFalse(lines.isEmpty)
        for line in lines {
            let entry = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
            XCTAssertEqual(entry["service"] as? String, "intake")
            XCTAssertNotNil(entry["message_id"], String(line))
        }
        // The dispatcher's handling of the accepted ticket (its event) names neither.
        let acceptedEvent = try XCTUnwrap(accepted.first?.string("event_id"))
        await dispatcher.waitForLog(containing: acceptedEvent, timeout: 10)
        let dispatcherText = dispatcher.log
        XCTAssertFalse(dispatcherText.contains(phone))
        XCTAssertFalse(dispatcherText.contains(name))
        XCTAssertFalse(ticketNo.isEmpty)
    }

    func testDeadLettersCanBeListedShownAndRequeued() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let admin = stack.admin()
        let key = "ops.test.\(UUID().uuidString.prefix(8))"
        // A queue whose messages expire at once into hotline.dlx → hotline.dead.
        let dying = "hotline.test.dying-\(UUID().uuidString.prefix(8))"
        try await admin.declare(AMQPTopology(
            queues: [.init(dying, arguments: ["x-message-ttl": .int(1), "x-dead-letter-exchange": .string("hotline.dlx")])],
            bindings: [.init(queue: dying, exchange: "hotline.events", routingKey: key)]))
        let publisher = AMQPPublisher(configuration: try AMQPConfiguration(url: stack.adminAMQPURL), logger: TestStack.logger)
        let messageID = "DEAD-\(UUID().uuidString)"
        let body = #"{"note": "poison", "phone": "13800000000"}"#
        let outcome = try await publisher.publish([OutgoingMessage(
            exchange: "hotline.events", routingKey: key,
            properties: AMQPProperties(messageID: messageID, type: "ops.test", timestamp: Date()),
            body: Array(body.utf8), mandatory: true)])
        XCTAssertEqual(outcome, [.confirmed])
        await publisher.shutdown()

        // list (twice: listing consumes nothing)
        var entry: [String: Any]?
        let deadline = Date().addingTimeInterval(30)
        while entry == nil, Date() < deadline {
            let list = try await Ctl.run(stack, ["dead", "list", "--limit", "100000", "--json"])
            XCTAssertEqual(list.status, 0, list.error)
            let entries = (try? JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]]) ?? []
            entry = entries.first { $0["message_id"] as? String == messageID }
            if entry == nil { try await Task.sleep(for: .milliseconds(200)) }
        }
        let listed = try XCTUnwrap(entry, "the dead letter is listed")
        XCTAssertEqual(listed["queue"] as? String, dying)
        XCTAssertEqual(listed["reason"] as? String, "expired")
        XCTAssertEqual(listed["type"] as? String, "ops.test")
        XCTAssertEqual(listed["exchange"] as? String, "hotline.events")
        XCTAssertEqual(listed["routing_key"] as? String, key)
        let again = try await Ctl.run(stack, ["dead", "list", "--limit", "100000"])
        XCTAssertTrue(again.output.contains(messageID), "still there after listing")

        // show, by id and by number
        let show = try await Ctl.run(stack, ["dead", "show", "--id", messageID, "--json"])
        XCTAssertEqual(show.status, 0, show.error)
        let detail = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(show.output.utf8)) as? [String: Any])
        XCTAssertEqual(detail["body"] as? String, body)
        XCTAssertNotNil((detail["headers"] as? [String: Any])?["x-death"])
        let text = try await Ctl.run(stack, ["dead", "show", "--id", messageID, "--max-body", "10"])
        XCTAssertTrue(text.output.contains("first 10 shown"), text.output)
        XCTAssertTrue(text.output.contains("x-death"), text.output)
        let missing = try await Ctl.run(stack, ["dead", "show", "--id", "NO-SUCH-\(UUID().uuidString)"])
        XCTAssertNotEqual(missing.status, 0)

        // requeue: to the original exchange and routing key, observed arriving; then gone from hotline.dead
        try await admin.deleteQueue(dying)
        let observer = Observer.bound(to: "hotline.events", routingKeys: [key], stack: stack)
        await observer.waitUntilConnected()
        let requeue = try await Ctl.run(stack, ["dead", "requeue", "--id", messageID])
        XCTAssertEqual(requeue.status, 0, requeue.error)
        XCTAssertTrue(requeue.output.contains("requeued \(messageID) → hotline.events/\(key)"), requeue.output)
        let arrived = await observer.wait { $0.properties.messageID == messageID }
        XCTAssertEqual(arrived.count, 1)
        XCTAssertEqual(arrived.first.map { String(decoding: $0.body, as: UTF8.self) }, body)
        XCTAssertEqual(arrived.first?.properties.type, "ops.test")
        let after = try await Ctl.run(stack, ["dead", "list", "--limit", "100000"])
        XCTAssertEqual(after.status, 0, after.error)
        XCTAssertFalse(after.output.contains(messageID), "the dead copy is gone")
        let twice = try await Ctl.run(stack, ["dead", "requeue", "--id", messageID])
        XCTAssertNotEqual(twice.status, 0, "nothing left to requeue")
        await observer.close(deleting: true, stack: stack)
    }

    func testAPoisonMessageIsDeadLetteredAndCounted() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        // A survey service on a database with the reference data (so that it starts) but none of the
        // platform's other tables: every message fails and goes back.
        let database = stack.database()
        let emptyName = "\(URL(string: stack.databaseURL)?.lastPathComponent ?? "hotline")_empty"
        let exists = try await database.scalar("SELECT count(*) AS n FROM pg_database WHERE datname = $1", [emptyName])
        if exists == 0 { try await database.withConnection { _ = try $0.query("CREATE DATABASE \(emptyName)") } }
        let (jurisdiction, calendars) = try await database.withConnection { connection in
            (try connection.query("SELECT document::text AS d FROM jurisdiction").map { try $0.decode("d", as: String.self) },
             try connection.query("SELECT document::text AS d FROM calendar_years").map { try $0.decode("d", as: String.self) })
        }
        await database.shutdown()
        var components = try XCTUnwrap(URLComponents(string: stack.databaseURL))
        components.path = "/\(emptyName)"
        let empty = Database(url: try XCTUnwrap(components.string), applicationName: "poison-test", logger: TestStack.logger)
        try await empty.withConnection { connection in
            _ = try connection.query("DROP TABLE IF EXISTS jurisdiction, calendar_years")
            _ = try connection.query("CREATE TABLE jurisdiction (document jsonb NOT NULL, version bigint NOT NULL DEFAULT 1)")
            _ = try connection.query("CREATE TABLE calendar_years (year serial, document jsonb NOT NULL)")
            for document in jurisdiction { _ = try connection.query("INSERT INTO jurisdiction VALUES ($1::jsonb)", [document]) }
            for document in calendars {
                _ = try connection.query("INSERT INTO calendar_years (document) VALUES ($1::jsonb)", [document])
            }
        }
        await empty.shutdown()
        let port = stack.portBase + 32
        platform.remove("survey")?.terminate()
        defer { _ = try? platform.launch("survey", port: stack.portBase + 5) }
        let broken = try ServiceProcess(
            "survey", stack: stack, httpPort: port,
            extraEnvironment: ["HOTLINE_DATABASE_URL": try XCTUnwrap(components.string), "HOTLINE_BATCH": "1"])
        defer { broken.terminate() }
        try await broken.waitUntilHealthy()

        let publisher = AMQPPublisher(configuration: try AMQPConfiguration(url: stack.adminAMQPURL), logger: TestStack.logger)
        let messageID = "POISON-\(UUID().uuidString)"
        let outcome = try await publisher.publish([OutgoingMessage(
            exchange: "", routingKey: "hotline.survey.events",
            properties: AMQPProperties(messageID: messageID, type: "ticket.resolved", timestamp: Date()),
            body: Array(#"{"event_id": "x", "type": "ticket.resolved", "ticket_no": "PS-NONE"}"#.utf8), mandatory: true)])
        XCTAssertEqual(outcome, [.confirmed])
        await publisher.shutdown()

        let counter = #"hotline_messages_dead_lettered_total{queue="hotline.survey.events",type="ticket.resolved"}"#
        let metrics = try await Self.metrics(of: broken, containing: [counter], timeout: 60)
        XCTAssertEqual(Self.value(of: counter, in: metrics), 1, "counted once, when the delivery limit is reached")
        var entry: [String: Any]?
        let deadline = Date().addingTimeInterval(30)
        while entry == nil, Date() < deadline {
            let list = try await Ctl.run(stack, ["dead", "list", "--limit", "100000", "--json"])
            let entries = (try? JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]]) ?? []
            entry = entries.first { $0["message_id"] as? String == messageID }
            if entry == nil { try await Task.sleep(for: .milliseconds(200)) }
        }
        let dead = try XCTUnwrap(entry, "the poison message is in hotline.dead")
        XCTAssertEqual(dead["queue"] as? String, "hotline.survey.events")
        XCTAssertEqual(dead["reason"] as? String, "delivery_limit")
        let log = broken.log
        XCTAssertTrue(log.contains("delivery limit reached") && log.contains(messageID))
    }

    // MARK: helpers

    static func metrics(of process: ServiceProcess, containing names: [String], timeout: TimeInterval = 40) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var text = ""
        while Date() < deadline {
            text = try await process.metrics()
            if names.allSatisfy({ text.contains($0) }) { return text }
            try await Task.sleep(for: .milliseconds(500))
        }
        return text
    }

    /// The value of the first sample line starting with `prefix`.
    static func value(of prefix: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { line in
            line.split(separator: " ").last.flatMap { Double($0) }
        }
    }
}
