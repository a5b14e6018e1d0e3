import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

/// Turns `ticket.submit` messages into tickets: validates, decides the outcome with the domain
/// rules, stores the ticket and its outcome, and emits exactly one outcome event per submission.
/// The same `submission_id` again gets the stored outcome again, never a second ticket.
struct SubmissionIntake: Sendable {
    static let consumer = "intake"
    let runtime: ServiceRuntime
    let reference: ReferenceDataCache

    func handle(_ delivery: Delivery) async -> Disposition {
        let reference: ReferenceData
        do {
            reference = try await self.reference.current()
        } catch {
            runtime.logger.error("reference data unavailable", metadata: ["error": "\(error)"])
            try? await Task.sleep(for: .seconds(1))
            return .retry
        }
        let messageID = delivery.messageKey
        let replyTo = delivery.properties.replyTo
        return await runtime.apply(delivery, consumer: Self.consumer) { connection, now in
            let validation = SubmissionValidator.validate(body: delivery.body, now: now)
            let outcome: StoredOutcome
            switch validation {
            case .invalid(let problems):
                outcome = try recordInvalid(delivery, problems: problems, on: connection, now: now)
            case .valid(let submission):
                if let previous = try StoredOutcome.find(submission.submissionID, on: connection) {
                    outcome = previous
                } else {
                    outcome = try accept(submission, messageID: messageID, reference: reference, on: connection, now: now)
                }
            }
            var messages = [outcome.message(correlationID: messageID)]
            if let replyTo { messages.append(messages[0].reply(to: replyTo)) }
            return messages
        }
    }

    /// Keeps the raw message whole and answers with every problem found.
    private func recordInvalid(
        _ delivery: Delivery, problems: [FieldProblem], on connection: PostgresConnection, now: Date
    ) throws -> StoredOutcome {
        let rows = try connection.query(
            """
            INSERT INTO invalid_messages (consumer, message_id, type, routing_key, user_id, body, errors, received_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)
            ON CONFLICT (consumer, message_id) WHERE message_id IS NOT NULL DO UPDATE SET received_at = invalid_messages.received_at
            RETURNING id
            """,
            [Self.consumer, delivery.properties.messageID, delivery.properties.type, delivery.routingKey,
             delivery.properties.userID, Data(delivery.body), JSONText(data: try HotlineJSON.encode(problems)), now])
        let id: Int64 = try rows[0].decode("id")
        let event = SubmissionInvalid(
            eventID: UUID().uuidString, occurredAt: now,
            submissionID: SubmissionValidator.probableSubmissionID(body: Data(delivery.body)),
            errors: problems, invalidID: String(id))
        runtime.logger.info("submission invalid", metadata: [
            "message_id": "\(delivery.messageKey)", "problems": "\(problems.count)",
        ])
        return try StoredOutcome(event)
    }

    /// Stores a new ticket and its outcome.
    private func accept(
        _ submission: Submission, messageID: String, reference: ReferenceData, on connection: PostgresConnection,
        now: Date
    ) throws -> StoredOutcome {
        let item = submission.category.flatMap { reference.catalogue.item(code: $0) }
        let kind = submission.kind ?? item?.kind ?? .complaint
        let urgency = submission.urgency ?? item?.urgency ?? .normal
        let ticketNo = try TicketSequence.next(
            prefix: reference.ticketNumberPrefix, timeZone: reference.calendar.timeZone, now: now,
            on: connection)
        let classification: [String: String] = [
            "kind": submission.kind != nil ? "gateway" : (item?.kind != nil ? "catalogue item hint" : "default"),
            "urgency": submission.urgency != nil ? "gateway" : (item?.urgency != nil ? "catalogue item hint" : "default"),
            "category": submission.category != nil ? "gateway" : "none",
        ]
        try connection.query(
            """
            INSERT INTO tickets (ticket_no, submission_id, status, channel, kind, urgency, category, title, description,
                                 street, community, location, citizen, classification, received_at, accepted_at, updated_at)
            VALUES ($1, $2, 'accepted', $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb, $13::jsonb, $14, $15, $15)
            """,
            [ticketNo, submission.submissionID, submission.channel.rawValue, kind.rawValue, urgency.rawValue,
             submission.category, submission.title, submission.description, submission.location?.street,
             submission.location?.community, try submission.location.map { JSONText(data: try HotlineJSON.encode($0)) },
             JSONText(data: try HotlineJSON.encode(submission.citizen)),
             JSONText(data: try JSONSerialization.data(withJSONObject: classification)), submission.receivedAt, now])
        try TicketHistory.record(ticketNo, actor: "intake", action: "accepted", on: connection, now: now)
        let event = TicketAccepted(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: ticketNo, submissionID: submission.submissionID,
            channel: submission.channel, kind: kind, urgency: urgency, receivedAt: submission.receivedAt,
            category: submission.category, street: submission.location?.street,
            community: submission.location?.community)
        let outcome = try StoredOutcome(event)
        try outcome.save(submissionID: submission.submissionID, messageID: messageID, ticketNo: ticketNo, on: connection, now: now)
        runtime.logger.info("ticket accepted", metadata: ["ticket_no": "\(ticketNo)", "message_id": "\(messageID)"])
        return outcome
    }
}

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

    private init(type: String, eventID: String, body: Data) {
        self.type = type
        self.eventID = eventID
        self.body = body
    }

    static func find(_ submissionID: String, on connection: PostgresConnection) throws -> StoredOutcome? {
        guard let row = try connection.query(
            "SELECT outcome_type, outcome FROM submissions WHERE submission_id = $1", [submissionID]).first
        else { return nil }
        let body: Data = try row.decode("outcome")
        let eventID = (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["event_id"] as? String ?? ""
        return StoredOutcome(type: try row.decode("outcome_type"), eventID: eventID, body: body)
    }

    func save(submissionID: String, messageID: String, ticketNo: String?, on connection: PostgresConnection, now: Date) throws {
        try connection.query(
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
