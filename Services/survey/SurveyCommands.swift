import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage
import Logging
import Metrics
import Synchronization

/// `survey.response` (from the survey channel, user `survey`) and `center.exclude-dissatisfaction`
/// (from `center`), on `hotline.survey.commands`. Every command gets exactly one outcome
/// (`ServiceRuntime.answer`): `survey.completed`, or `command.rejected` with `forbidden`, `not_found`,
/// `invalid` (every problem listed in `message` and `errors`), `wrong_state` (a survey already answered,
/// expired or excluded) or `not_allowed` (an exclusion the profile does not allow).
///
/// An answer is decided by `SurveyAnswer.validate` and `SurveyVerdict.decide`; it may also cause
/// `ticket.reopened` for the handled ticket (once per round, whichever citizen of a merged group asks;
/// the dispatcher reopens the assignment with the profile's re-handling limit), the center's callback
/// task (`oa.unit`, PL §20), or `ticket.closed` for the citizen's own ticket (not while the handled
/// ticket is being re-handled, nor for a citizen whose answer sent it back: they are asked again).
///
/// The center's exclusion (核减, DY (11)) acts on the unit's written request signed by its principal
/// head: the platform has no unit command for that request, so the center's command stands for it and
/// its `note` (required, non-blank) records the request. Only an answered dissatisfaction can be
/// excluded, once; it is then `excluded` and no longer `counted`.
struct SurveyCommands: Sendable {
    static let consumer = "survey.commands"
    let runtime: ServiceRuntime
    let reference: ReferenceDataCache

    func handle(_ delivery: Delivery) async -> Disposition {
        guard let reference = await runtime.current(self.reference) else { return .retry }
        let commandID = delivery.messageKey
        let logger = runtime.logger
        let outcomes = Mutex<[String]>([])
        let disposition = await runtime.answer(command: delivery, consumer: Self.consumer) { connection, now in
            let decider = SurveyDecider(
                reference: reference, connection: connection, now: now, commandID: commandID, logger: logger)
            do {
                let (answer, labels) = try decider.decide(try ReceivedCommand(delivery, answeredOn: "the survey's queue"))
                outcomes.withLock { $0 = labels }
                return answer
            } catch let refused as CommandRefused {
                outcomes.withLock { $0 = ["rejected"] }
                throw refused
            }
        }
        if disposition == .ack {
            for label in outcomes.withLock({ $0 }) {
                Counter(label: "hotline_survey_outcomes_total", dimensions: [("outcome", label)]).increment()
            }
        }
        return disposition
    }
}

/// Decides one survey command inside its transaction.
struct SurveyDecider {
    let reference: ReferenceData
    let connection: PostgresConnection
    let now: Date
    let commandID: String
    let logger: Logger

    private var rules: SurveyRules { reference.profile.survey }

    /// The answer, and the outcome labels for `hotline_survey_outcomes_total`.
    func decide(_ received: ReceivedCommand) throws -> (CommandAnswer, [String]) {
        switch received.command {
        case .surveyResponse(let response): return try respond(response)
        case .centerExcludeDissatisfaction(let exclusion): return try exclude(exclusion)
        default: throw received.notAnsweredHere
        }
    }

    // MARK: - survey.response

    private func respond(_ response: SurveyResponse) throws -> (CommandAnswer, [String]) {
        let (survey, answer) = try answerable(response)
        let done = try SurveyStore.rehandlings(of: survey.handledNo, on: connection)
        let verdict = SurveyVerdict.decide(answer, rules: rules, round: survey.round, rehandlingsDone: done)
        let alreadyReopened = try SurveyStore.reopened(survey.handledNo, round: survey.round, on: connection)
        connection.write(
            """
            UPDATE surveys SET status = 'answered', answered_at = $2, satisfied = $3, solved = $4, contacted = $5,
                               wants_rehandling = $6, level = $7, comment = $8, ratings = $9::jsonb, rehandle = $10,
                               final = $11, callback = $12
            WHERE survey_id = $1
            """,
            [survey.surveyID, now, verdict.satisfied, answer.solved, answer.contacted, answer.wantsRehandling, answer.level,
             answer.comment, JSONText(data: try HotlineJSON.encode(answer.ratings)), verdict.rehandle, verdict.final,
             verdict.centerCallback])
        try TicketHistory.record(
            survey.ticketNo, actor: "survey", action: "survey_answered",
            detail: [
                "survey_id": survey.surveyID, "round": "\(survey.round)", "satisfied": "\(verdict.satisfied)",
                "rehandle": "\(verdict.rehandle)",
            ], on: connection, now: now)
        let (messages, labels) = try consequences(of: verdict, for: survey, alreadyReopened: alreadyReopened)
        logger.info("survey answered", metadata: [
            "survey_id": "\(survey.surveyID)", "satisfied": "\(verdict.satisfied)", "rehandle": "\(verdict.rehandle)",
            "callback": "\(verdict.centerCallback)",
        ])
        let completed = SurveyCompleted(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: survey.ticketNo, surveyID: survey.surveyID,
            ratings: answer.ratings, solved: answer.solved, contacted: answer.contacted,
            wantsRehandling: answer.wantsRehandling, satisfied: verdict.satisfied, rehandle: verdict.rehandle,
            excluded: false, commandID: commandID, expired: false, round: survey.round, final: verdict.final,
            callback: verdict.centerCallback, counted: survey.counted, reason: verdict.reason, units: survey.units)
        return (CommandAnswer(outcome: try OutboxMessage.event(completed, correlationID: commandID), messages: messages), labels)
    }

