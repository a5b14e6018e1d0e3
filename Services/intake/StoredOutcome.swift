import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// A submission's outcome event as published, kept so that a repeated submission gets it again.
struct StoredOutcome {
    let type: String
    let eventID: String
    let body: Data

    init<E: HotlineEvent>(_ event: E) throws {
        type = E.eventType.rawValue
        eventID = event.eventID
        body = try HotlineJSON.encode(event)
    }

    /// The outcome in a row of `submissions`.
    init(row: PostgresRow) throws {
        body = try row.decode("outcome")
        type = try row.decode("outcome_type")
        eventID = (try? JSONValue.parse(body))?["event_id"]?.stringValue ?? ""
    }

    func save(submissionID: String, messageID: String, ticketNo: String?, on connection: PostgresConnection, now: Date) throws {
        connection.write(
            """
            INSERT INTO submissions (submission_id, message_id, outcome_type, outcome, ticket_no, received_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            """, [submissionID, messageID, type, body, ticketNo, now])
    }

    /// The outcome on `hotline.events`, answering the message `correlationID`.
    func message(correlationID: String) -> OutboxMessage {
        OutboxMessage(
            exchange: Exchange.events, routingKey: type, messageID: eventID, type: type, correlationID: correlationID,
            mandatory: false, body: body)
    }
}
