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
    let numbers: TicketNumbers

    func handle(_ delivery: Delivery) async -> Disposition {
        guard let reference = await runtime.current(self.reference) else { return .retry }
        let messageID = delivery.messageKey
        let replyTo = delivery.replyQueue
        return await runtime.apply(delivery, consumer: Self.consumer) { connection, now in
            let validation = SubmissionValidator.validate(
                body: delivery.body, now: now, limits: reference.profile.intake.submissionLimits)
            var messages: [OutboxMessage]
            switch validation {
            case .invalid(let problems):
                messages = [try recordInvalid(delivery, problems: problems, on: connection, now: now)
                    .message(correlationID: messageID)]
            case .valid(let submission):
                let decision = IntakeDecision(IntakeContext(profile: reference.profile, jurisdiction: reference.jurisdiction))
                let screening = decision.screen(submission)
                let reading = try IntakeStore.read(
                    submission.submissionID, lookup: decision.lookup(screening), on: connection)
                if let row = reading.stored {
                    // A repeat gets the stored outcome.
                    let previous = try StoredOutcome(row: row)
                    runtime.logger.info("repeated submission answered with its stored outcome", metadata: [
                        "message_id": "\(messageID)", "type": "\(previous.type)",
                    ])
                    messages = [previous.message(correlationID: messageID)]
                } else {
                    messages = try intake(
                        submission, decision: decision, screening: screening, reading: reading, messageID: messageID,
                        reference: reference, on: connection, now: now)
                }
            }
            // The outcome comes first; it alone goes to reply_to.
            if let replyTo { messages.append(messages[0].reply(to: replyTo)) }
            return messages
        }
    }

    /// Keeps the raw message whole and answers with every problem found.
    private func recordInvalid(
        _ delivery: Delivery, problems: [FieldProblem], on connection: PostgresConnection, now: Date
    ) throws -> StoredOutcome {
        let id = try InvalidMessages.keep(delivery, consumer: Self.consumer, problems: problems, on: connection, now: now)
        let event = SubmissionInvalid(
            eventID: UUID().uuidString, occurredAt: now,
            submissionID: SubmissionValidator.probableSubmissionID(body: Data(delivery.body)),
            errors: problems, invalidID: String(id))
        runtime.logger.info("submission invalid", metadata: [
            "message_id": "\(delivery.messageKey)", "problems": "\(problems.count)",
            "first": "\(problems.first.map(\.field) ?? "")",
        ])
        return try StoredOutcome(event)
    }

    /// Decides a new submission with the domain rules, stores its tickets and returns the messages:
    /// the outcome event first, then whatever else it causes (children's `ticket.accepted`, the
    /// earlier ticket's `assignment.updated`).
    private func intake(
        _ submission: Submission, decision: IntakeDecision, screening: IntakeDecision.Screening,
        reading: IntakeStore.Reading, messageID: String, reference: ReferenceData, on connection: PostgresConnection,
        now: Date
    ) throws -> [OutboxMessage] {
        var openTickets = reading.openTickets
        var outcome = decision.decide(screening, openTickets: openTickets, concludedMatters: reading.concludedMatters)
        // Hold the earlier ticket while linking to it (its dispatch or resolution waits, or we see it
        // done); one resolved meanwhile takes no merge.
        while case .merged(_, let match) = outcome {
            if try IntakeStore.lockOpenTicket(match.target, on: connection) { break }
            openTickets.removeAll { $0.ticketNo == match.target }
            outcome = decision.decide(screening, openTickets: openTickets, concludedMatters: reading.concludedMatters)
        }
        let timeZone = reference.calendar.timeZone
        func nextNumber() throws -> String {
            try numbers.next(prefix: reference.ticketNumberPrefix, calendar: reference.calendar, now: now)
        }
        let ticketNo = try nextNumber()
        let plan = outcome.plan
        var ticket = IntakeStore.NewTicket(
            ticketNo: ticketNo, submission: submission, plan: plan, status: outcome.status,
            demandOutcome: outcome.status.rawValue)
        var extra: [OutboxMessage] = []
        let stored: StoredOutcome
        let eventID = UUID().uuidString

        switch outcome {
        case .accepted:
            try IntakeStore.insert(ticket, timeZone: timeZone, on: connection, now: now)
            try TicketHistory.record(
                ticketNo, actor: "intake", action: "accepted", detail: Self.classificationDetail(plan), on: connection,
                now: now)
            stored = try StoredOutcome(accepted(plan, ticketNo: ticketNo, submission: submission, eventID: eventID, now: now))

        case .answered(_, let answer):
            try IntakeStore.insert(ticket, timeZone: timeZone, on: connection, now: now)
            var detail = ["answer": answer.answer]
            if let knowledgeID = answer.knowledgeID { detail["knowledge_id"] = knowledgeID }
            try TicketHistory.record(ticketNo, actor: "intake", action: "answered_on_call", detail: detail, on: connection, now: now)
            try TicketHistory.record(ticketNo, actor: "intake", action: "closed", detail: ["as": "answered"], on: connection, now: now)
            stored = try StoredOutcome(TicketAnswered(
                eventID: eventID, occurredAt: now, ticketNo: ticketNo, submissionID: submission.submissionID,
                channel: submission.channel, receivedAt: submission.receivedAt, category: plan.category,
                knowledgeID: answer.knowledgeID))

        case .rejected(_, let rejection):
            ticket.rejection = rejection
            try IntakeStore.insert(ticket, timeZone: timeZone, on: connection, now: now)
            var detail = ["reason": rejection.reason.rawValue, "basis": rejection.basis, "by": rejection.decidedBy.rawValue]
            if let number = rejection.emergencyNumber { detail["emergency_number"] = number }
            if !rejection.words.isEmpty { detail["words"] = rejection.words.joined(separator: ",") }
            try TicketHistory.record(ticketNo, actor: "intake", action: "not_accepted", detail: detail, on: connection, now: now)
            try TicketHistory.record(ticketNo, actor: "intake", action: "closed", detail: ["as": "rejected"], on: connection, now: now)
            stored = try StoredOutcome(TicketRejected(
                eventID: eventID, occurredAt: now, ticketNo: ticketNo, submissionID: submission.submissionID,
                reason: rejection.reason, basis: rejection.basis, emergencyNumber: rejection.emergencyNumber,
                channel: submission.channel))

        case .merged(_, let match):
            ticket.mergedInto = match.target
            try IntakeStore.insert(ticket, timeZone: timeZone, on: connection, now: now)
            try IntakeStore.link(ticketNo, to: match.target, basis: match.basis, citizenKey: plan.citizenKey, on: connection, now: now)
            let waiting = try IntakeStore.waitingCitizens(match.target, on: connection)
            var detail = ["into": match.target, "basis": match.basis.rawValue]
            if let distance = match.distance { detail["distance_m"] = String(format: "%.1f", distance) }
            try TicketHistory.record(ticketNo, actor: "intake", action: "merged", detail: detail, on: connection, now: now)
            try TicketHistory.record(
                match.target, actor: "intake", action: "citizen_linked",
                detail: ["ticket": ticketNo, "basis": match.basis.rawValue, "waiting_citizens": String(waiting)],
                on: connection, now: now)
            for assignment in try IntakeStore.liveAssignments(match.target, on: connection) {
                let update = AssignmentUpdated(
                    assignmentID: assignment.id, ticketNo: match.target, reason: "citizens_merged",
                    note: "并案：\(ticketNo) 并入本件，\(waiting) 位诉求人等待办理结果", waitingCitizens: waiting,
                    mergedTicket: ticketNo)
                extra.append(try .toUnit(.updated(update), unit: assignment.unit))
            }
            stored = try StoredOutcome(TicketMerged(
                eventID: eventID, occurredAt: now, ticketNo: ticketNo, submissionID: submission.submissionID,
                mergedInto: match.target, channel: submission.channel))

        case .split(_, let children):
            try IntakeStore.insert(ticket, timeZone: timeZone, on: connection, now: now)
            var numbers: [String] = []
            for child in children {
                let childNo = try nextNumber()
                numbers.append(childNo)
                try IntakeStore.insert(
                    IntakeStore.NewTicket(
                        ticketNo: childNo, submission: submission, plan: child, status: .accepted, parentNo: ticketNo,
                        demandOutcome: "child"),
                    timeZone: timeZone, on: connection, now: now)
                var detail = Self.classificationDetail(child)
                detail["parent"] = ticketNo
                try TicketHistory.record(childNo, actor: "intake", action: "accepted", detail: detail, on: connection, now: now)
                var event = accepted(child, ticketNo: childNo, submission: submission, eventID: UUID().uuidString, now: now)
                event.parentNo = ticketNo
                extra.append(try OutboxMessage.event(event))
            }
            try TicketHistory.record(
                ticketNo, actor: "intake", action: "split", detail: ["children": numbers.joined(separator: ",")],
                on: connection, now: now)
            stored = try StoredOutcome(TicketSplit(
                eventID: eventID, occurredAt: now, ticketNo: ticketNo, submissionID: submission.submissionID,
                children: numbers, channel: submission.channel))
        }
        try stored.save(submissionID: submission.submissionID, messageID: messageID, ticketNo: ticketNo, on: connection, now: now)
        runtime.logger.info("submission decided", metadata: [
            "outcome": "\(stored.type)", "ticket_no": "\(ticketNo)", "message_id": "\(messageID)",
        ])
        return [stored.message(correlationID: messageID)] + extra
    }

    private func accepted(
        _ plan: TicketPlan, ticketNo: String, submission: Submission, eventID: String, now: Date
    ) -> TicketAccepted {
        TicketAccepted(
            eventID: eventID, occurredAt: now, ticketNo: ticketNo, submissionID: submission.submissionID,
            channel: submission.channel, kind: plan.kind, urgency: plan.urgency, receivedAt: submission.receivedAt,
            category: plan.category, street: plan.street, community: plan.community)
    }

    /// A ticket's classification for its history line: each value and the rule that chose it.
    private static func classificationDetail(_ plan: TicketPlan) -> [String: String] {
        var detail: [String: String] = [:]
        for (name, reason) in plan.classification.record {
            var text = "\(reason.value ?? "-") by \(reason.rule.rawValue)"
            if let words = reason.words, !words.isEmpty { text += " (\(words.joined(separator: ",")))" }
            if let item = reason.item, reason.rule == .catalogueHint { text += " (\(item))" }
            detail[name] = text
        }
        return detail
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
