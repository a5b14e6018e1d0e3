import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// The `sla_timers` table: arming (reconciling a subject's timers with its clock) and firing.
enum TimerStore {
    /// Who the subject's timers are about.
    struct Subject: Sendable {
        var subject: String
        var ticketNo: String?
        var assignmentID: String?
        var unit: String?
    }

    /// Reads the subject's stored timers (see `stored(_:)`).
    static func storedTimers(of subject: String) -> PostgresStatement {
        ("SELECT id, purpose, action, due_at, deadline_at, state, later::text AS later FROM sla_timers WHERE subject = $1",
         [subject])
    }

    /// The stored timers in the rows of `storedTimers(of:)`.
    static func stored(_ rows: [PostgresRow]) throws -> [TimerReconciliation.Stored] {
        try rows.compactMap { row -> TimerReconciliation.Stored? in
            guard let action = TimerAction(rawValue: try row.decode("action")) else { return nil }
            let pending = try row.decode("state", as: String.self) == "pending"
            // A later firing that cannot be read is re-armed from the clock (the row no longer matches).
            let later = pending ? ((try? TimerChain.decode(later: row.decodeIfPresent("later"))) ?? []) : []
            return TimerReconciliation.Stored(
                id: try row.decode("id"), purpose: try row.decode("purpose"), action: action,
                dueAt: try row.decode("due_at"), deadlineAt: try row.decode("deadline_at"), pending: pending,
                later: later)
        }
    }

    /// Arms exactly the `desired` timers of the subject, each deadline's next firing carrying its later
    /// ones (see `TimerReconciliation`, `TimerChain`); returns the earliest due time of the timers it
    /// armed, if any. `stored`: the subject's timers when the caller read them with its clock (nil: read
    /// them now).
    @discardableResult
    static func reconcile(
        _ subject: Subject, desired: [TimerSpec], stored: [TimerReconciliation.Stored]? = nil,
        on connection: PostgresConnection, now: Date
    ) throws -> Date? {
        let stored = try stored ?? self.stored(connection.query(storedTimers(of: subject.subject)))
        let plan = TimerReconciliation.plan(desired: desired, stored: stored, now: now)
        if !plan.delete.isEmpty {
            // By subject first: a condition on the ids alone gets a custom plan at every call (the
            // generic plan's guess of the array's length costs more than any real one).
            connection.write(
                "DELETE FROM sla_timers WHERE subject = $1 AND id = ANY($2::bigint[]) AND state = 'pending'",
                [subject.subject, plan.delete])
        }
        arm(plan.insert.map { (subject, $0) }, on: connection, now: now)
        return plan.insert.map(\.next.dueAt).min()
    }

    /// Arms each chain's next firing as a pending timer of its subject, carrying the later firings
    /// (sent with the next statement); a firing of the same purpose already pending stays as it is.
    private static func arm(_ chains: [(subject: Subject, chain: TimerChain)], on connection: PostgresConnection, now: Date) {
        guard !chains.isEmpty else { return }
        let specs = chains.map(\.chain.next)
        connection.write(
            """
            INSERT INTO sla_timers (subject, ticket_no, assignment_id, unit, deadline, action, purpose, due_at,
                                    deadline_at, days_overdue, later, created_at)
            SELECT x.subject, x.ticket_no, x.assignment_id, x.unit, x.deadline, x.action, x.purpose,
                   to_timestamp(x.due_epoch), to_timestamp(x.deadline_epoch), NULLIF(x.days, -1), x.later::jsonb,
                   to_timestamp($1::float8)
            FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::float8[],
                        $10::float8[], $11::int[], $12::text[])
                 AS x(subject, ticket_no, assignment_id, unit, deadline, action, purpose, due_epoch, deadline_epoch, days,
                      later)
            ON CONFLICT (subject, purpose) WHERE state = 'pending' DO NOTHING
            """,
            [now.timeIntervalSince1970, chains.map(\.subject.subject), NullableArray(chains.map(\.subject.ticketNo)),
             NullableArray(chains.map(\.subject.assignmentID)), NullableArray(chains.map(\.subject.unit)),
             specs.map(\.deadline.rawValue), specs.map(\.action.rawValue), specs.map(\.purpose),
             specs.map(\.dueAt.timeIntervalSince1970), specs.map(\.deadlineAt.timeIntervalSince1970),
             specs.map { $0.daysOverdue ?? -1 }, NullableArray(chains.map { TimerChain.encode(later: $0.chain.later) })])
    }

