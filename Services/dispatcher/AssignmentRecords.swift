import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// One row of `assignments`, as the lifecycle needs it.
struct AssignmentRecord: Sendable {
    let assignmentID: String
    let ticketNo: String
    let unit: String
    let role: AssignmentRole
    let state: AssignmentState
    let leadUnit: String?
    let coUnits: [String]
    let deadlines: AssignmentDeadlines
    let returnAllowed: Bool
    let extensionAllowed: Bool
    let extended: Bool
    let returnDenied: Bool
    let resumeState: AssignmentState?
    let reviewKind: ResolutionKind?
    let reviewStartedAt: Date?
    let createdAt: Date
    let signedAt: Date?
    /// The acceptance notice (受理告知).
    let notifiedAt: Date?
    /// The first progress notice (feedback).
    let feedbackAt: Date?
    let partReportedAt: Date?
    /// The stage resolution's follow-up date, while it is followed up.
    let followUpBy: Date?
    let approvalLevel: String?
    let endedAt: Date?
    /// How it was dispatched: `catalogue` when the duty catalogue routed it (PS §12(一)), else the
    /// center's mode, `redispatch` or `handover`.
    let dispatchMode: String?
    /// Times it was reopened for re-handling (重办).
    let reopenCount: Int

    var position: AssignmentLifecycle.Position {
        AssignmentLifecycle.Position(state: state, role: role, reviewing: reviewKind, resumeState: resumeState)
    }

    var isLive: Bool { !AssignmentLifecycle.endedStates.contains(state) }

    /// The deadlines the unit has met: signed, the acceptance notice given, the first feedback given.
    var metDeadlines: Set<DeadlineKind> {
        var met: Set<DeadlineKind> = []
        if signedAt != nil { met.insert(.sign) }
        if notifiedAt != nil { met.insert(.notify) }
        if feedbackAt != nil { met.insert(.feedback) }
        return met
    }

    static let columns = """
        assignment_id, ticket_no, unit, role, state, lead_unit, array_to_json(co_units)::text AS co_units,
        deadlines::text AS deadlines, return_allowed, extension_allowed, extended, return_denied, resume_state,
        review_kind, review_started_at, created_at, signed_at, notified_at, feedback_at, part_reported_at, follow_up_by,
        approval_level, ended_at, dispatch_mode, reopen_count
        """

    init(row: PostgresRow) throws {
        func value<T: RawRepresentable>(_ column: String) throws -> T where T.RawValue == String {
            let text: String = try row.decode(column)
            guard let value = T(rawValue: text) else {
                throw DatabaseError(sqlState: nil, message: "assignments.\(column) has an unknown value \(text)")
            }
            return value
        }
        func optional<T: RawRepresentable>(_ column: String) throws -> T? where T.RawValue == String {
            try row.decodeIfPresent(column, as: String.self).flatMap(T.init(rawValue:))
        }
        assignmentID = try row.decode("assignment_id")
        ticketNo = try row.decode("ticket_no")
        unit = try row.decode("unit")
        role = try value("role")
        state = try value("state")
        leadUnit = try row.decodeIfPresent("lead_unit")
        coUnits = try JSONDecoder().decode([String].self, from: Data(try row.decode("co_units", as: String.self).utf8))
        deadlines = try HotlineJSON.decode(AssignmentDeadlines.self, from: Data(try row.decode("deadlines", as: String.self).utf8))
        returnAllowed = try row.decode("return_allowed")
        extensionAllowed = try row.decode("extension_allowed")
        extended = try row.decode("extended")
        returnDenied = try row.decode("return_denied")
        resumeState = try optional("resume_state")
        reviewKind = try optional("review_kind")
        reviewStartedAt = try row.decodeIfPresent("review_started_at")
        createdAt = try row.decode("created_at")
        signedAt = try row.decodeIfPresent("signed_at")
        notifiedAt = try row.decodeIfPresent("notified_at")
        feedbackAt = try row.decodeIfPresent("feedback_at")
        partReportedAt = try row.decodeIfPresent("part_reported_at")
        followUpBy = try row.decodeIfPresent("follow_up_by")
        approvalLevel = try row.decodeIfPresent("approval_level")
        endedAt = try row.decodeIfPresent("ended_at")
        dispatchMode = try row.decodeIfPresent("dispatch_mode")
        reopenCount = try row.decode("reopen_count")
    }

    /// The duty catalogue routed it (dispatch mode `catalogue`).
    var isCatalogueRouted: Bool { dispatchMode == "catalogue" }

    /// The ticket an assignment belongs to, without locking anything.
    static func ticketNo(of assignmentID: String, on connection: PostgresConnection) throws -> String? {
        try connection.query("SELECT ticket_no FROM assignments WHERE assignment_id = $1", [assignmentID]).first?
            .decode("ticket_no")
    }

    /// Every assignment of a ticket, oldest first. Call under the ticket's `TicketLock`.
    static func all(of ticketNo: String, on connection: PostgresConnection) throws -> [AssignmentRecord] {
        try connection.query(all(of: ticketNo)).map(AssignmentRecord.init(row:))
    }

