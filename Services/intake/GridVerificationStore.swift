import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// The SQL of on-site verification (`grid_verifications`, docs/rules.md "Intake"): holding a submission,
/// reading a held one under its row lock, and ending it. Every function runs inside the caller's
/// transaction.
enum GridVerificationStore {
    /// A held submission, read under its row lock.
    struct Held {
        var verificationID: String
        var submissionID: String
        /// Nil once decided (cleared).
        var submission: Submission?
        var sender: SubmissionIntake.Sender
        var office: String
        var requestedAt: Date
        var dueBy: Date
        var result: GridVerification.Result?

        var pending: GridVerification.Pending {
            GridVerification.Pending(office: office, requestedAt: requestedAt, result: result)
        }
    }

    /// How a held submission's verification ended, as the decision and the record take it.
    struct Ending {
        var verificationID: String
        var office: String
        var result: GridVerification.Result
        var verifiedAt: Date? = nil
        var verifier: String? = nil
        var note: String? = nil
        var commandID: String? = nil
    }

    /// Holds `submission` for its street office's grid worker; returns `submission.verification-requested`
    /// and the street office's `verification.requested`.
    static func hold(
        _ submission: Submission, _ hold: GridVerification.Hold, plan: TicketPlan, sender: SubmissionIntake.Sender,
        on connection: PostgresConnection, now: Date
    ) throws -> [OutboxMessage] {
        let id = UUID().uuidString
        connection.write(
            """
            INSERT INTO grid_verifications (verification_id, submission_id, message_id, reply_to, reply_to_ignored, submission,
                                            office, street, requested_at, due_by)
            VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10)
            """,
            [id, submission.submissionID, sender.messageID, sender.replyAddress?.queue, sender.replyAddress?.ignored,
             JSONText(data: try HotlineJSON.encode(submission)), hold.office, hold.street, now, hold.dueBy])
        let event = SubmissionVerificationRequested(
            eventID: UUID().uuidString, occurredAt: now, submissionID: submission.submissionID, verificationID: id,
            unit: hold.office, street: hold.street, dueBy: hold.dueBy, channel: submission.channel)
        let request = VerificationRequest(
            verificationID: id, submissionID: submission.submissionID, dueBy: hold.dueBy, plan: plan, citizen: submission.citizen)
        return [try OutboxMessage.event(event), try OutboxMessage.toUnit(request, unit: hold.office)]
    }

    /// The verification `id` under its row lock; nil when there is none.
    static func held(_ id: String, on connection: PostgresConnection) throws -> Held? {
        try connection.query(select + " WHERE verification_id = $1 FOR UPDATE", [id]).first.map(Self.held(row:))
    }

    /// Pending verifications due by `now`, oldest first, locked for this transaction and skipped by
    /// every other copy's.
    static func lapsed(limit: Int, now: Date, on connection: PostgresConnection) throws -> [Held] {
        try connection.query(
            select + " WHERE result IS NULL AND due_by <= $1 ORDER BY due_by LIMIT $2 FOR UPDATE SKIP LOCKED", [now, limit]
        ).map(Self.held(row:))
    }

    /// The earliest due time of a pending verification.
    static func nextDue(on connection: PostgresConnection) throws -> Date? {
        try connection.query("SELECT min(due_by) AS due FROM grid_verifications WHERE result IS NULL").first?.decodeIfPresent("due")
    }

    /// Records how it ended and clears the held submission (its outcome is decided and stored).
    static func end(_ ending: Ending, ticketNo: String?, on connection: PostgresConnection, now: Date) {
        connection.write(
            """
            UPDATE grid_verifications
            SET result = $2, ended_at = $3, verified_at = $4, verifier = $5, note = $6, ticket_no = $7, command_id = $8,
                submission = NULL
            WHERE verification_id = $1
            """,
            [ending.verificationID, ending.result.rawValue, now, ending.verifiedAt, ending.verifier, ending.note, ticketNo,
             ending.commandID])
    }

    private static let select = """
        SELECT verification_id, submission_id, submission, message_id, reply_to, reply_to_ignored, office, requested_at, due_by, result
        FROM grid_verifications
        """

    private static func held(row: PostgresRow) throws -> Held {
        let submission: JSONText? = try row.decodeIfPresent("submission")
        let replyTo: String? = try row.decodeIfPresent("reply_to")
        return Held(
            verificationID: try row.decode("verification_id"), submissionID: try row.decode("submission_id"),
            submission: try submission.map { try HotlineJSON.decode(Submission.self, from: Data($0.text.utf8)) },
            sender: SubmissionIntake.Sender(
                messageID: try row.decode("message_id"),
                replyAddress: replyTo.map { ReplyAddress(queue: $0, ignored: try? row.decodeIfPresent("reply_to_ignored")) }),
            office: try row.decode("office"), requestedAt: try row.decode("requested_at"), dueBy: try row.decode("due_by"),
            result: try row.decodeIfPresent("result", as: String.self).flatMap(GridVerification.Result.init(rawValue:)))
    }
}
