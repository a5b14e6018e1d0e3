import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// The `sla_clocks` table: one clock per assignment (and per ticket for the dispatch deadline), read
/// with a row lock so that the events of one assignment are applied one at a time.
enum ClockStore {
    /// Clock states keep sub-second precision (the contract's JSON writes whole seconds).
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(PreciseTime.string(from: date))
        }
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = PreciseTime.date(from: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a time: \(text)")
            }
            return date
        }
        return decoder
    }()

    // MARK: - Assignment clocks

    /// An assignment's clock as loaded for a change, with what its row of `assignments` says now and
    /// the subject's stored timers. A clock made from the row (`isNew`) is not stored yet.
    struct LoadedAssignment {
        var clock: AssignmentClock
        var row: AssignmentSnapshot?
        var timers: [TimerReconciliation.Stored]
        var isNew: Bool
    }

    /// The assignment's clock, locked for the transaction, its row and its timers, in one round trip;
    /// made from the row the first time. Nil when the assignment is unknown.
    static func assignment(
        _ assignmentID: String, reference: ReferenceData, on connection: PostgresConnection, now: Date
    ) throws -> LoadedAssignment? {
        let results = try connection.queries([
            ("SELECT state::text AS state FROM sla_clocks WHERE subject = $1 AND kind = 'assignment' FOR UPDATE", [assignmentID]),
            TimerStore.storedTimers(of: assignmentID),
            (
                """
                SELECT to_jsonb(a)::text AS a, t.kind, t.urgency, t.channel, t.category, t.received_at,
                       p.catalogue_version IS NOT NULL AS routed, p.routed_item::text AS routed_item
                FROM assignments a LEFT JOIN tickets t USING (ticket_no) LEFT JOIN ticket_progress p USING (ticket_no)
                WHERE a.assignment_id = $1
                """, [assignmentID]
            ),
        ])
        let timers = try TimerStore.stored(results[1])
        let row = results[2].first
        if let state = try results[0].first?.decode("state", as: String.self) {
            let clock = try decoder.decode(AssignmentClock.self, from: Data(state.utf8))
            let snapshot = try row.map { AssignmentRow(try $0.decode("a", as: String.self)).snapshot }
            return LoadedAssignment(clock: clock, row: snapshot, timers: timers, isNew: false)
        }
        guard let row else { return nil }
        let (clock, snapshot) = try bootstrap(assignmentID, from: row, reference: reference, now: now)
        return LoadedAssignment(clock: clock, row: snapshot, timers: timers, isNew: true)
    }

    /// Stores an assignment's clock: inserts one made from the row (`isNew`), updates a loaded one.
    static func store(_ clock: AssignmentClock, isNew: Bool, on connection: PostgresConnection, now: Date) throws {
        try store(
            subject: clock.assignmentID, kind: "assignment", ticketNo: clock.ticketNo, state: json(clock), isNew: isNew,
            on: connection, now: now)
    }

    /// The assignments of a ticket the timer knows or the dispatcher made.
    static func assignmentIDs(ofTicket ticketNo: String, on connection: PostgresConnection) throws -> [String] {
        try connection.query(
            """
            SELECT subject AS id FROM sla_clocks WHERE ticket_no = $1 AND kind = 'assignment'
            UNION SELECT assignment_id AS id FROM assignments WHERE ticket_no = $1
            ORDER BY id
            """, [ticketNo]).map { try $0.decode("id", as: String.self) }
    }

    /// A clock for an assignment the timer has not seen yet, from its row and its ticket; with what the
    /// row says.
    private static func bootstrap(
        _ assignmentID: String, from row: PostgresRow, reference: ReferenceData, now: Date
    ) throws -> (AssignmentClock, AssignmentSnapshot) {
        let assignment = AssignmentRow(try row.decode("a", as: String.self))
        guard let ticketNo = assignment.string(.ticketNo), let unit = assignment.string(.unit),
              let deadlines = assignment.snapshot.deadlines,
              let kind = try row.decodeIfPresent("kind", as: String.self).flatMap(TicketKind.init(rawValue:)),
              let urgency = try row.decodeIfPresent("urgency", as: String.self).flatMap(Urgency.init(rawValue:)),
              let channel = try row.decodeIfPresent("channel", as: String.self).flatMap(Channel.init(rawValue:)),
              let acceptedAt = try row.decodeIfPresent("received_at", as: Date.self)
        else {
            throw DatabaseError(sqlState: nil, message: "assignment \(assignmentID): incomplete row for the SLA timer")
        }
        // The item's days as the ticket was routed under them (docs/operations.md "Changing reference data
        // while the platform runs").
        let category: String? = try row.decodeIfPresent("category")
        let item: CatalogueItem? = try row.decode("routed", as: Bool.self)
            ? try row.decodeIfPresent("routed_item", as: String.self).map { try HotlineJSON.decode(CatalogueItem.self, from: Data($0.utf8)) }
            : category.flatMap { reference.catalogue.item(code: $0) }
        let itemWorkingDays = item?.handlingWorkingDays(for: kind, under: reference.profile.handling)
        let snapshot = assignment.snapshot
        var clock = AssignmentClock(
            assignmentID: assignmentID, ticketNo: ticketNo, unit: unit,
            role: assignment.string(.role).flatMap(AssignmentRole.init(rawValue:)), kind: kind, urgency: urgency,
            channel: channel, acceptedAt: acceptedAt,
            itemWorkingDays: itemWorkingDays,
            dispatchedAt: assignment.date(.createdAt) ?? now, deadlines: deadlines, signedAt: snapshot.signedAt,
            profile: reference.profile)
        // The row keeps a follow-up date only while it is followed up (also while a resolution of it is reviewed).
        if let followUp = snapshot.followUpBy { clock.stageResolve(at: assignment.date(.updatedAt) ?? now, followUpBy: followUp) }
        switch snapshot.state {
        case .returnRequested:
            clock.requestReturn(at: assignment.date(.reviewStartedAt) ?? now, profile: reference.profile)
        case .resolutionSubmitted:
            clock.submitResolution(at: assignment.date(.reviewStartedAt) ?? now)
        default:
            break
        }
        clock.absorb(snapshot, now: now)
        return (clock, snapshot)
    }

    // MARK: - Dispatch clocks

    /// The ticket's dispatch clock, locked for the transaction, and the subject's stored timers, in one
    /// round trip; nil when the ticket has none.
    static func dispatch(
        _ ticketNo: String, on connection: PostgresConnection
    ) throws -> (clock: DispatchClock, timers: [TimerReconciliation.Stored])? {
        let results = try connection.queries([
            ("SELECT state::text AS state FROM sla_clocks WHERE subject = $1 AND kind = 'dispatch' FOR UPDATE", [ticketNo]),
            TimerStore.storedTimers(of: ticketNo),
        ])
        guard let text = try results[0].first?.decode("state", as: String.self) else { return nil }
        return (try decoder.decode(DispatchClock.self, from: Data(text.utf8)), try TimerStore.stored(results[1]))
    }

    /// Stores a ticket's dispatch clock: inserts a new one (`isNew`), updates a loaded one.
    static func store(_ clock: DispatchClock, isNew: Bool, on connection: PostgresConnection, now: Date) throws {
        try store(
            subject: clock.ticketNo, kind: "dispatch", ticketNo: clock.ticketNo, state: json(clock), isNew: isNew,
            on: connection, now: now)
    }

    /// Stores a new dispatch clock unless the ticket has one already (then false, nothing written).
    static func insertIfAbsent(_ clock: DispatchClock, on connection: PostgresConnection, now: Date) throws -> Bool {
        try insert(subject: clock.ticketNo, kind: "dispatch", ticketNo: clock.ticketNo, state: json(clock), on: connection, now: now)
    }

    /// A new clock is inserted; another copy that stored one after this transaction found none makes
    /// it a serialization failure, so that the transaction runs again and loads that one. A loaded
    /// clock is updated with the next statement.
    private static func store(
        subject: String, kind: String, ticketNo: String, state: JSONText, isNew: Bool, on connection: PostgresConnection,
        now: Date
    ) throws {
        guard isNew else {
            connection.write(
                "UPDATE sla_clocks SET state = $2::jsonb, updated_at = $3 WHERE subject = $1 AND kind = $4",
                [subject, state, now, kind])
            return
        }
        guard try insert(subject: subject, kind: kind, ticketNo: ticketNo, state: state, on: connection, now: now) else {
            throw DatabaseError(sqlState: "40001", message: "the clock of \(subject) was stored by another copy meanwhile")
        }
    }

    private static func insert(
        subject: String, kind: String, ticketNo: String, state: JSONText, on connection: PostgresConnection, now: Date
    ) throws -> Bool {
        try !connection.query(
            """
            INSERT INTO sla_clocks (subject, kind, ticket_no, state, created_at, updated_at)
            VALUES ($1, $2, $3, $4::jsonb, $5, $5) ON CONFLICT (subject) DO NOTHING RETURNING subject
            """, [subject, kind, ticketNo, state, now]).isEmpty
    }

    private static func json<T: Encodable>(_ value: T) throws -> JSONText {
        JSONText(data: try encoder.encode(value))
    }
}