    /// Reads every assignment of a ticket, oldest first.
    static func all(of ticketNo: String) -> PostgresStatement {
        ("SELECT \(columns) FROM assignments WHERE ticket_no = $1 ORDER BY created_at, assignment_id", [ticketNo])
    }

    /// `all(of:)` for the ticket an assignment belongs to.
    static func all(ofTicketOfAssignment assignmentID: String) -> PostgresStatement {
        (
            """
            SELECT \(columns) FROM assignments
            WHERE ticket_no = (SELECT ticket_no FROM assignments WHERE assignment_id = $1)
            ORDER BY created_at, assignment_id
            """, [assignmentID]
        )
    }

    /// Stores a new lifecycle position (state and what the review needs to remember).
    static func move(
        _ assignmentID: String, to position: AssignmentLifecycle.Position, on connection: PostgresConnection, now: Date,
        reviewStartedAt: Date? = nil
    ) throws {
        let ended = AssignmentLifecycle.endedStates.contains(position.state)
        connection.write(
            """
            UPDATE assignments
            SET state = $2, resume_state = $3, review_kind = $4, review_started_at = $5,
                ended_at = CASE WHEN $6::boolean THEN $7::timestamptz ELSE NULL END, updated_at = $7
            WHERE assignment_id = $1
            """,
            [assignmentID, position.state.rawValue, position.resumeState?.rawValue, position.reviewing?.rawValue,
             reviewStartedAt, ended, now])
    }

    /// Ends each of `others` that `action` can end (closing or cancelling it) and tells its unit with
    /// `assignment.cancelled` (`reason`, `note`); returns those messages.
    static func end(
        _ others: [AssignmentRecord], by action: AssignmentLifecycle.Action, ticketNo: String, reason: String, note: String,
        on connection: PostgresConnection, now: Date
    ) throws -> [OutboxMessage] {
        var messages: [OutboxMessage] = []
        for other in others {
            guard case .success(let ended) = AssignmentLifecycle.apply(action, to: other.position) else { continue }
            try move(other.assignmentID, to: ended, on: connection, now: now)
            messages.append(try OutboxMessage.toUnit(
                .cancelled(AssignmentCancelled(assignmentID: other.assignmentID, ticketNo: ticketNo, reason: reason, note: note)),
                unit: other.unit))
        }
        return messages
    }

    static func saveDeadlines(_ assignmentID: String, _ deadlines: AssignmentDeadlines, on connection: PostgresConnection) throws {
        connection.write(
            "UPDATE assignments SET deadlines = $2::jsonb WHERE assignment_id = $1",
            [assignmentID, JSONText(data: try HotlineJSON.encode(deadlines))])
    }

    /// The entry for `assignment.created`'s `history`.
    var historyEntry: AssignmentHistoryEntry {
        AssignmentHistoryEntry(
            assignmentID: assignmentID, unit: unit, role: role, state: state, createdAt: createdAt, endedAt: endedAt)
    }
}

/// A ticket under its `TicketLock`, and all its assignments read after the lock.
struct LockedTicket {
    let ticketNo: String
    let ticket: DispatchTicket
    var assignments: [AssignmentRecord]

    /// Takes the ticket's lock (every change to a ticket's assignments happens under it, so that two
    /// dispatcher copies racing on the same ticket serialise) and reads the ticket and its assignments.
    static func lock(_ ticketNo: String, on connection: PostgresConnection) throws -> LockedTicket? {
        // One round trip: the server reads the assignments and the progress after it has taken the lock.
        let results = try connection.queries([
            TicketLock.taking(ticketNo), DispatchTicket.reading(ticketNo), AssignmentRecord.all(of: ticketNo),
            TicketProgress.status(of: ticketNo),
        ])
        guard let row = results[1].first else { return nil }
        return LockedTicket(
            ticketNo: ticketNo, ticket: try DispatchTicket(row: row, progress: results[3].first),
            assignments: try results[2].map(AssignmentRecord.init(row:)))
    }

    /// `lock` of the ticket an assignment belongs to, found in the same round trip; nil when the
    /// assignment is unknown.
    static func lock(ofAssignment assignmentID: String, on connection: PostgresConnection) throws -> LockedTicket? {
        let results = try connection.queries([
            TicketLock.taking(ofAssignment: assignmentID), DispatchTicket.reading(ofAssignment: assignmentID),
            AssignmentRecord.all(ofTicketOfAssignment: assignmentID), TicketProgress.status(ofTicketOfAssignment: assignmentID),
        ])
        guard let row = results[1].first else { return nil }
        let assignments = try results[2].map(AssignmentRecord.init(row:))
        guard let ticketNo = assignments.first(where: { $0.assignmentID == assignmentID })?.ticketNo else { return nil }
        return LockedTicket(
            ticketNo: ticketNo, ticket: try DispatchTicket(row: row, progress: results[3].first), assignments: assignments)
    }

    func assignment(_ id: String) -> AssignmentRecord? { assignments.first { $0.assignmentID == id } }

    var live: [AssignmentRecord] { assignments.filter(\.isLive) }
}
