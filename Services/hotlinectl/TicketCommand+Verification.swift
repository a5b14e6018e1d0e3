import ArgumentParser
import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

extension TicketCommand {
    /// `unit.report-verification`, as the street office (`unit.<code>`): exit status 0 for
    /// `submission.verification-reported`, 3 for `command.rejected`.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report the grid worker's on-site verification of a held submission (PS §8(一)3), as the street office.")

        @Argument(help: "The verification id (from verification.requested or `ticket verifications`).") var verificationID: String
        @Option(help: "The street office's unit code.") var unit: String
        @Flag(inversion: .prefixedNo, help: "Whether the matter is as described (属实).") var verified: Bool
        @Option(help: "The grid worker (name or number).") var verifier: String
        @Option(help: "What the grid worker found; required with --no-verified.") var note: String?
        @Option(help: "When it was verified (RFC 3339); default now.") var verifiedAt: String?
        @OptionGroup var client: CommandClientOptions

        func run() async throws {
            try await runReportingErrors {
                let at = try verifiedAt.map { try parseTime($0, option: "verified-at") } ?? Date()
                try await CommandRequest(user: "unit.\(unit)", options: client).sendAndReport(
                    .unitReportVerification,
                    body: UnitReportVerification(
                        verificationID: verificationID, verified: verified, verifiedAt: at, verifier: verifier, note: note))
            }
        }
    }

    /// The on-site verifications, oldest first.
    struct Verifications: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List on-site verifications, oldest first (default: pending); overdue: pending past due_by.")
        @Flag(help: "Every verification, not only the pending ones.") var all = false
        @Option(help: "Only this street office's.") var unit: String?

        func run() async throws {
            try await runReportingErrors {
                let now = Date()
                let rows = try await withDatabase { database in
                    try await database.withConnection { connection in
                        try connection.query(
                            """
                            SELECT verification_id, office, street, requested_at, due_by, result, verifier, ticket_no
                            FROM grid_verifications
                            WHERE ($1::boolean OR result IS NULL) AND ($2::text IS NULL OR office = $2)
                            ORDER BY requested_at, verification_id LIMIT 1000
                            """, [all, unit]
                        ).map { row -> [String] in
                            let dueBy: Date = try row.decode("due_by")
                            let result: String? = try row.decodeIfPresent("result")
                            return [
                                try row.decode("verification_id"), try row.decode("office"), try row.decode("street"),
                                RFC3339.string(from: try row.decode("requested_at")), RFC3339.string(from: dueBy),
                                result ?? (dueBy < now ? "pending, overdue" : "pending"),
                                try row.decodeIfPresent("verifier") ?? "", try row.decodeIfPresent("ticket_no") ?? "",
                            ]
                        }
                    }
                }
                let header = ["verification", "office", "street", "requested_at", "due_by", "result", "verifier", "ticket"]
                for line in HotlineReport.align([header] + rows) { print(line) }
            }
        }
    }
}
