import Foundation
import HotlineDomain
import HotlineStorage

/// The knowledge service's tables (deploy/migrations/0021_knowledge.sql): entries, their revisions,
/// the center's corrections and the consultations answered with an entry.
enum KnowledgeStore {
    /// A draft waiting for review.
    struct PendingDraft {
        var revision: Int
        var editor: String
        var kind: KnowledgeKind
        var title: String
        var effectiveFrom: Date?
        var validUntil: Date?
        var publicInterest: Bool
    }

    /// An open correction.
    struct OpenCorrection {
        var correctionID: String
        var dueAt: Date
    }

    /// An entry locked for the command's transaction, with its open correction.
    struct LockedEntry {
        var snapshot: KnowledgeEntrySnapshot
        var correction: OpenCorrection?
    }

    /// The entry, locked for this transaction, with its open correction (read after the lock, so that
    /// a flag or correction committed while this waited is seen); nil when there is none.
    static func entry(_ knowledgeID: String, on connection: PostgresConnection) throws -> LockedEntry? {
        guard let row = try connection.query(
            "SELECT knowledge_id, unit, state FROM knowledge_entries WHERE knowledge_id = $1 FOR UPDATE", [knowledgeID]).first
        else { return nil }
        let correction = try openCorrection(of: knowledgeID, on: connection)
        return LockedEntry(
            snapshot: KnowledgeEntrySnapshot(
                knowledgeID: try row.decode("knowledge_id"), unit: try row.decode("unit"),
                state: try stored(KnowledgeEntryState.self, row, "state"), openCorrection: correction?.correctionID),
            correction: correction)
    }

    /// A stored vocabulary word; a word this build does not know is an error, not a guess.
    private static func stored<Word: RawRepresentable>(
        _ type: Word.Type, _ row: PostgresRow, _ column: String
    ) throws -> Word where Word.RawValue == String {
        let text: String = try row.decode(column)
        guard let word = Word(rawValue: text) else {
            throw DatabaseError(sqlState: nil, message: "\(column) holds \(text), which this build does not know")
        }
        return word
    }

    /// Makes a new entry of `unit` (state `draft`) and returns its id.
    static func newEntry(unit: String, kind: KnowledgeKind, on connection: PostgresConnection, now: Date) throws -> String {
        let number: Int = try connection.query(
            "SELECT nextval(pg_get_serial_sequence('knowledge_entries', 'number'))::bigint AS n").first!.decode("n")
        let knowledgeID = KnowledgeNaming.knowledgeID(number: number)
        connection.write(
            """
            INSERT INTO knowledge_entries (knowledge_id, number, unit, kind, state, created_at, updated_at)
            VALUES ($1, $2, $3, $4, 'draft', $5, $5)
            """, [knowledgeID, number, unit, kind.rawValue, now])
        return knowledgeID
    }

    /// Adds a draft as the entry's next revision; a draft still waiting is superseded by it.
    static func addDraft(
        _ draft: UnitDraftKnowledge, to knowledgeID: String, commandID: String, on connection: PostgresConnection, now: Date
    ) throws -> Int {
        connection.write(
            "UPDATE knowledge_revisions SET state = 'superseded' WHERE knowledge_id = $1 AND state = 'draft'", [knowledgeID])
        let revision: Int = try connection.query(
            "SELECT coalesce(max(revision), 0) + 1 AS n FROM knowledge_revisions WHERE knowledge_id = $1",
            [knowledgeID]).first!.decode("n")
        connection.write(
            """
            INSERT INTO knowledge_revisions (knowledge_id, revision, state, kind, title, body, keywords, category,
                                             effective_from, valid_until, public_interest, editor, drafted_at,
                                             draft_command_id)
            VALUES ($1, $2, 'draft', $3, $4, $5, $6::text[], $7, $8, $9, $10, $11, $12, $13)
            """,
            [knowledgeID, revision, draft.kind.rawValue, draft.title, draft.body, draft.keywords ?? [], draft.category,
             draft.effectiveFrom, draft.validUntil, draft.publicInterest ?? false, draft.editor, now, commandID])
        return revision
    }

    /// The entry's draft waiting for review.
    static func pendingDraft(of knowledgeID: String, on connection: PostgresConnection) throws -> PendingDraft? {
        guard let row = try connection.query(
            """
            SELECT revision, editor, kind, title, effective_from, valid_until, public_interest
            FROM knowledge_revisions WHERE knowledge_id = $1 AND state = 'draft'
            """, [knowledgeID]).first
        else { return nil }
        return PendingDraft(
            revision: try row.decode("revision"), editor: try row.decode("editor"),
            kind: try stored(KnowledgeKind.self, row, "kind"), title: try row.decode("title"),
            effectiveFrom: try row.decodeIfPresent("effective_from"), validUntil: try row.decodeIfPresent("valid_until"),
            publicInterest: try row.decode("public_interest"))
    }

