import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// The SQL of intake: what the decision reads (open tickets at a place, concluded matters) and what
/// it writes (tickets, intake facts, merge links). Every function runs inside the caller's transaction.
enum IntakeStore {
    /// What a decision on a submission starts from.
    struct Reading {
        /// The submission id's stored outcome (`submissions`), when it was decided before.
        var stored: PostgresRow?
        /// The verification the submission is held for (`grid_verifications`), while it is.
        var heldFor: String?
        var openTickets: [OpenTicket] = []
        var concludedMatters: [ConcludedMatter] = []
    }

    /// Takes the submission id's lock and the lookup's (one decision per submission id, and per place
    /// and citizen it could merge with, at a time: two demands that could merge must not both miss each
    /// other), then reads the stored outcome, the verification it is held for (only for a submission
    /// that asks for one: `mayBeHeld`), and what the decision needs, all in one round trip.
    static func read(
        _ submissionID: String, lookup: IntakeLookup?, mayBeHeld: Bool, on connection: PostgresConnection
    ) throws -> Reading {
        var statements: [PostgresStatement] = [
            lock(keys: ["submission:" + submissionID] + (lookup?.lockKeys ?? [])),
            ("SELECT outcome_type, outcome FROM submissions WHERE submission_id = $1", [submissionID]),
        ]
        if mayBeHeld {
            statements.append(
                ("SELECT verification_id FROM grid_verifications WHERE submission_id = $1 AND result IS NULL", [submissionID]))
        }
        let lookups = statements.count
        if let lookup {
            statements.append(openTickets(lookup))
            if let key = lookup.citizenKey { statements.append(concludedMatters(citizenKey: key, category: lookup.category)) }
        }
        let results = try connection.queries(statements)
        var reading = Reading(stored: results[1].first, heldFor: mayBeHeld ? try results[2].first?.decode("verification_id") : nil)
        guard reading.stored == nil, results.count > lookups else { return reading }
        reading.openTickets = try results[lookups].compactMap { row in
            // The query asks for open statuses only.
            guard let status = TicketStatus(rawValue: try row.decode("status")) else { return nil }
            return OpenTicket(
                ticketNo: try row.decode("ticket_no"), status: status,
                category: try row.decodeIfPresent("category"),
                street: try row.decodeIfPresent("street"), community: try row.decodeIfPresent("community"),
                addressNorm: try row.decodeIfPresent("address_norm"), citizenKey: try row.decodeIfPresent("citizen_key"),
                lat: try row.decodeIfPresent("lat"), lon: try row.decodeIfPresent("lon"),
                receivedAt: try row.decode("received_at"))
        }
        reading.concludedMatters = try results.dropFirst(lookups + 1).first?.map { row in
            ConcludedMatter(
                ticketNo: try row.decodeIfPresent("ticket_no"), citizenKey: try row.decode("citizen_key"),
                category: try row.decode("category"), street: try row.decodeIfPresent("street"),
                community: try row.decodeIfPresent("community"), addressNorm: try row.decodeIfPresent("address_norm"),
                concludedAt: try row.decode("concluded_at"), note: try row.decodeIfPresent("note"))
        } ?? []
        return reading
    }

    /// Takes every key's lock until the transaction ends, in one global order (by hash) so that two
    /// deciders never deadlock (two-key advisory locks, class 0x494E).
    private static func lock(keys: [String]) -> PostgresStatement {
        (
            """
            SELECT count(pg_advisory_xact_lock(18766, h)) AS n
            FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($1::text[]) AS k ORDER BY h) hashes
            """, [keys]
        )
    }

    /// Open tickets of the lookup's category at its place, nearby, or of the same citizen: one index
    /// range per way of matching (place, citizen, position), never a scan of all demands.
    private static func openTickets(_ lookup: IntakeLookup) -> PostgresStatement {
        (
            """
            SELECT t.ticket_no, coalesce(p.status, t.status) AS status, t.category, t.received_at, d.street, d.community,
                   d.address_norm, d.citizen_key, d.lat, d.lon
            FROM (SELECT ticket_no FROM intake_demands
                  WHERE category = $2 AND street = $3 AND community = $4 AND address_norm = $5
                  UNION
                  SELECT ticket_no FROM intake_demands WHERE $6::boolean AND citizen_key = $7::text AND category = $2
                  UNION
                  SELECT ticket_no FROM intake_demands
                  WHERE category = $2 AND lat BETWEEN $8::float8 AND $9::float8 AND lon BETWEEN $10::float8 AND $11::float8
                 ) candidates
            JOIN tickets t ON t.ticket_no = candidates.ticket_no
            JOIN intake_demands d ON d.ticket_no = t.ticket_no
            LEFT JOIN ticket_progress p ON p.ticket_no = t.ticket_no
            WHERE coalesce(p.status, t.status) = ANY($1::text[]) AND t.category = $2
            ORDER BY t.received_at, t.ticket_no
            LIMIT 200
            """,
            [TicketStatus.openValues, lookup.category, lookup.street, lookup.community, lookup.addressNorm,
             lookup.sameCitizen && lookup.citizenKey != nil, lookup.citizenKey, lookup.box?.minLat, lookup.box?.maxLat,
             lookup.box?.minLon, lookup.box?.maxLon]
        )
    }

    /// The citizen's concluded matters of a category.
    private static func concludedMatters(citizenKey: String, category: String) -> PostgresStatement {
        (
            """
            SELECT ticket_no, citizen_key, category, street, community, address_norm, concluded_at, note
            FROM concluded_matters WHERE citizen_key = $1 AND category = $2
            ORDER BY concluded_at, id LIMIT 200
            """, [citizenKey, category]
        )
    }

