import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// The supervision cases the notifier keeps (`supervisions`, docs/rules.md "Supervision"): each step
/// written with the event that announces it, and the unit told on its queue.
enum SupervisionStore {
    /// A case as stored, under its row lock.
    struct Record {
        var id: String
        var ticketNo: String?
        var `case`: SupervisionCase
    }

    /// Opens a case; returns its `supervision.opened` and the notice (its copy to the unit's queue).
    static func open(
        unit: String, ticketNo: String?, ground: SupervisionGround, mode: SupervisionMode, answerBy: Date, note: String,
        operatorName: String?, cardQuarter: String? = nil, commandID: String?, on connection: PostgresConnection, now: Date
    ) throws -> (event: SupervisionOpened, notice: OutboxMessage) {
        let id = UUID().uuidString
        let event = SupervisionOpened(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: ticketNo, supervisionID: id, unit: unit, ground: ground,
            mode: mode, level: 1, answerBy: answerBy, note: note, commandID: commandID)
        connection.write(
            """
            INSERT INTO supervisions (supervision_id, unit, ticket_no, ground, mode, note, opened_at, opened_by, answer_by,
                                      card_quarter, steps, command_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, jsonb_build_array($11::jsonb), $12)
            """,
            [id, unit, ticketNo, ground.rawValue, mode.rawValue, note, now, operatorName, answerBy, cardQuarter,
             try stepText(["step": "opened", "at": .string(RFC3339.string(from: now)), "mode": .string(mode.rawValue),
                           "by": .optional(operatorName)]),
             commandID])
        return (event, try .toUnit(event: event, unit: unit))
    }

    /// The case `id` under its row lock, or nil.
    static func record(_ id: String, on connection: PostgresConnection) throws -> Record? {
        guard let row = try connection.query(
            "SELECT unit, ticket_no, state, level, answer_by FROM supervisions WHERE supervision_id = $1 FOR UPDATE", [id]).first
        else { return nil }
        return Record(
            id: id, ticketNo: try row.decodeIfPresent("ticket_no"),
            case: SupervisionCase(
                unit: try row.decode("unit"), state: SupervisionCase.State(rawValue: try row.decode("state")) ?? .closed,
                level: try row.decode("level"), answerBy: try row.decode("answer_by")))
    }

    /// Appends a step to the case's record and sets `columns` (`name = $n` fragments over `parameters`
    /// after the id and the step).
    static func update(
        _ id: String, step: [String: JSONValue], set columns: String, _ parameters: [(any PostgresEncodable)?],
        on connection: PostgresConnection
    ) throws {
        connection.write(
            "UPDATE supervisions SET steps = steps || jsonb_build_array($2::jsonb), \(columns) WHERE supervision_id = $1",
            [id, try stepText(step)] + parameters)
    }

    /// A step of `steps`, as JSON text.
    private static func stepText(_ step: [String: JSONValue]) throws -> String {
        String(decoding: try HotlineJSON.encode(JSONValue.object(step)), as: UTF8.self)
    }
}
