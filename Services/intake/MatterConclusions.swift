import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

/// Consumes `hotline.intake.commands`: the conclusion notices (事件终结告知书) the units file for the
/// tickets they handled (`unit.conclude-matter`, docs/rules.md "Intake"), each answered exactly once
/// through `ServiceRuntime.answer`. Intake owns what it records: the filing (`ticket_conclusions`)
/// and the concluded matter its decisions compare new demands with (`concluded_matters`).
struct MatterConclusions: Sendable {
    static let consumer = "intake.commands"

    let runtime: ServiceRuntime
    let reference: ReferenceDataCache

    func handle(_ delivery: Delivery) async -> Disposition {
        guard let reference = await runtime.current(self.reference) else { return .retry }
        let commandID = delivery.messageKey
        let skew = reference.profile.intake.submissionLimits.futureSkew
        return await runtime.answer(command: delivery, consumer: Self.consumer) { connection, now in
            let received = try ReceivedCommand(delivery, answeredOn: "intake's queue")
            guard case .unitConcludeMatter(let command) = received.command, let unit = received.issuer.unitCode else {
                throw received.notAnsweredHere
            }
            let ticket = try Self.ticket(command.ticketNo, unit: unit, on: connection)
            if let refusal = ConclusionRules.check(command, by: unit, ticket: ticket, now: now, skew: skew) {
                throw CommandRefused(refusal)
            }
            let barsRepeats = try Self.file(command, by: unit, commandID: commandID, on: connection, now: now)
            try TicketHistory.record(
                command.ticketNo, actor: received.issuer.userID, action: "concluded",
                detail: ["notice_no": command.noticeNo], on: connection, now: now)
            let event = TicketConcluded(
                eventID: UUID().uuidString, occurredAt: now, ticketNo: command.ticketNo, unit: unit,
                noticeNo: command.noticeNo, issuedAt: command.issuedAt, barsRepeats: barsRepeats, commandID: commandID)
            return CommandAnswer(outcome: try .event(event, correlationID: commandID))
        }
    }

    /// The ticket as `ConclusionRules` judges it, read under its lock; nil for an unknown ticket.
    static func ticket(_ ticketNo: String, unit: String, on connection: PostgresConnection) throws -> ConclusionRules.Ticket? {
        guard let status = try TicketLock.status(of: ticketNo, on: connection) else { return nil }
        let results = try connection.queries([
            ("SELECT state, created_at FROM assignments WHERE ticket_no = $1 AND unit = $2 ORDER BY created_at", [ticketNo, unit]),
            ("SELECT notice_no FROM ticket_conclusions WHERE ticket_no = $1", [ticketNo]),
        ])
        let assignments = results[0]
        return ConclusionRules.Ticket(
            status: status,
            unitAssignments: try assignments.map { try AssignmentState(rawValue: $0.decode("state")) ?? .pending },
            firstAssignedAt: try assignments.first?.decode("created_at"),
            filedNotice: try results[1].first?.decode("notice_no"))
    }

    /// Records the filing, and the concluded matter when the ticket's demand has a citizen key and a
    /// category to compare with; returns whether it has.
    static func file(
        _ command: UnitConcludeMatter, by unit: String, commandID: String, on connection: PostgresConnection, now: Date
    ) throws -> Bool {
        let results = try connection.queries([
            (
                """
                INSERT INTO ticket_conclusions (ticket_no, unit, notice_no, issued_at, note, command_id, filed_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                """, [command.ticketNo, unit, command.noticeNo, command.issuedAt, command.note, commandID, now]
            ),
            (
                """
                INSERT INTO concluded_matters (citizen_key, category, street, community, address_norm, ticket_no, concluded_at, note)
                SELECT citizen_key, category, street, community, address_norm, ticket_no, $2, $3
                FROM intake_demands WHERE ticket_no = $1 AND citizen_key IS NOT NULL AND category IS NOT NULL
                RETURNING id
                """, [command.ticketNo, command.issuedAt, "notice \(command.noticeNo)"]
            ),
        ])
        return !results[1].isEmpty
    }
}