    /// The survey the response answers, locked, and the answer read with the profile's form; refused
    /// when the survey is unknown, another ticket's or no longer open, or the answer does not fit.
    private func answerable(_ response: SurveyResponse) throws -> (SurveyRow, SurveyAnswer) {
        guard let survey = try SurveyStore.lock(response.surveyID, on: connection) else {
            throw CommandRefused(.notFound, "no survey \(response.surveyID)", ticketNo: response.ticketNo)
        }
        guard survey.ticketNo == response.ticketNo else {
            throw CommandRefused(
                .invalid, "survey \(survey.surveyID) is for ticket \(survey.ticketNo), not \(response.ticketNo)",
                ticketNo: response.ticketNo, errors: [FieldProblem(field: "ticket_no", problem: "does not match the survey")])
        }
        guard survey.status == .sent else {
            throw CommandRefused(
                .wrongState, "survey \(survey.surveyID) is already \(survey.status.rawValue)", ticketNo: survey.ticketNo)
        }
        switch SurveyAnswer.validate(response, rules: rules) {
        case .failure(let problems):
            throw CommandRefused(.invalid, problems.description, ticketNo: survey.ticketNo, errors: problems.problems)
        case .success(let answer):
            return (survey, answer)
        }
    }

    /// What the verdict causes: the ticket back for re-handling (once a round), the center's callback,
    /// or the citizen's ticket closed; with the metric labels naming them.
    private func consequences(
        of verdict: SurveyVerdict, for survey: SurveyRow, alreadyReopened: Bool
    ) throws -> ([OutboxMessage], [String]) {
        var messages: [OutboxMessage] = []
        var labels = [verdict.satisfied ? "satisfied" : "unsatisfied"]
        if verdict.rehandle && !alreadyReopened {
            if let assignmentID = survey.assignmentID {
                messages.append(try OutboxMessage.event(TicketReopened(
                    eventID: UUID().uuidString, occurredAt: now, ticketNo: survey.handledNo, assignmentID: assignmentID,
                    unit: survey.units.first, reason: verdict.reason, surveyID: survey.surveyID)))
                labels.append("reopened")
            } else {
                logger.warning("re-handling wanted but the resolved assignment is unknown", metadata: [
                    "survey_id": "\(survey.surveyID)",
                ])
            }
        }
        if verdict.centerCallback {
            messages.append(try OutboxMessage.notification(SurveyNotices.centerCallback(
                id: UUID().uuidString, surveyID: survey.surveyID, ticketNo: survey.ticketNo, units: survey.units)))
            labels.append("callback")
        }
        if SurveyVerdict.closesTicket(
            surveyTicket: survey.ticketNo, handledTicket: survey.handledNo, sentBack: verdict.rehandle,
            reopenedThisRound: alreadyReopened),
           let closed = try SurveyStore.closeTicket(
               survey.ticketNo, reason: "survey", surveyID: survey.surveyID, on: connection, now: now)
        {
            messages.append(closed)
        }
        return (messages, labels)
    }

    // MARK: - center.exclude-dissatisfaction

    private func exclude(_ exclusion: CenterExcludeDissatisfaction) throws -> (CommandAnswer, [String]) {
        guard let survey = try SurveyStore.lock(exclusion.surveyID, on: connection) else {
            throw CommandRefused(.notFound, "no survey \(exclusion.surveyID)")
        }
        if let refusal = SurveyExclusion.check(
            rules: rules, status: survey.status, satisfied: survey.satisfied, excluded: survey.excluded, note: exclusion.note)
        {
            throw CommandRefused(refusal, ticketNo: survey.ticketNo)
        }
        connection.write(
            """
            UPDATE surveys SET excluded = true, counted = false, excluded_at = $2, exclusion_note = $3 WHERE survey_id = $1
            """, [survey.surveyID, now, exclusion.note])
        try TicketHistory.record(
            survey.ticketNo, actor: "center", operatorName: exclusion.operatorName, action: "dissatisfaction_excluded",
            detail: ["survey_id": survey.surveyID, "note": exclusion.note], on: connection, now: now)
        logger.info("dissatisfaction excluded", metadata: ["survey_id": "\(survey.surveyID)"])
        let completed = SurveyCompleted(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: survey.ticketNo, surveyID: survey.surveyID,
            satisfied: false, excluded: true, commandID: commandID, round: survey.round, counted: false,
            note: exclusion.note, units: survey.units)
        return (CommandAnswer(outcome: try OutboxMessage.event(completed, correlationID: commandID)), ["excluded"])
    }

}
