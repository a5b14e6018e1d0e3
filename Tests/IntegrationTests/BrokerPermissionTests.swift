import Foundation
import HotlineDomain
@testable import HotlineMessaging
import HotlineRuntime
import Logging
import XCTest

/// Each service's broker user may do only what its service does (docs/security.md "Least
/// privilege"), by the definitions `platform.sh prepare` imported: it publishes its own event types,
/// to the exchanges its service publishes to, never through the default exchange, and declares only
/// its own queues. (The whole suite runs the services as these users, so what they do need is allowed.)
final class BrokerPermissionTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    func testAServiceUserPublishesOnlyWhatItsServicePublishes() async throws {
        let stack = try TestStack.fromEnvironment()
        let events = Observer.bound(to: Exchange.events, routingKeys: ["submission.invalid"], stack: stack)
        await events.waitUntilConnected()
        let submissionID = "PERM-\(UUID().uuidString.prefix(8))"
        let invalid = try JSONSerialization.data(withJSONObject: [
            "type": "submission.invalid", "event_id": UUID().uuidString, "occurred_at": RFC3339.string(from: Date()),
            "submission_id": submissionID, "errors": [["field": "citizen.phone", "problem": "required unless anonymous"]],
        ])

        // Its own event: published.
        let intake = TestPublisher(user: "svc.intake", stack: stack)
        try await intake.publish(
            exchange: Exchange.events, routingKey: "submission.invalid", type: "submission.invalid", body: Array(invalid))
        await events.wait { $0.string("submission_id") == submissionID }
        await intake.close()

        // Another service's event, another service's exchange, the default exchange, the dead letters: refused.
        let refused: [(exchange: String, routingKey: String)] = [
            (Exchange.events, "ticket.resolved"), (Exchange.notifications, "sms.CG"), ("", HotlineTopology.replyQueue("center")),
            (Exchange.commands, "center.dispatch"), (Exchange.deadLetters, "ticket.submit"),
        ]
        for (exchange, routingKey) in refused {
            let publisher = TestPublisher(user: "svc.intake", stack: stack)
            do {
                try await publisher.publish(exchange: exchange, routingKey: routingKey, type: routingKey, body: Array("{}".utf8))
                XCTFail("svc.intake published \(routingKey) to '\(exchange)'")
            } catch {
                XCTAssertTrue("\(error)".contains("ACCESS_REFUSED"), "\(exchange) \(routingKey): \(error)")
            }
            await publisher.close()
        }
        await events.close(deleting: true, stack: stack)
    }

    /// The console's user sends the center's commands as `center` (it carries the `impersonator`
    /// tag, docs/security.md "The console"), but only to the platform's exchanges.
    func testTheConsoleSendsTheCentersCommandsAsCenterOnlyToThePlatformsExchanges() async throws {
        let stack = try await Platform.start().stack
        let events = Observer.bound(to: Exchange.events, routingKeys: ["command.rejected"], stack: stack)
        await events.waitUntilConnected()
        var logger = Logger(label: "permission-test")
        logger.logLevel = .critical
        let configuration = try AMQPConfiguration(url: stack.amqpURL(user: "svc.console"))
        let publisher = AMQPPublisher(configuration: configuration, logger: logger)
        let commandID = UUID().uuidString
        let outcomes = try await publisher.publish([OutgoingMessage(
            exchange: Exchange.commands, routingKey: "center.decide-return",
            properties: AMQPProperties(messageID: commandID, type: "center.decide-return", userID: "center", timestamp: Date()),
            body: Array(#"{"assignment_id":"PS-NONE-CONSOLE","approve":false,"note":"权限测试"}"#.utf8), mandatory: true)])
        await publisher.shutdown()
        XCTAssertEqual(outcomes, [.confirmed])
        let answered = await events.wait { $0.string("command_id") == commandID }
        XCTAssertEqual(answered.first?.string("reason"), "not_found", "the dispatcher took it as the center's")
        await events.close(deleting: true, stack: stack)

        let direct = AMQPPublisher(configuration: configuration, logger: logger)
        do {
            let outcome = try await direct.publish([OutgoingMessage(
                exchange: "", routingKey: HotlineTopology.submissionsQueue,
                properties: AMQPProperties(messageID: UUID().uuidString, type: "ticket.submit", userID: "gateway"),
                body: Array("{}".utf8), mandatory: true)])
            XCTFail("svc.console published through the default exchange: \(outcome)")
        } catch {
            XCTAssertTrue("\(error)".contains("ACCESS_REFUSED"), "\(error)")
        }
        await direct.shutdown()
    }

    /// A gateway submits tickets and searches the knowledge base; it sends no other command.
    func testAGatewaySendsOnlySubmissionsAndKnowledgeSearches() async throws {
        let stack = try TestStack.fromEnvironment()
        let allowed = TestPublisher(user: "gateway", stack: stack)
        try await allowed.publish(
            exchange: Exchange.commands, routingKey: "gateway.search-knowledge", type: "gateway.search-knowledge",
            body: Array(#"{"query":"权限测试"}"#.utf8))
        await allowed.close()
        for routingKey in ["center.dispatch", "unit.draft-knowledge", "gateway.other"] {
            let publisher = TestPublisher(user: "gateway", stack: stack)
            do {
                try await publisher.publish(exchange: Exchange.commands, routingKey: routingKey, type: routingKey, body: Array("{}".utf8))
                XCTFail("gateway published \(routingKey) to hotline.commands")
            } catch {
                XCTAssertTrue("\(error)".contains("ACCESS_REFUSED"), "\(routingKey): \(error)")
            }
            await publisher.close()
        }
    }

    /// A unit's system may hold ten connections; the eleventh is refused at login.
    func testAUserHoldsOnlySoManyConnections() async throws {
        let stack = try TestStack.fromEnvironment()
        let configuration = try AMQPConfiguration(url: stack.amqpURL(user: "unit.HB"))
        let outcome = try await BlockingThread.run(name: "connection-limit") { () -> (held: Int, refusal: String?) in
            var open: [AMQPConnection] = []
            defer { open.forEach { $0.close() } }
            do {
                for _ in 0..<11 { open.append(try AMQPConnection(configuration)) }
                return (open.count, nil)
            } catch {
                return (open.count, "\(error)")
            }
        }
        XCTAssertEqual(outcome.held, 10, "ten connections are allowed")
        XCTAssertNotNil(outcome.refusal, "the eleventh is refused")
    }

    func testAServiceUserDeclaresOnlyItsOwnQueues() async throws {
        let stack = try TestStack.fromEnvironment()
        func admin(_ user: String) throws -> AMQPAdmin {
            AMQPAdmin(configuration: try AMQPConfiguration(url: stack.amqpURL(user: user)))
        }
        // Its own queue and bindings, as its consumer declares them on every connect.
        try await admin("svc.intake").declare(HotlineTopology.submissions)
        try await admin("svc.dispatcher").declare(ServiceQueue.dispatcherEvents.topology)

        let refused: [(user: String, topology: AMQPTopology)] = [
            ("svc.dispatcher", HotlineTopology.submissions),
            ("svc.intake", AMQPTopology(exchanges: [.init(Exchange.events, type: "topic")])),
            ("svc.sla-timer", AMQPTopology(queues: [.init("hotline.test.\(UUID().uuidString.prefix(8))", arguments: [:])])),
        ]
        for (user, topology) in refused {
            do {
                try await admin(user).declare(topology)
                XCTFail("\(user) declared \(topology)")
            } catch {
                XCTAssertTrue("\(error)".contains("ACCESS_REFUSED"), "\(user): \(error)")
            }
        }
    }
}