    /// Arms an assignment's timers from its clock (`stored`: as in `reconcile`).
    @discardableResult
    static func arm(
        _ clock: AssignmentClock, planner: TimerPlanner, stored: [TimerReconciliation.Stored]? = nil,
        on connection: PostgresConnection, now: Date
    ) throws -> Date? {
        try reconcile(
            Subject(subject: clock.assignmentID, ticketNo: clock.ticketNo, assignmentID: clock.assignmentID, unit: clock.unit),
            desired: clock.timers(planner, now: now), stored: stored, on: connection, now: now)
    }

    /// Arms a ticket's dispatch timers from its clock (`stored`: as in `reconcile`).
    @discardableResult
    static func arm(
        _ clock: DispatchClock, planner: TimerPlanner, stored: [TimerReconciliation.Stored]? = nil,
        on connection: PostgresConnection, now: Date
    ) throws -> Date? {
        try reconcile(
            Subject(subject: clock.ticketNo, ticketNo: clock.ticketNo), desired: clock.timers(planner, now: now),
            stored: stored, on: connection, now: now)
    }

    // MARK: - Firing

    /// Claims up to `limit` due timers (skipping those another copy holds), decides each, and in
    /// the same transaction marks them fired (or moves an overdue tick a day on, or drops a timer
    /// whose assignment moved on), arms each fired timer's next firing, and writes their events to
    /// the outbox.
    static func fireDue(
        limit: Int, firedBy: String, publisher: String, on connection: PostgresConnection, now: Date
    ) throws -> FireResult {
        let rows = try connection.query(
            """
            SELECT t.id, t.subject, t.ticket_no, t.assignment_id, t.unit, t.deadline, t.action,
                   extract(epoch FROM t.due_at)::float8 AS due_epoch,
                   extract(epoch FROM t.deadline_at)::float8 AS deadline_epoch,
                   t.days_overdue, t.later::text AS later, a.state AS assignment_state,
                   k.state = 'open' AS correction_open
            FROM sla_timers t LEFT JOIN assignments a ON a.assignment_id = t.assignment_id
            LEFT JOIN knowledge_corrections k ON t.deadline = 'knowledge_correction' AND k.correction_id = t.subject
            WHERE t.state = 'pending' AND t.due_at <= to_timestamp($1::float8)
            ORDER BY t.due_at
            LIMIT $2
            FOR UPDATE OF t SKIP LOCKED
            """, [now.timeIntervalSince1970, limit])
        var result = FireResult(claimed: rows.count, at: now)
        guard !rows.isEmpty else { return result }
        // One encoder for the batch: a date formatter per value would cost more than the rest.
        let encoder = EventTime.encoder(reference: now)
        var firings = Firings()
        var events: [OutboxMessage] = []
        for row in rows {
            let id: Int64 = try row.decode("id")
            guard let timer = try dueTimer(row) else {
                firings.dropped.append(id)
                continue
            }
            let eventID = UUID().uuidString
            let event: TimerFiring.Event
            switch TimerFiring.decide(timer, now: now, eventID: eventID) {
            case .drop:
                firings.dropped.append(id)
                continue
            case .fire(let fired):
                event = fired
                firings.fired.append((id, eventID))
                // Later firings that cannot be read are armed again by the subject's next event.
                let later = (try? TimerChain.decode(later: row.decodeIfPresent("later"))) ?? []
                if let next = TimerChain.after(firing: later, now: now) {
                    let subject = Subject(
                        subject: try row.decode("subject"), ticketNo: timer.ticketNo, assignmentID: timer.assignmentID,
                        unit: timer.unit)
                    firings.armed.append((subject, next))
                }
            case .fireAndReschedule(let fired, let nextDueAt, let nextDays):
                event = fired
                firings.moved.append((id, nextDueAt.timeIntervalSince1970, nextDays, eventID))
            }
            events.append(OutboxMessage(
                exchange: Exchange.events, routingKey: event.type.rawValue, messageID: eventID, type: event.type.rawValue,
                mandatory: false, body: try event.encodedBody(using: encoder)))
            result.lateness.append(now.timeIntervalSince(timer.dueAt))
            result.fired[event.type.rawValue, default: 0] += 1
        }
        firings.write(firedBy: firedBy, on: connection, now: now)
        result.dropped = firings.dropped.count
        try Outbox.enqueue(events, by: publisher, on: connection, now: now)
        return result
    }