    /// Takes a ticket's `TicketLock` for the transaction; true when it is still open (can take a merge).
    static func lockOpenTicket(_ ticketNo: String, on connection: PostgresConnection) throws -> Bool {
        try TicketLock.status(of: ticketNo, on: connection).map(TicketStatus.open.contains) ?? false
    }

    /// One ticket row.
    struct NewTicket {
        var ticketNo: String
        var submission: Submission
        var plan: TicketPlan
        var status: TicketStatus
        var parentNo: String?
        var mergedInto: String?
        var rejection: IntakeRejection?
        /// `intake_demands.outcome`.
        var demandOutcome: String
    }

    /// Inserts a ticket and its intake facts.
    static func insert(_ ticket: NewTicket, timeZone: TimeZone, on connection: PostgresConnection, now: Date) throws {
        let plan = ticket.plan
        let submission = ticket.submission
        connection.write(
            """
            INSERT INTO tickets (ticket_no, submission_id, parent_no, merged_into, status, channel, kind, urgency, category,
                                 title, description, street, community, location, citizen, classification, rejection,
                                 received_at, accepted_at, updated_at, superior_case)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15::jsonb, $16::jsonb, $17::jsonb,
                    $18, $19, $19, $20::jsonb)
            """,
            [ticket.ticketNo, submission.submissionID, ticket.parentNo, ticket.mergedInto, ticket.status.rawValue,
             submission.channel.rawValue, plan.kind.rawValue, plan.urgency.rawValue, plan.category, plan.title,
             plan.description, plan.street, plan.community,
             try plan.location.map { JSONText(data: try HotlineJSON.encode($0)) },
             JSONText(data: try HotlineJSON.encode(submission.citizen)),
             JSONText(data: try HotlineJSON.encode(plan.classification.record)),
             try ticket.rejection.map { JSONText(data: try HotlineJSON.encode(RejectionRecord($0))) },
             submission.receivedAt, now,
             try submission.superiorCase.map { JSONText(data: try HotlineJSON.encode($0)) }])
        connection.write(
            """
            INSERT INTO intake_demands (ticket_no, submission_id, outcome, citizen_key, category, street, community,
                                        address_norm, lat, lon, received_at, day, parent_no, merged_into)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::date, $13, $14)
            """,
            [ticket.ticketNo, submission.submissionID, ticket.demandOutcome, plan.citizenKey, plan.category, plan.street,
             plan.community, plan.addressNorm, plan.location?.lat, plan.location?.lon, submission.receivedAt,
             localDay(submission.receivedAt, timeZone: timeZone), ticket.parentNo, ticket.mergedInto])
    }

    /// Links a merged ticket's citizen to the earlier ticket (the citizen's key is the merged
    /// ticket's, in `intake_demands`).
    static func link(_ merged: String, to target: String, basis: MergeMatch.Basis, on connection: PostgresConnection, now: Date) {
        connection.write(
            """
            INSERT INTO ticket_links (ticket_no, linked_no, link, basis, linked_at)
            VALUES ($1, $2, 'merged', $3, $4) ON CONFLICT DO NOTHING
            """, [target, merged, basis.rawValue, now])
        connection.write("UPDATE tickets SET updated_at = $2 WHERE ticket_no = $1", [target, now])
    }

    /// Distinct citizens waiting on a ticket: its own and those of every ticket merged into it, by the
    /// keys intake recorded for them (anonymous citizens without a number count once per ticket).
    static func waitingCitizens(_ ticketNo: String, on connection: PostgresConnection) throws -> Int {
        let rows = try connection.query(
            """
            SELECT count(DISTINCT coalesce(citizen_key, 'ticket:' || ticket_no)) AS n FROM intake_demands
            WHERE ticket_no = $1 OR ticket_no IN (SELECT linked_no FROM ticket_links WHERE ticket_no = $1 AND link = 'merged')
            """, [ticketNo])
        return try rows.first?.decode("n") ?? 0
    }

    /// The live assignments of a ticket.
    static func liveAssignments(_ ticketNo: String, on connection: PostgresConnection) throws -> [(id: String, unit: String)] {
        try connection.query(
            """
            SELECT assignment_id, unit FROM assignments
            WHERE ticket_no = $1 AND state = ANY($2::text[]) ORDER BY assignment_id
            """, [ticketNo, AssignmentLifecycle.liveStates.map(\.rawValue)])
            .map { (try $0.decode("assignment_id"), try $0.decode("unit")) }
    }

    /// The date in `timeZone` (`2026-12-02`): the date part of the time written in that zone.
    static func localDay(_ date: Date, timeZone: TimeZone) -> String {
        String(RFC3339.string(from: date, timeZone: timeZone).prefix(10))
    }
}

/// `tickets.rejection`: why the ticket was not accepted.
struct RejectionRecord: Encodable {
    let reason: String
    let basis: String
    let decidedBy: String
    let emergencyNumber: String?
    let words: [String]
    let note: String?
    let concludedTicket: String?
    let street: String?
    /// The destination's code, for a transferred demand.
    let transferredTo: String?

    init(_ rejection: IntakeRejection) {
        reason = rejection.reason.rawValue
        basis = rejection.basis
        decidedBy = rejection.decidedBy.rawValue
        emergencyNumber = rejection.emergencyNumber
        words = rejection.words
        note = rejection.note
        concludedTicket = rejection.concludedTicket
        street = rejection.street
        transferredTo = rejection.transferTo?.code
    }

    enum CodingKeys: String, CodingKey {
        case reason, basis
        case decidedBy = "decided_by"
        case emergencyNumber = "emergency_number"
        case words, note
        case concludedTicket = "concluded_ticket"
        case street
        case transferredTo = "transferred_to"
    }
}
