import ArgumentParser
import Foundation
import HotlineStorage

/// Audits a fault run in the database: every submission has exactly one outcome, every accepted
/// ticket exactly one live assignment, no fact in the outbox under two message ids, the outbox
/// drained, every malformed message answered once.
struct FaultAudit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fault-audit", abstract: "Audit a fault run's submissions in the database (no waiting).")

    @Option(help: "Run name given to fault-stream.")
    var run: String

    @Option(help: "Good submissions sent.")
    var count: Int

    @Option(help: "Malformed messages sent.")
    var malformed = 0

    func run() async throws {
        let environment = try BenchEnvironment.load(binDir: nil)
        let database = Database(url: environment.databaseURL, applicationName: "hotline-bench-audit", size: 1, logger: BenchEnvironment.logger)
        let figures = try await Auditor(database: database, run: run, count: count, malformed: malformed).figures()
        await database.shutdown()
        print("run \(run): sent \(count) / accepted \(figures.accepted) / not accepted \(figures.notAccepted) "
              + "/ duplicates \(figures.duplicateTickets) / lost \(count - figures.outcomes)")
        print("wrong live assignments \(figures.wrongLiveAssignments), facts under two ids \(figures.duplicateFacts), "
              + "outbox unpublished after a minute \(figures.unpublished), malformed answered \(figures.malformedAnswered)/\(malformed)")
        let failures = figures.failures(count: count, malformed: malformed)
        for failure in failures { print("FAIL: \(failure)") }
        if !failures.isEmpty { throw ExitCode(1) }
    }

    struct Figures: Sendable {
        var outcomes = 0
        var accepted = 0
        var notAccepted = 0
        var duplicateTickets = 0
        var wrongLiveAssignments = 0
        var duplicateFacts = 0
        var duplicateFactSamples: [String] = []
        /// Outbox rows still unpublished a minute after they were written (the relays' claim lease is
        /// 30 s). Newer rows do not count: on a sandbox with earlier runs' tickets, timers keep firing
        /// and the outbox is never empty at any one instant.
        var unpublished = 0
        var malformedAnswered = 0
        var malformedKept = 0
        var malformedTwice = 0

        func failures(count: Int, malformed: Int) -> [String] {
            var failures: [String] = []
            if outcomes != count { failures.append("\(count - outcomes) submissions have no outcome") }
            if duplicateTickets > 0 { failures.append("\(duplicateTickets) submissions made more than one ticket") }
            if wrongLiveAssignments > 0 { failures.append("\(wrongLiveAssignments) accepted tickets without exactly one live assignment") }
            if duplicateFacts > 0 { failures.append("\(duplicateFacts) facts published under several ids: \(duplicateFactSamples)") }
            if unpublished > 0 { failures.append("\(unpublished) outbox rows unpublished for over a minute") }
            if malformedAnswered != malformed { failures.append("\(malformed - malformedAnswered) malformed messages unanswered") }
            if malformedTwice > 0 { failures.append("\(malformedTwice) malformed messages answered under two ids") }
            return failures
        }
    }

    struct Auditor: Sendable {
        let database: Database
        let run: String
        let count: Int
        let malformed: Int

        /// The audit's figures; without `facts`, only the cheap ones the wait for quiescence polls
        /// (the facts query reads every outbox body as JSON).
        func figures(facts: Bool = true) async throws -> Figures {
            let like = run + "-%"
            let bad = "BAD-" + run + "-%"
            let badCommand = "BADC-" + run + "-%"
            return try await database.withConnection { connection in
                func int(_ sql: String, _ parameters: [String] = []) throws -> Int {
                    try connection.query(sql, parameters).first?.decode("n", as: Int.self) ?? 0
                }
                var f = Figures()
                f.outcomes = try int("SELECT count(*) AS n FROM submissions WHERE submission_id LIKE $1", [like])
                f.accepted = try int(
                    "SELECT count(*) AS n FROM submissions WHERE submission_id LIKE $1 AND outcome_type = 'ticket.accepted'", [like])
                f.notAccepted = f.outcomes - f.accepted
                f.duplicateTickets = try int(
                    """
                    SELECT count(*) AS n FROM (SELECT submission_id FROM tickets WHERE submission_id LIKE $1 AND parent_no IS NULL
                    GROUP BY submission_id HAVING count(*) > 1) d
                    """, [like])
                f.wrongLiveAssignments = try int(
                    """
                    SELECT count(*) AS n FROM (
                      SELECT s.ticket_no FROM submissions s
                      LEFT JOIN assignments a ON a.ticket_no = s.ticket_no
                        AND a.state IN ('pending', 'signed', 'return_requested', 'resolution_submitted', 'stage_resolved')
                      WHERE s.submission_id LIKE $1 AND s.outcome_type = 'ticket.accepted'
                      GROUP BY s.ticket_no HAVING count(a.assignment_id) <> 1) w
                    """, [like])
                f.unpublished = try int(
                    "SELECT count(*) AS n FROM outbox WHERE published_at IS NULL AND created_at < $1", [Date().addingTimeInterval(-60).postgresText])
                let answeredSubmissions = try int(
                    "SELECT count(DISTINCT correlation_id) AS n FROM outbox WHERE type = 'submission.invalid' AND correlation_id LIKE $1", [bad])
                let answeredCommands = try int(
                    "SELECT count(DISTINCT correlation_id) AS n FROM outbox WHERE type = 'command.rejected' AND correlation_id LIKE $1",
                    [badCommand])
                f.malformedAnswered = answeredSubmissions + answeredCommands
                guard facts else { return f }
                // One fact, one message id: events keyed by what they state, notifications by dedup_key.
                let rows = try connection.query(
                    """
                    WITH ours AS (SELECT ticket_no FROM tickets WHERE submission_id LIKE $1),
                    facts AS (
                      SELECT o.message_id, o.type, convert_from(o.body, 'UTF8')::jsonb AS b
                      FROM outbox o WHERE o.exchange <> '' AND o.routing_key NOT LIKE 'hotline.reply.%'
                    )
                    SELECT concat_ws('|', type, b->>'ticket_no', b->>'assignment_id', b->>'unit', b->>'deadline', b->>'due_at',
                                     b->>'days_overdue', b->>'alert_kind', b->>'tier', b->>'color', b->>'quarter',
                                     b->>'dedup_key') AS fact, count(DISTINCT message_id) AS ids
                    FROM facts WHERE b->>'ticket_no' IN (SELECT ticket_no FROM ours)
                    GROUP BY 1 HAVING count(DISTINCT message_id) > 1
                    """, [like])
                f.duplicateFacts = rows.count
                f.duplicateFactSamples = rows.prefix(3).map { $0["fact"] ?? "" }
                f.malformedKept = try int(
                    "SELECT count(DISTINCT message_id) AS n FROM invalid_messages WHERE message_id LIKE $1 OR message_id LIKE $2", [bad, badCommand])
                f.malformedTwice = try int(
                    """
                    SELECT count(*) AS n FROM (SELECT correlation_id FROM outbox
                      WHERE (correlation_id LIKE $1 OR correlation_id LIKE $2) AND type IN ('submission.invalid', 'command.rejected')
                        AND exchange = 'hotline.events'
                      GROUP BY correlation_id HAVING count(DISTINCT message_id) > 1) t
                    """, [bad, badCommand])
                return f
            }
        }
    }
}