/// Times with milliseconds, for state the platform keeps for itself.
enum PreciseTime {
    static func string(from date: Date) -> String { RFC3339.preciseString(from: date) }

    static func date(from text: String) -> Date? { RFC3339.date(from: text) }
}

/// A row of `assignments` as `to_jsonb` gives it, read leniently in one decoding pass: the dispatcher
/// owns the table and may add columns; the timer reads the ones it knows, and a value of an unexpected
/// type reads as absent.
struct AssignmentRow: Decodable {
    private var strings: [Key: String] = [:]
    private var deadlines: AssignmentDeadlines?
    private var extensionAllowed: Bool?
    private var extensions: Int?

    enum Key: String, CodingKey, CaseIterable {
        case ticketNo = "ticket_no", unit, role, state, createdAt = "created_at", updatedAt = "updated_at"
        case followUpBy = "follow_up_by", reviewStartedAt = "review_started_at", signedAt = "signed_at"
        case notifiedAt = "notified_at", feedbackAt = "feedback_at", endedAt = "ended_at", deadlines
        case extensionAllowed = "extension_allowed"
        case extensions
    }

    init(_ json: String) {
        self = (try? HotlineJSON.decode(AssignmentRow.self, from: Data(json.utf8))) ?? AssignmentRow()
    }

    private init() {}

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        for key in Key.allCases {
            switch key {
            case .deadlines: deadlines = try? c.decodeIfPresent(AssignmentDeadlines.self, forKey: key)
            case .extensionAllowed: extensionAllowed = try? c.decodeIfPresent(Bool.self, forKey: key)
            case .extensions: extensions = try? c.decodeIfPresent(Int.self, forKey: key)
            default: strings[key] = (try? c.decodeIfPresent(String.self, forKey: key)) ?? nil
            }
        }
    }

    func string(_ key: Key) -> String? { strings[key] }

    func date(_ key: Key) -> Date? { strings[key].flatMap(RFC3339.date(from:)) }

    var snapshot: AssignmentSnapshot {
        AssignmentSnapshot(
            state: string(.state).flatMap(AssignmentState.init(rawValue:)), deadlines: deadlines,
            signedAt: date(.signedAt), notifiedAt: date(.notifiedAt), feedbackAt: date(.feedbackAt), endedAt: date(.endedAt),
            followUpBy: date(.followUpBy), extensionAllowed: extensionAllowed, extensions: extensions)
    }
}
