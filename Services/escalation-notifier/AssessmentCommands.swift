import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

/// The assessment's commands (docs/rules.md "Assessment"): a unit's appeal of one ticket's counting
/// (`unit.appeal-assessment`, PL §31), the center's decision on it (`center.decide-appeal`) and the
/// center's awards (`center.award-points`, DY (15)). The notifier keeps them in `assessment_appeals`
/// and `assessment_awards`; `hotlinectl report --assessment` applies them.
struct AssessmentCommands: Sendable {
    let runtime: ServiceRuntime
    let reference: ReferenceDataCache

    func handle(_ delivery: Delivery) async -> Disposition {
        guard let reference = await runtime.current(self.reference) else { return .retry }
        let rules = reference.profile.assessment
        let jurisdiction = reference.jurisdiction
        let commandID = delivery.messageKey
        return await runtime.answer(command: delivery, consumer: CardCommands.consumer) { connection, now in
            let received = try ReceivedCommand(delivery, answeredOn: "the escalation notifier's queue")
            switch received.command {
            case .unitAppealAssessment(let command):
                guard let unit = received.issuer.unitCode else { throw received.notAnsweredHere }
                return try Self.appeal(command, by: unit, rules: rules, commandID: commandID, on: connection, now: now)
            case .centerDecideAppeal(let command):
                return try Self.decide(command, commandID: commandID, on: connection, now: now)
            case .centerAwardPoints(let command):
                guard jurisdiction.unit(command.unit) != nil else {
                    throw CommandRefused(.notFound, "no unit \(command.unit) in the jurisdiction")
                }
                return try Self.award(command, rules: rules, commandID: commandID, on: connection, now: now)
            default:
                throw received.notAnsweredHere
            }
        }
    }

    /// Files the appeal of a ticket the unit handled, once per indicator.
    static func appeal(
        _ command: UnitAppealAssessment, by unit: String, rules: AssessmentRules, commandID: String,
        on connection: PostgresConnection, now: Date
    ) throws -> CommandAnswer {
        // The body was validated: the indicator is a rate.
        let rate = ReportRateKind(rawValue: command.indicator)!
        if let refusal = rules.refusal(appealing: rate) { throw CommandRefused(refusal) }
        let found = try connection.queries([
            ("SELECT 1 FROM tickets WHERE ticket_no = $1", [command.ticketNo]),
            ("SELECT 1 FROM assignments WHERE ticket_no = $1 AND unit = $2 LIMIT 1", [command.ticketNo, unit]),
            (
                "SELECT appeal_id, state FROM assessment_appeals WHERE unit = $1 AND ticket_no = $2 AND indicator = $3",
                [unit, command.ticketNo, rate.rawValue]
            ),
        ])
        guard !found[0].isEmpty else { throw CommandRefused(.notFound, "no ticket \(command.ticketNo)") }
        guard !found[1].isEmpty else {
            throw CommandRefused(.forbidden, "unit \(unit) has handled no assignment of ticket \(command.ticketNo)")
        }
        if let earlier = found[2].first {
            let id: String = try earlier.decode("appeal_id")
            let state: String = try earlier.decode("state")
            throw CommandRefused(.wrongState, "ticket \(command.ticketNo) is already appealed in \(rate.rawValue) (appeal \(id), \(state))")
        }
        let appealID = UUID().uuidString
        connection.write(
            """
            INSERT INTO assessment_appeals (appeal_id, unit, ticket_no, indicator, reason, appealed_at, command_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, [appealID, unit, command.ticketNo, rate.rawValue, command.reason, now, commandID])
        let event = AssessmentAppealed(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: command.ticketNo, appealID: appealID, unit: unit,
            indicator: rate, commandID: commandID)
        return CommandAnswer(outcome: try .event(event, correlationID: commandID))
    }

    /// Upholds or dismisses an open appeal; the unit is told on its queue.
    static func decide(
        _ command: CenterDecideAppeal, commandID: String, on connection: PostgresConnection, now: Date
    ) throws -> CommandAnswer {
        guard let row = try connection.query(
            "SELECT unit, ticket_no, indicator, state FROM assessment_appeals WHERE appeal_id = $1 FOR UPDATE",
            [command.appealID]).first
        else { throw CommandRefused(.notFound, "no appeal \(command.appealID)") }
        let state: String = try row.decode("state")
        guard state == "open" else { throw CommandRefused(.wrongState, "appeal \(command.appealID) is already \(state)") }
        let unit: String = try row.decode("unit")
        let ticketNo: String = try row.decode("ticket_no")
        guard let rate = ReportRateKind(rawValue: try row.decode("indicator")) else {
            throw CommandRefused(.wrongState, "appeal \(command.appealID) names an indicator this build does not know")
        }
        connection.write(
            """
            UPDATE assessment_appeals SET state = $2, decided_at = $3, decision_note = $4, decided_by = $5
            WHERE appeal_id = $1
            """, [command.appealID, command.uphold ? "upheld" : "dismissed", now, command.note, command.operatorName])
        let event = AssessmentAppealDecided(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: ticketNo, appealID: command.appealID, unit: unit,
            indicator: rate, upheld: command.uphold, note: command.note, commandID: commandID)
        return CommandAnswer(outcome: try .event(event, correlationID: commandID), messages: [try .toUnit(event: event, unit: unit)])
    }

    /// Records an award of one of the profile's kinds; the unit is told on its queue.
    static func award(
        _ command: CenterAwardPoints, rules: AssessmentRules, commandID: String, on connection: PostgresConnection, now: Date
    ) throws -> CommandAnswer {
        if let refusal = rules.refusal(awarding: command.kind) { throw CommandRefused(refusal) }
        if let ticketNo = command.ticketNo,
           try connection.query("SELECT 1 FROM tickets WHERE ticket_no = $1", [ticketNo]).isEmpty {
            throw CommandRefused(.notFound, "no ticket \(ticketNo)")
        }
        let awardID = UUID().uuidString
        connection.write(
            """
            INSERT INTO assessment_awards (award_id, unit, kind, ticket_no, note, awarded_at, awarded_by, command_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, [awardID, command.unit, command.kind, command.ticketNo, command.note, now, command.operatorName, commandID])
        let points = rules.awards.first { $0.kind == command.kind }?.points ?? 0
        let event = AssessmentPointsAwarded(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: command.ticketNo, awardID: awardID, unit: command.unit,
            kind: command.kind, points: points, commandID: commandID)
        return CommandAnswer(
            outcome: try .event(event, correlationID: commandID), messages: [try .toUnit(event: event, unit: command.unit)])
    }
}
