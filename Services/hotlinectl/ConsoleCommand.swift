import ArgumentParser
import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage
import HummingbirdBcrypt

/// `hotlinectl console user …`: the center console's accounts (`console_users`, docs/console.md
/// "Accounts and roles"). Passwords are stored as bcrypt hashes only; a password not given on
/// standard input is generated and printed once. Disabling an account or changing its password ends
/// its sessions at their next request (the account's `session_epoch` moves on).
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console", abstract: "The center console's accounts.", subcommands: [User.self])

    struct User: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add, list, disable, enable an account or set its password.",
            subcommands: [Add.self, List.self, Passwd.self, Disable.self, Enable.self])
    }

    /// The password to set: a line of standard input, or a generated one (printed).
    struct PasswordSource: ParsableArguments {
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (one line).")
        var fromStandardInput = false

        /// The password and whether it was generated.
        func password() throws -> (text: String, generated: Bool) {
            guard fromStandardInput else { return (PasswordFile.generatePassword(), true) }
            let line = readLine(strippingNewline: true) ?? ""
            if let problem = ConsolePassword.problem(line) { throw ValidationError("the password: \(problem)") }
            return (line, false)
        }
    }

    /// bcrypt's cost: about a quarter of a second a sign-in on these machines.
    static let cost: UInt8 = 12

    static func announce(_ password: (text: String, generated: Bool), of name: String) {
        if password.generated { print("password of \(name) (shown once): \(password.text)") }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an account.")
        @Argument(help: "The sign-in name (letters, digits, . _ -).") var name: String
        @Option(help: "dispatcher, reviewer, supervisor or administrator.") var role: String
        @Option(name: .customLong("display-name"), help: "The person's name, recorded with each decision.") var displayName: String
        @Flag(name: .customLong("if-missing"), help: "Do nothing when the account exists already.") var ifMissing = false
        @OptionGroup var password: PasswordSource

        func validate() throws {
            guard name.range(of: #"^[A-Za-z0-9._-]{2,64}$"#, options: .regularExpression) != nil else {
                throw ValidationError("the name: 2 to 64 letters, digits, '.', '_' or '-'")
            }
            guard ConsoleRole(rawValue: role) != nil else {
                throw ValidationError("--role: one of \(ConsoleRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let trimmed = displayName.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, trimmed.count <= 50 else { throw ValidationError("--display-name: 1 to 50 characters") }
        }

        func run() async throws {
            try await runReportingErrors {
                let secret = try password.password()
                let hash = Bcrypt.hash(secret.text, cost: ConsoleCommand.cost)
                let now = Date()
                let added = try await withDatabase { database in
                    try await database.withConnection { connection in
                        try connection.query(
                            """
                            INSERT INTO console_users (name, display_name, role, password_hash, created_at, password_changed_at, updated_at)
                            VALUES ($1, $2, $3, $4, $5, $5, $5) ON CONFLICT (name) DO NOTHING RETURNING name
                            """, [name, displayName.trimmingCharacters(in: .whitespaces), role, hash, now]).count == 1
                    }
                }
                guard added else {
                    if ifMissing { return }
                    throw ValidationError("\(name) exists already (use passwd, enable or disable)")
                }
                print("added \(name) (\(role))")
                ConsoleCommand.announce(secret, of: name)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The accounts, one a line.")

        func run() async throws {
            try await runReportingErrors {
                let rows = try await withDatabase { database in
                    try await database.withConnection { connection in
                        try connection.query(
                            "SELECT name, display_name, role, disabled, password_changed_at FROM console_users ORDER BY name")
                    }
                }
                if rows.isEmpty { print("no console accounts (add one: hotlinectl console user add NAME --role administrator --display-name NAME)") }
                for row in rows {
                    let changed: Date = try row.decode("password_changed_at")
                    let disabled: Bool = try row.decode("disabled")
                    print([
                        try row.decode("name", as: String.self), try row.decode("role", as: String.self),
                        try row.decode("display_name", as: String.self), disabled ? "disabled" : "active",
                        "password set \(RFC3339.string(from: changed))",
                    ].joined(separator: "  "))
                }
            }
        }
    }

    /// Runs `sql` with the account's name as $1 (and `more`) and fails when there is no such account.
    static func change(_ name: String, _ sql: String, _ more: [any PostgresEncodable] = []) async throws {
        let found = try await withDatabase { database in
            try await database.withConnection { connection in
                try connection.query(sql + " RETURNING name", [name] + more.map { $0 }).count == 1
            }
        }
        guard found else { throw ValidationError("no console account \(name)") }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set an account's password (its sessions end).")
        @Argument(help: "The sign-in name.") var name: String
        @OptionGroup var password: PasswordSource

        func run() async throws {
            try await runReportingErrors {
                let secret = try password.password()
                try await ConsoleCommand.change(
                    name,
                    """
                    UPDATE console_users SET password_hash = $2, password_changed_at = $3, updated_at = $3,
                        session_epoch = session_epoch + 1 WHERE name = $1
                    """,
                    [Bcrypt.hash(secret.text, cost: ConsoleCommand.cost), Date()])
                print("password of \(name) set")
                ConsoleCommand.announce(secret, of: name)
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account (its sessions end).")
        @Argument(help: "The sign-in name.") var name: String

        func run() async throws {
            try await runReportingErrors {
                try await ConsoleCommand.change(
                    name, "UPDATE console_users SET disabled = true, session_epoch = session_epoch + 1, updated_at = $2 WHERE name = $1",
                    [Date()])
                print("disabled \(name)")
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account again.")
        @Argument(help: "The sign-in name.") var name: String

        func run() async throws {
            try await runReportingErrors {
                try await ConsoleCommand.change(name, "UPDATE console_users SET disabled = false, updated_at = $2 WHERE name = $1", [Date()])
                print("enabled \(name)")
            }
        }
    }
}
