import Foundation
import HotlineMessaging
import HotlineRuntime
import HotlineStorage
import XCTest

/// The platform over TLS (docs/security.md "Transport"): services reach the broker by `amqps://` and
/// PostgreSQL with `sslmode=verify-full`, and a server whose certificate they cannot verify is refused.
final class TransportSecurityTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    /// intake and dispatcher, connected to both servers over TLS, take a submission a gateway
    /// publishes over TLS through to `ticket.dispatched`; the broker lists their connections as TLS
    /// and PostgreSQL their sessions as encrypted.
    func testTheServicesWorkOverTLS() async throws {
        let platform = try await Platform.start()
        let stack = platform.stack
        let databaseURL = try stack.databaseURL(verifyingWith: nil)
        for (index, name) in ["intake", "dispatcher"].enumerated() {
            platform.remove(name)?.terminate()
            let process = try platform.launch(name, port: stack.portBase + 1 + index, environment: [
                "HOTLINE_AMQP_URL": try stack.amqpsURL(user: "svc.\(name)"),
                "HOTLINE_DATABASE_URL": try stack.databaseURL(service: name, from: databaseURL),
            ])
            try await process.waitUntilHealthy()
        }
        let events = Observer.bound(to: "hotline.events", routingKeys: ["ticket.accepted", "ticket.dispatched"], stack: stack)
        await events.waitUntilConnected()
        let gateway = TestPublisher(user: "gateway", url: try stack.amqpsURL(user: "gateway"))
        let submissionID = "TLS-\(UUID().uuidString.prefix(8))"
        try await gateway.publish(
            exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit",
            body: SampleSubmission.body(id: submissionID))
        let accepted = await events.wait { $0.routingKey == "ticket.accepted" && $0.string("submission_id") == submissionID }
        let ticketNo = try XCTUnwrap(accepted.first?.string("ticket_no"))
        await events.wait { $0.routingKey == "ticket.dispatched" && $0.string("ticket_no") == ticketNo }

        let vhost = try AMQPConfiguration(url: stack.adminAMQPURL).virtualHost
        let connections = try stack.rabbitmqctl("-q", "list_connections", "-p", vhost, "user", "ssl")
            .split(separator: "\n").map { $0.split(whereSeparator: { $0 == "\t" || $0 == " " }).map(String.init) }
        for user in ["svc.intake", "svc.dispatcher", "gateway"] {
            let theirs = connections.filter { $0.first == user }
            XCTAssertFalse(theirs.isEmpty, "\(user) is connected")
            XCTAssertTrue(theirs.allSatisfy { $0.last == "true" }, "every connection of \(user) uses TLS: \(theirs)")
        }
        // A role sees the TLS state of its own sessions only: each service's sessions, as its role.
        for name in ["intake", "dispatcher"] {
            let sessions = try PostgresConnection(
                url: try stack.databaseURL(service: name, from: databaseURL), applicationName: "transport-tests")
            defer { sessions.close() }
            let rows = try sessions.query("""
                SELECT s.ssl, coalesce(s.version, '') AS version
                FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)
                WHERE a.application_name = $1 AND a.usename = current_user
                """, ["hotline-\(name)"])
            XCTAssertFalse(rows.isEmpty, "\(name)'s sessions are listed")
            for row in rows {
                XCTAssertEqual(try row.decode("ssl", as: Bool.self), true, "\(name) is encrypted")
                XCTAssertTrue(try row.decode("version", as: String.self).hasPrefix("TLSv1."), name)
            }
        }
        await gateway.close()
        await events.close(deleting: true, stack: stack)
    }

    /// A broker or database whose certificate does not chain to the trusted authorities is refused
    /// (here: trusting only the system's authorities, which did not sign the local certificate); a
    /// service so configured reports itself unhealthy and logs why.
    func testAServerWhoseCertificateCannotBeVerifiedIsRefused() async throws {
        let stack = try TestStack.fromEnvironment()
        let untrusted = AMQPConfiguration.TLS.systemTrustStore
        let publisher = TestPublisher(user: "gateway", url: try stack.amqpsURL(user: "gateway", authority: untrusted))
        do {
            try await publisher.publish(exchange: "hotline.intake", routingKey: "ticket.submit", type: "ticket.submit", body: [])
            XCTFail("a broker whose certificate is not trusted is refused")
        } catch {
            XCTAssertTrue("\(error)".contains("over TLS"), "\(error)")
        }
        await publisher.close()

        let untrustedDatabase = try stack.databaseURL(verifyingWith: untrusted)
        XCTAssertThrowsError(try PostgresConnection(url: untrustedDatabase, applicationName: "transport-tests")) { error in
            XCTAssertTrue("\(error)".contains("certificate verify failed"), "\(error)")
        }

        let process = try ServiceProcess("intake", stack: stack, httpPort: stack.portBase + 45, extraEnvironment: [
            "HOTLINE_DATABASE_URL": untrustedDatabase,
        ])
        defer { process.terminate() }
        await process.waitForLog(containing: "certificate verify failed")
        await process.waitForLog(containing: "health and metrics listening")
        XCTAssertTrue(process.log.contains("database unreachable"), process.log)
        let health = try await HTTPProbe.status(port: process.httpPort, path: "/health")
        XCTAssertEqual(health, 503)
    }

    /// Broker URLs are read as written: credentials decoded once, and settings that would silently
    /// weaken a connection refused.
    func testTLSSettingsAreCheckedWhenTheURLIsRead() throws {
        let tls = try XCTUnwrap(try AMQPConfiguration(url: "amqps://u:p@broker.example/district").tls)
        XCTAssertTrue(tls.verifyPeer, "certificates are verified unless told otherwise")
        XCTAssertNil(tls.caFile)
        XCTAssertEqual(try AMQPConfiguration(url: "amqps://u:p@broker.example/district").port, 5671)
        let chosen = try XCTUnwrap(try AMQPConfiguration(url: "amqps://u:p@h/v?cacertfile=/etc/ca.pem&verify=verify_none").tls)
        XCTAssertEqual(chosen.caFile, "/etc/ca.pem")
        XCTAssertFalse(chosen.verifyPeer)
        let encoded = try AMQPConfiguration(url: "amqps://unit.QH-CGJ:p%25ss%40w%3Ard@h/v")
        XCTAssertEqual(encoded.user, "unit.QH-CGJ")
        XCTAssertEqual(encoded.password, "p%ss@w:rd", "a percent-encoded password is decoded once")
        for url in [
            "amqps://u:p@h/v?cacertfle=/etc/ca.pem",      // misspelt: would fall back to the system's store
            "amqps://u:p@h/v?verify=no",
            "amqps://u:p@h/v?certfile=/etc/client.pem",     // a certificate without its key
            "amqp://u:p@h/v?cacertfile=/etc/ca.pem",        // TLS settings on a plain URL
            "http://u:p@h/v",
        ] {
            XCTAssertThrowsError(try AMQPConfiguration(url: url), url)
        }
    }

    /// In production a server on another host is reached only over TLS that verifies its
    /// certificate; loopback and Unix sockets need none.
    func testProductionRefusesServersReachedWithoutVerifiedTLS() throws {
        func check(_ amqp: String, _ database: String, pgSSLMode: String? = nil) -> String? {
            var environment = ["HOTLINE_DEPLOYMENT": "production", "HOTLINE_AMQP_URL": amqp, "HOTLINE_DATABASE_URL": database]
            environment["PGSSLMODE"] = pgSSLMode
            do {
                try ServiceConfiguration(service: "intake", defaultHTTPPort: 8080, environment: environment).checkServers()
                return nil
            } catch {
                return "\(error)"
            }
        }
        let broker = "amqps://svc.intake:secret@mq.district.gov.cn/hotline?cacertfile=/etc/hotline/ca.pem"
        let database = "postgres://svc_intake:secret@db.district.gov.cn:5432/hotline?sslmode=verify-full&sslrootcert=/etc/hotline/ca.pem"
        XCTAssertNil(check(broker, database))
        XCTAssertNil(check("amqp://guest:guest@127.0.0.1:5672/%2f", "postgres://hotline:hotline@localhost/hotline"))
        XCTAssertNil(check(broker, "host=/run/postgresql dbname=hotline"))
        XCTAssertNil(check(broker, "postgres://u:p@db.district.gov.cn/hotline", pgSSLMode: "verify-full"))

        let refused: [(amqp: String, database: String, says: String)] = [
            ("amqp://svc.intake:secret@mq.district.gov.cn/hotline", database, "HOTLINE_AMQP_URL reaches mq.district.gov.cn without TLS"),
            (broker + "&verify=verify_none", database, "verify=verify_none"),
            (broker, "postgres://u:p@db.district.gov.cn/hotline", "without sslmode=verify-full"),
            (broker, "postgres://u:p@db.district.gov.cn/hotline?sslmode=require", "without sslmode=verify-full"),
            (broker, "postgres://u:p@localhost,db2.district.gov.cn:5433/hotline?sslmode=verify-ca", "db2.district.gov.cn"),
            (broker, "host=db.district.gov.cn dbname=hotline sslmode=prefer", "without sslmode=verify-full"),
        ]
        for item in refused {
            let error = check(item.amqp, item.database)
            XCTAssertTrue(error?.contains(item.says) == true, "\(item.says): \(error ?? "accepted")")
        }
    }
}
