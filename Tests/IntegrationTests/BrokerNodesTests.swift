import Foundation
import HotlineMessaging
import HotlineRuntime
import XCTest

/// A broker is a list of nodes (`HOTLINE_AMQP_URL` with commas, docs/deployment.md "The URLs"): the URL
/// is read into every node, and a connection goes to the first node that answers.
final class BrokerNodesTests: XCTestCase {
    func testAListOfNodesIsReadWithOneSetOfCredentials() throws {
        let cluster = try AMQPConfiguration(
            url: "amqp://svc.intake:p%40ss@mq1:5672/hotline,amqp://svc.intake:p%40ss@mq2:5673/hotline, mq3")
        XCTAssertEqual(cluster.nodes.map(\.description), ["mq1:5672", "mq2:5673", "mq3:5672"])
        XCTAssertEqual(cluster.password, "p@ss")
        XCTAssertEqual(cluster.virtualHost, "hotline")
        XCTAssertEqual(Set(cluster.connectionOrder().map(\.description)), ["mq1:5672", "mq2:5673", "mq3:5672"])
        XCTAssertEqual(try AMQPConfiguration(url: "amqps://u:p@a/v,b:5999").nodes.map(\.description), ["a:5671", "b:5999"])
        XCTAssertEqual(try AMQPConfiguration(url: "amqp://u:p@a/v").nodes.map(\.description), ["a:5672"])
        for url in [
            "amqp://u:p@a/v,amqp://other:p@b/v",        // another user
            "amqp://u:p@a/v,amqp://u:p@b/elsewhere",    // another virtual host
            "amqp://u:p@a/v,amqps://u:p@b/v",           // TLS on one node only
            "amqp://u:p@a/v,,b",
            "amqp://u:p@a/v,u@b",
        ] {
            XCTAssertThrowsError(try AMQPConfiguration(url: url), url)
        }
        XCTAssertEqual(
            AMQPConfiguration.redact("amqp://u:secret@a/v,amqp://u:secret@b/v"), "amqp://u:***@a/v,amqp://u:***@b/v")
    }

    /// With the first node down (nothing listens on its port), every connection goes to the live one.
    func testAConnectionGoesToANodeThatAnswers() async throws {
        let stack = try TestStack.fromEnvironment()
        var live = URLComponents(string: stack.adminAMQPURL)!
        let livePort = live.port ?? 5672, host = live.host ?? "127.0.0.1"
        live.port = 1
        let url = "\(live.string!),\(host):\(livePort)"
        let admin = AMQPAdmin(configuration: try AMQPConfiguration(url: url))
        for _ in 0..<4 {
            let status = try await admin.queueStatus(queue: "hotline.dead")
            XCTAssertNotNil(status, "hotline.dead exists on the live node")
        }
    }
}
