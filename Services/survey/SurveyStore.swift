import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// One survey as the service reads it back.
struct SurveyRow: Sendable {
    let surveyID: String
    let ticketNo: String
    let handledNo: String
    let round: Int
    let status: SurveyStatus
    let counted: Bool
    let satisfied: Bool?
    let excluded: Bool
    let assignmentID: String?
    let units: [String]

    static let columns = """
        survey_id, ticket_no, coalesce(handled_no, ticket_no) AS handled_no, round, status, counted, satisfied, excluded, assignment_id,
        array_to_json(units)::text AS units
        """

    init(_ row: PostgresRow) throws {
        surveyID = try row.decode("survey_id")
        ticketNo = try row.decode("ticket_no")
        handledNo = try row.decode("handled_no")
        round = try row.decode("round")
        status = SurveyStatus(rawValue: try row.decode("status")) ?? .sent
        counted = try row.decode("counted")
        satisfied = try row.decodeIfPresent("satisfied")
        excluded = try row.decode("excluded")
        assignmentID = try row.decodeIfPresent("assignment_id")
        let unitsJSON: String = try row.decodeIfPresent("units") ?? "[]"
        units = (try? JSONDecoder().decode([String].self, from: Data(unitsJSON.utf8))) ?? []
    }
}

/// The survey's SQL, every statement inside the caller's transaction and with the service clock's time.
enum SurveyStore {
    /// The survey, locked for this transaction.
    static func lock(_ surveyID: String, on connection: PostgresConnection) throws -> SurveyRow? {
        try connection.query("SELECT \(SurveyRow.columns) FROM surveys WHERE survey_id = $1 FOR UPDATE", [surveyID])
            .first.map(SurveyRow.init)
    }

    /// How often the handled ticket has been sent back for re-handling by its surveys.
    static func rehandlings(of handledNo: String, on connection: PostgresConnection) throws -> Int {
        try connection.query(
            "SELECT count(*)::int AS n FROM surveys WHERE handled_no = $1 AND rehandle", [handledNo]
        ).first?.decode("n") ?? 0
    }

    /// Whether a survey of this round (any citizen's) already sent the handled ticket back.
    static func reopened(_ handledNo: String, round: Int, on connection: PostgresConnection) throws -> Bool {
        !(try connection.query(
            "SELECT 1 AS n FROM surveys WHERE handled_no = $1 AND round = $2 AND rehandle LIMIT 1", [handledNo, round]
        ).isEmpty)
    }

    /// Closes the ticket if it is still waiting on its survey (`resolved`, or `merged` for a merged
    /// citizen's ticket): `ticket.closed` (which the dispatcher records as the ticket's progress) and
    /// the history; nil when it was not waiting.
    static func closeTicket(
        _ ticketNo: String, reason: String, surveyID: String, on connection: PostgresConnection, now: Date
    ) throws -> OutboxMessage? {
        guard let status = try TicketLock.status(of: ticketNo, on: connection), [.resolved, .merged].contains(status)
        else { return nil }
        try TicketHistory.record(
            ticketNo, actor: "survey", action: "closed", detail: ["reason": reason, "survey_id": surveyID],
            on: connection, now: now)
        return try OutboxMessage.event(TicketClosed(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: ticketNo, reason: reason))
    }
}