    /// Publishes the draft: it becomes the entry's content (in force from its `effective_from`), and the
    /// revision published before is superseded (searches still find it until then).
    static func publish(
        _ knowledgeID: String, revision: Int, kind: KnowledgeKind, effectiveFrom: Date, reviewer: String,
        note: String?, report: (timing: PolicyReportTiming, ahead: Int)?, on connection: PostgresConnection, now: Date
    ) {
        connection.write(
            "UPDATE knowledge_revisions SET state = 'superseded' WHERE knowledge_id = $1 AND state = 'published'",
            [knowledgeID])
        connection.write(
            """
            UPDATE knowledge_revisions SET state = 'published', effective_from = $3, reviewer = $4, reviewed_at = $5,
                   review_note = $6, report_timing = $7, working_days_ahead = $8
            WHERE knowledge_id = $1 AND revision = $2
            """,
            [knowledgeID, revision, effectiveFrom, reviewer, now, note, report?.timing.rawValue, report?.ahead])
        connection.write(
            """
            UPDATE knowledge_entries SET state = 'published', published_revision = $2, kind = $3, updated_at = $4,
                   withdrawn_at = NULL, withdrawn_by = NULL, withdraw_reason = NULL
            WHERE knowledge_id = $1
            """, [knowledgeID, revision, kind.rawValue, now])
    }

    /// The reviewer sent the draft back.
    static func reject(_ knowledgeID: String, revision: Int, reviewer: String, note: String?, on connection: PostgresConnection, now: Date) {
        connection.write(
            """
            UPDATE knowledge_revisions SET state = 'rejected', reviewer = $3, reviewed_at = $4, review_note = $5
            WHERE knowledge_id = $1 AND revision = $2
            """, [knowledgeID, revision, reviewer, now, note])
    }

    /// The unit withdrew the entry.
    static func withdraw(_ knowledgeID: String, reviewer: String, reason: String, on connection: PostgresConnection, now: Date) {
        connection.write(
            """
            UPDATE knowledge_entries SET state = 'withdrawn', withdrawn_at = $2, withdrawn_by = $3, withdraw_reason = $4,
                   updated_at = $2
            WHERE knowledge_id = $1
            """, [knowledgeID, now, reviewer, reason])
    }

    /// The title of the entry's revision in force.
    static func publishedTitle(of knowledgeID: String, on connection: PostgresConnection) throws -> String? {
        try connection.query(
            """
            SELECT r.title FROM knowledge_entries e
            JOIN knowledge_revisions r ON r.knowledge_id = e.knowledge_id AND r.revision = e.published_revision
            WHERE e.knowledge_id = $1
            """, [knowledgeID]).first?.decode("title")
    }

    // MARK: - Corrections

    /// Records the center's flag and returns the correction's id.
    static func flag(
        _ entry: KnowledgeEntrySnapshot, problem: String, operatorName: String?, dueAt: Date,
        on connection: PostgresConnection, now: Date
    ) throws -> String {
        let number: Int = try connection.query(
            "SELECT count(*)::bigint + 1 AS n FROM knowledge_corrections WHERE knowledge_id = $1",
            [entry.knowledgeID]).first!.decode("n")
        let correctionID = KnowledgeNaming.correctionID(knowledgeID: entry.knowledgeID, number: number)
        connection.write(
            """
            INSERT INTO knowledge_corrections (correction_id, knowledge_id, unit, problem, operator, flagged_at, due_at, state)
            VALUES ($1, $2, $3, $4, $5, $6, $7, 'open')
            """, [correctionID, entry.knowledgeID, entry.unit, problem, operatorName, now, dueAt])
        return correctionID
    }

    /// The entry's open correction.
    private static func openCorrection(of knowledgeID: String, on connection: PostgresConnection) throws -> OpenCorrection? {
        guard let row = try connection.query(
            "SELECT correction_id, due_at FROM knowledge_corrections WHERE knowledge_id = $1 AND state = 'open'",
            [knowledgeID]).first
        else { return nil }
        return OpenCorrection(correctionID: try row.decode("correction_id"), dueAt: try row.decode("due_at"))
    }

