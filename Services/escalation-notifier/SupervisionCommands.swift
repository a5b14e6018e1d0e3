import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

/// Supervision (督办, docs/rules.md "Supervision"): the center opens a case on a unit
/// (`center.open-supervision`), the unit answers (`unit.answer-supervision`), the center escalates it
/// (`center.escalate-supervision`) or closes it, referring it to the discipline commission where the
/// profile's grounds apply (`center.close-supervision`). Each step is answered with its event, and the
/// unit is told on its queue of every step but its own answer.
struct SupervisionCommands: Sendable {
    let runtime: ServiceRuntime
    let reference: ReferenceDataCache

    func handle(_ delivery: Delivery) async -> Disposition {
        guard let reference = await runtime.current(self.reference) else { return .retry }
        let rules = reference.profile.supervision
        let calendar = reference.calendar
        let jurisdiction = reference.jurisdiction
        let commandID = delivery.messageKey
        return await runtime.answer(command: delivery, consumer: CardCommands.consumer) { connection, now in
            let received = try ReceivedCommand(delivery, answeredOn: "the escalation notifier's queue")
            switch received.command {
            case .centerOpenSupervision(let command):
                guard jurisdiction.unit(command.unit) != nil else { throw CommandRefused(.notFound, "no unit \(command.unit) in the jurisdiction") }
                if let refusal = SupervisionCase.refusal(mode: command.mode, under: rules) { throw CommandRefused(refusal) }
                if let ticketNo = command.ticketNo,
                   try connection.query("SELECT 1 FROM assignments WHERE ticket_no = $1 AND unit = $2 LIMIT 1", [ticketNo, command.unit]).isEmpty {
                    throw CommandRefused(.notFound, "unit \(command.unit) has no assignment of ticket \(ticketNo)")
                }
                let answerBy = try Self.answerBy(command.answerBy, now: now, rules: rules, calendar: calendar)
                let opened = try SupervisionStore.open(
                    unit: command.unit, ticketNo: command.ticketNo, ground: command.ground, mode: command.mode, answerBy: answerBy,
                    note: command.note, operatorName: command.operatorName, commandID: commandID, on: connection, now: now)
                return CommandAnswer(outcome: try .event(opened.event, correlationID: commandID), messages: [opened.notice])

            case .unitAnswerSupervision(let command):
                guard let unit = received.issuer.unitCode else { throw received.notAnsweredHere }
                let record = try Self.record(command.supervisionID, on: connection)
                if let refusal = record.case.refusalToAnswer(by: unit) { throw CommandRefused(refusal) }
                let onTime = record.case.isOnTime(now)
                try SupervisionStore.update(
                    record.id, step: ["step": "answered", "at": .string(RFC3339.string(from: now)), "on_time": .bool(onTime)],
                    set: "state = 'answered', answered_at = $3, answer = $4, answered_on_time = $5",
                    [now, command.answer, onTime], on: connection)
                let event = SupervisionAnswered(
                    eventID: UUID().uuidString, occurredAt: now, ticketNo: record.ticketNo, supervisionID: record.id, unit: unit,
                    level: record.case.level, onTime: onTime, commandID: commandID)
                return CommandAnswer(outcome: try .event(event, correlationID: commandID))

            case .centerEscalateSupervision(let command):
                let record = try Self.record(command.supervisionID, on: connection)
                if let refusal = record.case.refusalToAct ?? SupervisionCase.refusal(mode: command.mode, under: rules) {
                    throw CommandRefused(refusal)
                }
                let answerBy = try Self.answerBy(command.answerBy, now: now, rules: rules, calendar: calendar)
                let level = record.case.level + 1
                try SupervisionStore.update(
                    record.id,
                    step: [
                        "step": "escalated", "at": .string(RFC3339.string(from: now)), "mode": .string(command.mode.rawValue),
                        "level": .integer(level), "by": .optional(command.operatorName), "note": .string(command.note),
                    ],
                    set: "state = 'open', level = $3, mode = $4, answer_by = $5", [level, command.mode.rawValue, answerBy],
                    on: connection)
                let event = SupervisionEscalated(
                    eventID: UUID().uuidString, occurredAt: now, ticketNo: record.ticketNo, supervisionID: record.id,
                    unit: record.case.unit, mode: command.mode, level: level, answerBy: answerBy, note: command.note, commandID: commandID)
                return CommandAnswer(
                    outcome: try .event(event, correlationID: commandID), messages: [try .toUnit(event: event, unit: record.case.unit)])

            case .centerCloseSupervision(let command):
                let record = try Self.record(command.supervisionID, on: connection)
                let grounds = command.referralGrounds ?? []
                if let refusal = record.case.refusalToAct ?? SupervisionCase.refusal(referring: grounds, under: rules) {
                    throw CommandRefused(refusal)
                }
                try SupervisionStore.update(
                    record.id,
                    step: [
                        "step": "closed", "at": .string(RFC3339.string(from: now)), "by": .optional(command.operatorName),
                        "referral_grounds": .array(grounds.map { .string($0.rawValue) }),
                    ],
                    set: "state = 'closed', closed_at = $3, closing_note = $4, referral_grounds = $5",
                    [now, command.note, grounds.map(\.rawValue)], on: connection)
                let event = SupervisionClosed(
                    eventID: UUID().uuidString, occurredAt: now, ticketNo: record.ticketNo, supervisionID: record.id,
                    unit: record.case.unit, level: record.case.level, referralGrounds: grounds, note: command.note, commandID: commandID)
                return CommandAnswer(
                    outcome: try .event(event, correlationID: commandID), messages: [try .toUnit(event: event, unit: record.case.unit)])

            default:
                throw received.notAnsweredHere
            }
        }
    }

    static func record(_ id: String, on connection: PostgresConnection) throws -> SupervisionStore.Record {
        guard let record = try SupervisionStore.record(id, on: connection) else {
            throw CommandRefused(.notFound, "no supervision case \(id)")
        }
        return record
    }

    static func answerBy(_ named: Date?, now: Date, rules: SupervisionRules, calendar: WorkingCalendar) throws -> Date {
        switch try SupervisionCase.answerBy(named: named, now: now, rules: rules, calendar: calendar) {
        case .success(let date): return date
        case .failure(let refusal): throw CommandRefused(refusal)
        }
    }
}
