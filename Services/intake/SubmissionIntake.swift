import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

/// Turns `ticket.submit` messages into tickets: validates, decides the outcome with the domain
/// rules, stores the ticket and its outcome, and emits exactly one outcome event per submission.
/// The same `submission_id` again gets the stored outcome again, never a second ticket.
struct SubmissionIntake: Sendable {
    static let consumer = HotlineTopology.submissionsConsumer
    let runtime: ServiceRuntime
    let reference: ReferenceDataCache
    let numbers: TicketNumbers
    /// Makes the citizen keys of the service's secret (`HOTLINE_CITIZEN_KEY_FILE`).
    let citizenKeys: CitizenKeys

    func handle(_ delivery: Delivery) async -> Disposition {
        guard let reference = await runtime.current(self.reference) else { return .retry }
        let messageID = delivery.messageKey
        let replyAddress = delivery.replyAddress
        return await runtime.apply(delivery, consumer: Self.consumer) { connection, now in
            var validation = SubmissionValidator.validate(
                body: delivery.body, now: now, limits: reference.profile.intake.submissionLimits)
            if delivery.properties.messageID?.isEmpty ?? true {
                // Without a message_id a submission cannot be answered reliably: refused like a bad body.
                validation = .invalid([FieldProblem(field: "message_id", problem: "required")] + validation.problems)
            }
            let decision = IntakeDecision(IntakeContext(
                profile: reference.profile, jurisdiction: reference.jurisdiction, citizenKeys: citizenKeys))
            if case .valid(let submission) = validation, submission.verifyOnSite == true {
                let place = decision.verificationPlace(submission)
                let problems = GridVerification.problems(
                    submission, rules: reference.profile.intake.gridVerification, street: place?.street, office: place?.office)
                if !problems.isEmpty { validation = .invalid(problems) }
            }
            switch validation {
            case .invalid(let problems):
                let outcome = try recordInvalid(delivery, problems: problems, on: connection, now: now)
                return Self.answer(outcome.message(correlationID: messageID), replyAddress: replyAddress)
            case .valid(let submission):
                let screening = decision.screen(submission)
                let reading = try IntakeStore.read(
                    submission.submissionID, lookup: decision.lookup(screening), mayBeHeld: submission.verifyOnSite == true,
                    on: connection)
                if let row = reading.stored {
                    // A repeat gets the stored outcome.
                    let previous = try StoredOutcome(row: row)
                    runtime.logger.info("repeated submission answered with its stored outcome", metadata: [
                        "message_id": "\(messageID)", "type": "\(previous.type)",
                    ])
                    return Self.answer(previous.message(correlationID: messageID), replyAddress: replyAddress)
                }
                if let held = reading.heldFor {
                    // A repeat of a held submission: its outcome follows the verification.
                    runtime.logger.info("repeated submission still held for verification", metadata: [
                        "message_id": "\(messageID)", "verification_id": "\(held)",
                    ])
                    return []
                }
                let decided = try intake(
                    submission, decision: decision, screening: screening, reading: reading,
                    sender: .init(messageID: messageID, replyAddress: replyAddress), ending: nil,
                    reference: reference, on: connection, now: now)
                return decided.messages
            }
        }
    }

    /// The outcome first, to `hotline.events` and to the sender's reply queue, then the other messages.
    static func answer(_ outcome: OutboxMessage, replyAddress: ReplyAddress?, then others: [OutboxMessage] = []) -> [OutboxMessage] {
        (replyAddress?.outcome(outcome) ?? [outcome]) + others
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

    /// Where a submission's outcome goes: the `message_id` it answers and the sender's reply queue.
    struct Sender {
        var messageID: String
        var replyAddress: ReplyAddress?
    }

    /// What deciding a submission gave: the ticket made (none while it is held for verification) and
    /// every message to publish, the outcome first.
    struct Decided {
        var ticketNo: String?
        var messages: [OutboxMessage]
    }

    /// Decides a submission with the domain rules, stores its tickets and returns the messages: the
    /// outcome event first (also to the sender's reply queue), then whatever else it causes (children's
    /// `ticket.accepted`, the earlier ticket's `assignment.updated`). A submission the operator asked to
    /// verify on site is held instead (`ending` nil), or decided once its verification ended.
    func intake(
        _ submission: Submission, decision: IntakeDecision, screening: IntakeDecision.Screening,
        reading: IntakeStore.Reading, sender: Sender, ending: GridVerificationStore.Ending?, reference: ReferenceData,
        on connection: PostgresConnection, now: Date
    ) throws -> Decided {
        var openTickets = reading.openTickets
        var outcome = decision.decide(screening, openTickets: openTickets, concludedMatters: reading.concludedMatters)
        // Hold the earlier ticket while linking to it (its dispatch or resolution waits, or we see it
        // done); one resolved meanwhile takes no merge.
        while case .merged(_, let match) = outcome {
            if try IntakeStore.lockOpenTicket(match.target, on: connection) { break }
            openTickets.removeAll { $0.ticketNo == match.target }
            outcome = decision.decide(screening, openTickets: openTickets, concludedMatters: reading.concludedMatters)
        }
        let calendar = reference.calendar
        let rules = reference.profile.intake.gridVerification
        if let ending, let rules {
            outcome = GridVerification.outcome(ending.result, decided: outcome, note: ending.note, rules: rules)
        } else if submission.verifyOnSite == true, let hold = try GridVerification.hold(
            submission, outcome: outcome, rules: rules, office: decision.verificationPlace(submission)?.office,
            calendar: calendar, now: now)
        {
            let messages = try GridVerificationStore.hold(
                submission, hold, plan: outcome.plan, sender: sender, on: connection, now: now)
            runtime.logger.info("submission held for on-site verification", metadata: [
                "message_id": "\(sender.messageID)", "office": "\(hold.office)",
            ])
            return Decided(ticketNo: nil, messages: messages)
        }
        let prefix = reference.ticketNumberPrefix
        let numbers = self.numbers
        let recording = try TicketRecording(
            submission: submission, plan: outcome.plan, status: outcome.status, timeZone: calendar.timeZone,
            connection: connection, now: now, nextNumber: { try numbers.next(prefix: prefix, calendar: calendar, now: now) })
        let ticketNo = recording.ticketNo
        let (stored, extra): (StoredOutcome, [OutboxMessage])
        switch outcome {
        case .accepted: (stored, extra) = try recording.accepted()
        case .answered(_, let answer): (stored, extra) = try recording.answered(answer)
        case .rejected(_, let rejection): (stored, extra) = try recording.rejected(rejection)
        case .merged(_, let match): (stored, extra) = try recording.merged(match)
        case .split(_, let children): (stored, extra) = try recording.split(children)
        }
        if let ending { try recording.verification(ending) }
        try stored.save(
            submissionID: submission.submissionID, messageID: sender.messageID, ticketNo: ticketNo, on: connection, now: now)
        runtime.logger.info("submission decided", metadata: [
            "outcome": "\(stored.type)", "ticket_no": "\(ticketNo)", "message_id": "\(sender.messageID)",
        ])
        return Decided(
            ticketNo: ticketNo,
            messages: Self.answer(stored.message(correlationID: sender.messageID), replyAddress: sender.replyAddress, then: extra))
    }
}
