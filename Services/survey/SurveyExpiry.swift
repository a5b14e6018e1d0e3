import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage
import Logging
import Metrics
import ServiceLifecycle

/// Expires unanswered surveys (docs/rules.md "Survey": no answer within the profile's window, default 3 days).
/// Every copy of the survey service runs one; they share the due rows through `FOR UPDATE SKIP LOCKED`
/// on `surveys.expires_at` (a partial index on the open surveys), compared with the service clock, never
/// SQL `now()`. An expired survey is no response, never satisfied: `status = 'expired'`,
/// `survey.completed` with `expired: true`, and the citizen's ticket closes (`ticket.closed`) unless it
/// is the handled ticket and this round already sent it back for re-handling.
///
/// Settings: `HOTLINE_SURVEY_POLL_SECONDS` (longest sleep between polls, default 5),
/// `HOTLINE_SURVEY_BATCH` (surveys per transaction, default 200).
final class SurveyExpiry: Service, Sendable {
    private let runtime: ServiceRuntime
    private let loop: PollingLoop
    private let pollInterval: Double
    private let batchSize: Int

    init(runtime: ServiceRuntime, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.runtime = runtime
        pollInterval = max(0.05, environment["HOTLINE_SURVEY_POLL_SECONDS"].flatMap(Double.init) ?? 5)
        batchSize = max(1, environment["HOTLINE_SURVEY_BATCH"].flatMap(Int.init) ?? 200)
        loop = PollingLoop("survey expiry poll", logger: runtime.logger)
    }

    /// A survey was created in this process: look at the due times again.
    func nudge() { loop.nudge() }

    func run() async throws {
        await loop.run {
            if try await expireDue() >= batchSize { return .now }
            let next = try await runtime.database.withConnection { connection -> Date? in
                try connection.query("SELECT min(expires_at) AS due FROM surveys WHERE status = 'sent'")
                    .first?.decodeIfPresent("due")
            }
            return .until(next, now: runtime.clock.now(), atMost: pollInterval)
        }
    }

    /// One transaction: claim the due surveys, expire them, write the events to the outbox.
    func expireDue() async throws -> Int {
        let clock = runtime.clock
        let batch = batchSize
        let logger = runtime.logger
        let publisher = runtime.relay.service
        let (count, published) = try await runtime.database.transaction { connection -> (Int, Int) in
            let now = clock.now()
            let due = try connection.query(
                """
                SELECT \(SurveyRow.columns) FROM surveys
                WHERE status = 'sent' AND expires_at <= $1
                ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED
                """, [now, batch]
            ).map(SurveyRow.init)
            var messages: [OutboxMessage] = []
            for survey in due {
                connection.write(
                    "UPDATE surveys SET status = 'expired', expired_at = $2 WHERE survey_id = $1", [survey.surveyID, now])
                try TicketHistory.record(
                    survey.ticketNo, actor: "survey", action: "survey_expired", detail: ["survey_id": survey.surveyID],
                    on: connection, now: now)
                messages.append(try OutboxMessage.event(SurveyCompleted(
                    eventID: UUID().uuidString, occurredAt: now, ticketNo: survey.ticketNo, surveyID: survey.surveyID,
                    rehandle: false, excluded: false, expired: true, round: survey.round, counted: survey.counted,
                    units: survey.units)))
                let reopened = try SurveyStore.reopened(survey.handledNo, round: survey.round, on: connection)
                if SurveyVerdict.closesTicket(
                    surveyTicket: survey.ticketNo, handledTicket: survey.handledNo, sentBack: false,
                    reopenedThisRound: reopened),
                   let closed = try SurveyStore.closeTicket(
                       survey.ticketNo, reason: "survey_expired", surveyID: survey.surveyID, on: connection, now: now)
                {
                    messages.append(closed)
                }
                logger.info("survey expired", metadata: ["survey_id": "\(survey.surveyID)"])
            }
            try Outbox.enqueue(messages, by: publisher, on: connection, now: now)
            return (due.count, messages.count)
        }
        if count > 0 {
            Counter(label: "hotline_survey_outcomes_total", dimensions: [("outcome", "expired")]).increment(by: count)
        }
        if published > 0 { runtime.relay.nudge() }
        return count
    }
}