    /// A claimed row as the firing decision reads it; nil for a deadline or action this build does
    /// not know (the row is dropped).
    private static func dueTimer(_ row: PostgresRow) throws -> TimerFiring.DueTimer? {
        guard let deadline = DeadlineKind(rawValue: try row.decode("deadline")),
              let action = TimerAction(rawValue: try row.decode("action"))
        else { return nil }
        return TimerFiring.DueTimer(
            id: try row.decode("id"), ticketNo: try row.decodeIfPresent("ticket_no"),
            assignmentID: try row.decodeIfPresent("assignment_id"), unit: try row.decodeIfPresent("unit"),
            deadline: deadline, action: action, dueAt: Date(timeIntervalSince1970: try row.decode("due_epoch")),
            deadlineAt: Date(timeIntervalSince1970: try row.decode("deadline_epoch")),
            daysOverdue: try row.decodeIfPresent("days_overdue"),
            assignmentState: try row.decodeIfPresent("assignment_state", as: String.self).flatMap(AssignmentState.init(rawValue:)),
            subject: try row.decode("subject"), correctionOpen: try row.decodeIfPresent("correction_open"))
    }

    /// What a firing pass does to its claimed rows, written set-wise at its end.
    private struct Firings {
        /// Fired for good (their chain's next firing, if any, in `armed`).
        var fired: [(id: Int64, eventID: String)] = []
        /// Fired and moved to their next due time (the daily overdue tick).
        var moved: [(id: Int64, dueEpoch: Double, days: Int, eventID: String)] = []
        var dropped: [Int64] = []
        var armed: [(subject: Subject, chain: TimerChain)] = []

        func write(firedBy: String, on connection: PostgresConnection, now: Date) {
            if !fired.isEmpty {
                connection.write(
                    """
                    UPDATE sla_timers AS t SET state = 'fired', fired_at = to_timestamp($2::float8), fired_by = $3,
                           fired_count = t.fired_count + 1, event_id = x.event_id
                    FROM unnest($1::bigint[], $4::text[]) AS x(id, event_id) WHERE t.id = x.id
                    """, [fired.map(\.id), now.timeIntervalSince1970, firedBy, fired.map(\.eventID)])
            }
            TimerStore.arm(armed, on: connection, now: now)
            if !moved.isEmpty {
                connection.write(
                    """
                    UPDATE sla_timers AS t SET due_at = to_timestamp(x.due_epoch), days_overdue = x.days,
                           fired_at = to_timestamp($2::float8), fired_by = $3, fired_count = t.fired_count + 1,
                           event_id = x.event_id
                    FROM unnest($1::bigint[], $4::float8[], $5::int[], $6::text[]) AS x(id, due_epoch, days, event_id)
                    WHERE t.id = x.id
                    """,
                    [moved.map(\.id), now.timeIntervalSince1970, firedBy, moved.map(\.dueEpoch), moved.map(\.days),
                     moved.map(\.eventID)])
            }
            if !dropped.isEmpty {
                connection.write("DELETE FROM sla_timers WHERE id = ANY($1::bigint[])", [dropped])
            }
        }
    }

    /// What one firing pass did.
    struct FireResult: Sendable {
        var claimed: Int
        /// The service-clock instant the pass claimed timers due by.
        var at: Date
        var fired: [String: Int] = [:]
        var dropped = 0
        /// Seconds each fired timer was late by.
        var lateness: [Double] = []

        var published: Int { fired.values.reduce(0, +) }
    }

    /// The earliest pending due time after `instant` (read from the partial index). Timers due by then
    /// were claimed by the pass that read `instant`, or are held by another copy; starting the range
    /// there skips the entries of timers just fired, which stay in the index until vacuumed.
    static func nextDue(after instant: Date, on connection: PostgresConnection) throws -> Date? {
        try connection.query(
            "SELECT extract(epoch FROM min(due_at))::float8 AS next FROM sla_timers WHERE state = 'pending' AND due_at > $1",
            [instant]
        ).first?.decodeIfPresent("next", as: Double.self).map(Date.init(timeIntervalSince1970:))
    }

    /// Deletes fired timers older than `age` seconds, a bounded batch at a time.
    static func purgeFired(olderThan cutoff: Date, on connection: PostgresConnection) throws {
        connection.write(
            """
            DELETE FROM sla_timers WHERE id IN (
                SELECT id FROM sla_timers WHERE state = 'fired' AND fired_at < $1 ORDER BY fired_at LIMIT 10000)
            """, [cutoff])
    }
}
