import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage
import Logging
import XCTest

/// The servers and binaries that `deploy/local/test.sh` prepared, from its environment.
struct TestStack: Sendable {
    let databaseURL: String
    let adminAMQPURL: String
    let passwords: [String: String]
    /// The broker users' passwords file, read again for a user made after the tests started.
    let passwordsFile: String
    /// Passwords of the services' database roles (`HOTLINE_DATABASE_PASSWORDS_FILE`).
    let databasePasswords: [String: String]
    let binDirectory: String
    let stackScript: String
    let repoRoot: String
    /// The first of the HTTP ports the test services use (`HOTLINE_TEST_PORT_BASE`, default 19080),
    /// so that parallel test runs in separate sandboxes do not collide.
    let portBase: Int
    /// The servers' TLS settings (`HOTLINE_TLS_CA_FILE`, `HOTLINE_AMQPS_PORT`, `HOTLINE_PG_TLS`).
    let tls: TLSSettings?
    /// The citizen keys intake makes (`HOTLINE_CITIZEN_KEY_FILE`, which only intake is given).
    let citizenKeys: CitizenKeys

    struct TLSSettings: Sendable {
        /// PEM file of the authority that signed the servers' certificates.
        let authorityFile: String
        let amqpsPort: Int
        /// Whether PostgreSQL serves TLS (ours does; a reused Debian cluster may not).
        let postgres: Bool

        /// `url` over TLS to the broker's TLS port, trusting `authority`. The host is named
        /// `localhost`: rabbitmq-c matches it against the certificate's DNS names only.
        func amqps(_ url: String, authority: String) -> String {
            var components = URLComponents(string: url)!
            components.scheme = "amqps"
            components.host = "localhost"
            components.port = amqpsPort
            components.queryItems = [URLQueryItem(name: "cacertfile", value: authority)]
            return components.string!
        }

        /// `url` with `sslmode=verify-full`, trusting `authority`.
        func verifyFull(_ url: String, authority: String) -> String {
            url.prefix { $0 != "?" } + "?sslmode=verify-full&sslrootcert=" + authority
        }
    }

    static func fromEnvironment() throws -> TestStack {
        let environment = ProcessInfo.processInfo.environment
        guard let database = environment["HOTLINE_DATABASE_URL"], let amqp = environment["HOTLINE_AMQP_URL"],
              let passwordsPath = environment["HOTLINE_PASSWORDS_FILE"],
              let databasePasswordsPath = environment["HOTLINE_DATABASE_PASSWORDS_FILE"], let bin = environment["HOTLINE_BIN_DIR"],
              let script = environment["HOTLINE_STACK_SCRIPT"], let root = environment["HOTLINE_REPO_ROOT"]
        else {
            throw XCTSkip("integration tests run through deploy/local/test.sh, which starts the servers")
        }
        let tls = environment["HOTLINE_TLS_CA_FILE"].flatMap { file in
            environment["HOTLINE_AMQPS_PORT"].flatMap(Int.init).map {
                TLSSettings(authorityFile: file, amqpsPort: $0, postgres: environment["HOTLINE_PG_TLS"] == "1")
            }
        }
        // Over TLS unless HOTLINE_TEST_TLS=0: every connection of the tests and of the services they start.
        var adminAMQPURL = amqp, databaseURL = database
        if let tls, environment["HOTLINE_TEST_TLS"] != "0" {
            adminAMQPURL = tls.amqps(amqp, authority: tls.authorityFile)
            if tls.postgres { databaseURL = tls.verifyFull(database, authority: tls.authorityFile) }
        }
        return TestStack(
            databaseURL: databaseURL, adminAMQPURL: adminAMQPURL,
            passwords: try PasswordFile.read(URL(fileURLWithPath: passwordsPath)), passwordsFile: passwordsPath,
            databasePasswords: try PasswordFile.read(URL(fileURLWithPath: databasePasswordsPath)), binDirectory: bin,
            stackScript: script, repoRoot: root,
            portBase: environment["HOTLINE_TEST_PORT_BASE"].flatMap(Int.init) ?? 19080, tls: tls,
            citizenKeys: try CitizenKeys.load(
                configuration: ServiceConfiguration(service: "tests", defaultHTTPPort: 0), logger: logger))
    }

    static let logger: Logger = {
        var logger = Logger(label: "integration-tests")
        logger.logLevel = .warning
        return logger
    }()

    /// The broker URL for one of the platform's users (`gateway`, `unit.CG`, `svc.intake`, …): the
    /// administrator's URL with that user's name and password.
    func amqpURL(user: String) -> String {
        var components = URLComponents(string: adminAMQPURL)!
        let password = passwords[user] ?? (try? PasswordFile.read(URL(fileURLWithPath: passwordsFile)))?[user] ?? ""
        components.percentEncodedUser = user.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? user
        components.percentEncodedPassword = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? password
        return components.string!
    }

    /// The broker URL for `user` over TLS, trusting `authority` (the local one by default).
    func amqpsURL(user: String, authority: String? = nil) throws -> String {
        let tls = try requireTLS()
        return tls.amqps(amqpURL(user: user), authority: authority ?? tls.authorityFile)
    }

    /// `url` (by default the stack's database URL) as a service's own role (`<database>_<service>`,
    /// made by `hotlinectl migrate`).
    func databaseURL(service: String, from url: String? = nil) throws -> String {
        let role = try XCTUnwrap(DatabaseRole.of(service), "no database role for \(service)")
        return try role.url(from: url ?? databaseURL, passwords: databasePasswords)
    }

    /// The database URL with `sslmode=verify-full`, trusting `authority` (the local one by default).
    func databaseURL(verifyingWith authority: String? = nil) throws -> String {
        let tls = try requireTLS()
        guard tls.postgres else { throw XCTSkip("PostgreSQL is a reused cluster without the stack's TLS settings") }
        return tls.verifyFull(databaseURL, authority: authority ?? tls.authorityFile)
    }

    private func requireTLS() throws -> TLSSettings {
        guard let tls else { throw XCTSkip("deploy/local/test.sh gives the servers' TLS settings") }
        return tls
    }

    func database() -> Database {
        Database(url: databaseURL, applicationName: "integration-tests", size: 2, logger: Self.logger)
    }

    func admin() -> AMQPAdmin { AMQPAdmin(configuration: try! AMQPConfiguration(url: adminAMQPURL)) }

    /// Runs a subcommand of `deploy/local/stack.sh` (e.g. `restart-rabbitmq`) and waits for it.
    func stack(_ arguments: String...) throws {
        let child = try startStack(arguments)
        guard let status = child.wait(timeout: 180), ChildProcess.exitCode(status) == 0 else {
            throw NSError(domain: "stack", code: 1, userInfo: [
                NSLocalizedDescriptionKey: "stack.sh \(arguments.joined(separator: " ")) failed",
            ])
        }
    }

    /// The output of `rabbitmqctl ARGUMENTS` against the stack's node.
    func rabbitmqctl(_ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [stackScript, "rabbitmqctl"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: repoRoot)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "rabbitmqctl", code: Int(process.terminationStatus), userInfo: [
                NSLocalizedDescriptionKey: "rabbitmqctl \(arguments.joined(separator: " ")) failed",
            ])
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Starts a subcommand of `deploy/local/stack.sh` without waiting for it.
    func startStack(_ arguments: [String]) throws -> ChildProcess {
        try ChildProcess(
            executable: "/bin/bash", arguments: [stackScript] + arguments,
            environment: ProcessInfo.processInfo.environment, directory: repoRoot, logFile: nil)
    }
}