    /// Closes a correction (`corrected` by a published revision, or `withdrawn` with the entry);
    /// returns whether it was on time.
    static func close(
        _ correction: OpenCorrection, as state: KnowledgeCorrectionState, revision: Int?, on connection: PostgresConnection,
        now: Date
    ) -> Bool {
        let onTime = now <= correction.dueAt
        connection.write(
            """
            UPDATE knowledge_corrections SET state = $2, corrected_at = $3, corrected_revision = $4, on_time = $5
            WHERE correction_id = $1
            """, [correction.correctionID, state.rawValue, now, revision, onTime])
        return onTime
    }

    // MARK: - Searches and uses

    /// Published entries in force at `at` (each with its latest revision reviewed and taken effect by
    /// then, and still valid) holding at least one of the terms, most terms first (at most
    /// `candidates`); `KnowledgeSearch` ranks them.
    static func candidates(
        for search: KnowledgeSearch, filter: GatewaySearchKnowledge, at: Date, candidates: Int,
        on connection: PostgresConnection
    ) throws -> [KnowledgeDocument] {
        guard !search.terms.isEmpty else { return [] }
        let rows = try connection.query(
            """
            SELECT * FROM (
                SELECT e.knowledge_id, r.revision, e.unit, r.kind, r.title, r.body, to_json(r.keywords)::text AS keywords,
                       r.category, r.effective_from, r.valid_until,
                       (SELECT count(*) FROM unnest($1::text[]) AS t(term)
                        WHERE strpos(lower(r.title || ' ' || array_to_string(r.keywords, ' ') || ' ' || r.body), t.term) > 0
                       ) AS hits
                FROM knowledge_entries e
                JOIN LATERAL (
                    SELECT * FROM knowledge_revisions x
                    WHERE x.knowledge_id = e.knowledge_id AND x.state IN ('published', 'superseded')
                      AND x.reviewed_at <= $2 AND x.effective_from <= $2
                    ORDER BY x.revision DESC LIMIT 1) AS r ON true
                WHERE e.state = 'published' AND (r.valid_until IS NULL OR r.valid_until > $2)
                  AND ($3::text IS NULL OR r.kind = $3) AND ($4::text IS NULL OR e.unit = $4)
                  AND ($5::text IS NULL OR r.category = $5)
            ) AS found
            WHERE hits > 0 ORDER BY hits DESC, effective_from DESC LIMIT $6
            """,
            [search.terms, at, filter.kind?.rawValue, filter.unit, filter.category, candidates])
        return try rows.map { row in
            let keywords = try JSONDecoder().decode([String].self, from: Data(try row.decode("keywords", as: String.self).utf8))
            return KnowledgeDocument(
                knowledgeID: try row.decode("knowledge_id"), revision: try row.decode("revision"), unit: try row.decode("unit"),
                kind: try stored(KnowledgeKind.self, row, "kind"), title: try row.decode("title"),
                body: try row.decode("body"), keywords: keywords, category: try row.decodeIfPresent("category"),
                effectiveFrom: try row.decode("effective_from"), validUntil: try row.decodeIfPresent("valid_until"))
        }
    }

    /// Records that a consultation was answered on the call with an entry: the revision published at
    /// the answer's time, and whether it was in force then and the entry not withdrawn (once per
    /// ticket; events tell time to the second, so what happened within the answer's second counts).
    static func recordUse(ticketNo: String, knowledgeID: String, answeredAt: Date, on connection: PostgresConnection) {
        connection.write(
            """
            INSERT INTO knowledge_uses (ticket_no, knowledge_id, revision, unit, in_force, answered_at)
            SELECT $1, $2, r.revision, e.unit,
                   coalesce(date_trunc('second', r.effective_from) <= $3 AND (r.valid_until IS NULL OR r.valid_until > $3)
                            AND (e.withdrawn_at IS NULL OR date_trunc('second', e.withdrawn_at) > $3), false),
                   $3
            FROM (SELECT 1) AS one
            LEFT JOIN knowledge_entries e ON e.knowledge_id = $2
            LEFT JOIN LATERAL (
                SELECT revision, effective_from, valid_until FROM knowledge_revisions
                WHERE knowledge_id = e.knowledge_id AND state IN ('published', 'superseded') AND reviewed_at IS NOT NULL
                  AND date_trunc('second', reviewed_at) <= $3
                ORDER BY revision DESC LIMIT 1) AS r ON true
            ON CONFLICT (ticket_no) DO NOTHING
            """, [ticketNo, knowledgeID, answeredAt])
    }
}
