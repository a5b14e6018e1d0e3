import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// What a decided submission writes, one method per outcome: its ticket (and a split's children),
/// their history lines, a merge's link and the earlier ticket's units' notice, and the outcome event
/// with the other messages it causes.
struct TicketRecording {
    /// The outcome event (stored for repeats) and the other messages.
    typealias Recorded = (outcome: StoredOutcome, messages: [OutboxMessage])

    let submission: Submission
    let ticket: IntakeStore.NewTicket
    let timeZone: TimeZone
    let connection: PostgresConnection
    let now: Date
    /// Numbers the next ticket (a split's children).
    let nextNumber: () throws -> String
    let eventID = UUID().uuidString

    var ticketNo: String { ticket.ticketNo }
    private var plan: TicketPlan { ticket.plan }

    init(
        submission: Submission, plan: TicketPlan, status: TicketStatus, timeZone: TimeZone, connection: PostgresConnection,
        now: Date, nextNumber: @escaping () throws -> String
    ) throws {
        self.submission = submission
        ticket = IntakeStore.NewTicket(
            ticketNo: try nextNumber(), submission: submission, plan: plan, status: status, demandOutcome: status.rawValue)
        self.timeZone = timeZone
        self.connection = connection
        self.now = now
        self.nextNumber = nextNumber
    }

    func accepted() throws -> Recorded {
        try insert(ticket)
        try history("accepted", Self.classificationDetail(plan))
        return (try StoredOutcome(accepted(plan, ticketNo: ticketNo, eventID: eventID)), [])
    }

    func answered(_ answer: AnsweredOnCall) throws -> Recorded {
        try insert(ticket)
        var detail = ["answer": answer.answer]
        if let knowledgeID = answer.knowledgeID { detail["knowledge_id"] = knowledgeID }
        try history("answered_on_call", detail)
        try history("closed", ["as": "answered"])
        return (try StoredOutcome(TicketAnswered(
            eventID: eventID, occurredAt: now, ticketNo: ticketNo, submissionID: submission.submissionID,
            channel: submission.channel, receivedAt: submission.receivedAt, category: plan.category,
            knowledgeID: answer.knowledgeID)), [])
    }

    func rejected(_ rejection: IntakeRejection) throws -> Recorded {
        var rejected = ticket
        rejected.rejection = rejection
        try insert(rejected)
        var detail = ["reason": rejection.reason.rawValue, "basis": rejection.basis, "by": rejection.decidedBy.rawValue]
        if let number = rejection.emergencyNumber { detail["emergency_number"] = number }
        if !rejection.words.isEmpty { detail["words"] = rejection.words.joined(separator: ",") }
        if let destination = rejection.transferTo { detail["transferred_to"] = destination.code }
        try history("not_accepted", detail)
        try history("closed", ["as": "rejected"])
        return (try StoredOutcome(TicketRejected(
            eventID: eventID, occurredAt: now, ticketNo: ticketNo, submissionID: submission.submissionID,
            reason: rejection.reason, basis: rejection.basis, emergencyNumber: rejection.emergencyNumber,
            transferredTo: rejection.transferTo.map { .init(code: $0.code, name: $0.name, phone: $0.phone) },
            channel: submission.channel)), [])
    }

    /// The new ticket joins `match.target` (locked by the caller); the units handling that one learn
    /// how many citizens now wait for their result.
    func merged(_ match: MergeMatch) throws -> Recorded {
        var merged = ticket
        merged.mergedInto = match.target
        try insert(merged)
        IntakeStore.link(ticketNo, to: match.target, basis: match.basis, on: connection, now: now)
        let waiting = try IntakeStore.waitingCitizens(match.target, on: connection)
        var detail = ["into": match.target, "basis": match.basis.rawValue]
        if let distance = match.distance { detail["distance_m"] = String(format: "%.1f", distance) }
        try history("merged", detail)
        try TicketHistory.record(
            match.target, actor: "intake", action: "citizen_linked",
            detail: ["ticket": ticketNo, "basis": match.basis.rawValue, "waiting_citizens": String(waiting)],
            on: connection, now: now)
        let messages = try IntakeStore.liveAssignments(match.target, on: connection).map { assignment in
            let update = AssignmentUpdated(
                assignmentID: assignment.id, ticketNo: match.target, reason: "citizens_merged",
                note: "并案：\(ticketNo) 并入本件，\(waiting) 位诉求人等待办理结果", waitingCitizens: waiting,
                mergedTicket: ticketNo)
            return try OutboxMessage.toUnit(.updated(update), unit: assignment.unit)
        }
        return (try StoredOutcome(TicketMerged(
            eventID: eventID, occurredAt: now, ticketNo: ticketNo, submissionID: submission.submissionID,
            mergedInto: match.target, channel: submission.channel)), messages)
    }

    /// The parent ticket and one accepted child per demand, each child with its own `ticket.accepted`.
    func split(_ children: [TicketPlan]) throws -> Recorded {
        try insert(ticket)
        var numbers: [String] = []
        var messages: [OutboxMessage] = []
        for child in children {
            let childNo = try nextNumber()
            numbers.append(childNo)
            try insert(IntakeStore.NewTicket(
                ticketNo: childNo, submission: submission, plan: child, status: .accepted, parentNo: ticketNo,
                demandOutcome: "child"))
            var detail = Self.classificationDetail(child)
            detail["parent"] = ticketNo
            try TicketHistory.record(childNo, actor: "intake", action: "accepted", detail: detail, on: connection, now: now)
            var event = accepted(child, ticketNo: childNo, eventID: UUID().uuidString)
            event.parentNo = ticketNo
            messages.append(try OutboxMessage.event(event))
        }
        try history("split", ["children": numbers.joined(separator: ",")])
        return (try StoredOutcome(TicketSplit(
            eventID: eventID, occurredAt: now, ticketNo: ticketNo, submissionID: submission.submissionID,
            children: numbers, channel: submission.channel)), messages)
    }

    /// The history line of the on-site verification the ticket waited for.
    func verification(_ ending: GridVerificationStore.Ending) throws {
        var detail = ["verification_id": ending.verificationID, "result": ending.result.rawValue, "office": ending.office]
        if let verifier = ending.verifier { detail["verifier"] = verifier }
        if let at = ending.verifiedAt { detail["verified_at"] = RFC3339.string(from: at, timeZone: timeZone) }
        try TicketHistory.record(
            ticketNo, actor: ending.verifier == nil ? "intake" : "unit.\(ending.office)", action: "verified_on_site",
            detail: detail, on: connection, now: now)
    }

    // MARK: - Helpers

    private func insert(_ ticket: IntakeStore.NewTicket) throws {
        try IntakeStore.insert(ticket, timeZone: timeZone, on: connection, now: now)
    }

    private func history(_ action: String, _ detail: [String: String]) throws {
        try TicketHistory.record(ticketNo, actor: "intake", action: action, detail: detail, on: connection, now: now)
    }

    private func accepted(_ plan: TicketPlan, ticketNo: String, eventID: String) -> TicketAccepted {
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
