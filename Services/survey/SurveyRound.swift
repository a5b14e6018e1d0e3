import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage
import Logging

/// One round of surveys after a resolution: the same round number, units and expiry for the
/// resolved ticket's citizen and every merged citizen still waiting.
struct SurveyRound {
    let handled: String
    let number: Int
    let units: [String]
    let expiresAt: Date
    let counted: Bool
    let assignmentID: String?
    /// The `ticket.resolved` that started the round.
    let resolvedEvent: String
    let rules: SurveyRules
    let profile: String
    let connection: PostgresConnection
    let now: Date
    let logger: Logger

    /// Expires the citizen's open survey, stores the new one and invites the citizen (when there is
    /// a way to): the invitation and `survey.sent`; nothing when the survey exists already.
    func invite(ticketNo: String, citizen: Citizen, own: Bool) throws -> [OutboxMessage] {
        let surveyID = "SV-\(ticketNo)-\(number)"
        connection.write(
            "UPDATE surveys SET status = 'expired', expired_at = $2 WHERE ticket_no = $1 AND status = 'sent'",
            [ticketNo, now])
        let invitation = SurveyNotices.invitation(
            id: UUID().uuidString, surveyID: surveyID, ticketNo: ticketNo, citizen: citizen, rules: rules)
        let inserted = try connection.query(
            """
            INSERT INTO surveys (survey_id, ticket_no, round, profile, status, counted, sent_at, expires_at, handled_no,
                                 assignment_id, units, catalogue_excluded, invited, resolved_event)
            VALUES ($1, $2, $3, $4, 'sent', $5, $6, $7, $8, $9, $10::text[], $11, $12, $13)
            ON CONFLICT (survey_id) DO NOTHING RETURNING survey_id
            """,
            [surveyID, ticketNo, number, profile, counted, now, expiresAt, handled, assignmentID, units, !counted,
             invitation != nil, resolvedEvent])
        guard !inserted.isEmpty else {
            logger.warning("survey already exists; not sent again", metadata: ["survey_id": "\(surveyID)"])
            return []
        }
        try TicketHistory.record(
            ticketNo, actor: "survey", action: "survey_sent",
            detail: ["survey_id": surveyID, "round": "\(number)", "invited": invitation?.channel.rawValue ?? "no"],
            on: connection, now: now)
        var messages: [OutboxMessage] = []
        if let invitation { messages.append(try OutboxMessage.notification(invitation)) }
        messages.append(try OutboxMessage.event(SurveySent(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: ticketNo, surveyID: surveyID,
            method: invitation?.channel.rawValue, units: units, round: number, expiresAt: expiresAt,
            counted: counted, handledTicketNo: own ? nil : handled)))
        logger.info("survey sent", metadata: [
            "survey_id": "\(surveyID)", "round": "\(number)", "invited": "\(invitation != nil)",
        ])
        return messages
    }
}
