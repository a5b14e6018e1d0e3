import Foundation
import HotlineDomain
import HotlineStorage

/// The report's SQL over the system of record. Every query reads one range of one indexed time
/// column (`deploy/migrations/0008_reports.sql`) and groups by period (and unit) in the database.
public struct ReportQuery: Sendable {
    public let from: CalendarDate
    public let to: CalendarDate
    public let grouping: ReportGrouping?
    public let unit: String?
    public let top: Int
    public let asOf: Date

    public init(from: CalendarDate, to: CalendarDate, grouping: ReportGrouping?, unit: String?, top: Int, asOf: Date) {
        self.from = from
        self.to = to
        self.grouping = grouping
        self.unit = unit
        self.top = top
        self.asOf = asOf
    }

    static let timeZone = TimeZone(identifier: "Asia/Shanghai")!

    /// The instant local midnight of `date` begins in Asia/Shanghai.
    public static func start(of date: CalendarDate) -> Date {
        var components = DateComponents()
        components.year = date.year
        components.month = date.month
        components.day = date.day
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: components)!
    }

    /// The period of a time column: `date_trunc` in local time, or the range's first date when the
    /// report has one period.
    static func period(_ column: String) -> String {
        "(CASE WHEN $3::text = 'all' THEN $4::date ELSE date_trunc($3::text, (\(column)) AT TIME ZONE 'Asia/Shanghai')::date END)"
    }

    var parameters: [any PostgresEncodable] {
        [Self.start(of: from), Self.start(of: to.adding(days: 1)), grouping?.rawValue ?? "all", from.description, asOf]
    }

    public func run(on connection: PostgresConnection) throws -> HotlineReport {
        var report = HotlineReport(from: from, to: to, grouping: grouping, unit: unit, asOf: asOf)
        let parameters = self.parameters

        func record(_ rows: [PostgresRow], _ counts: [ReportCount], perUnit: Bool) throws {
            for row in rows {
                guard let key = CalendarDate(try row.decode("period", as: String.self)) else { continue }
                let isTotal = perUnit ? try row.decode("is_total", as: Int.self) == 1 : true
                let unit: String? = isTotal ? nil : try row.decodeIfPresent("unit")
                if !isTotal && unit == nil { continue }
                for count in counts {
                    report.record(period: key, unit: unit, count: count, value: try row.decode(count.rawValue, as: Int.self))
                    if let unit, Self.appealableCounts.contains(count) {
                        report.recordAppealed(
                            period: key, unit: unit, count: count, value: try row.decode("\(count.rawValue)_appealed", as: Int.self))
                    }
                }
            }
        }

        // Intake, by the time the demand was received.
        try record(connection.query(Self.intakeSQL, parameters),
                   [.received, .accepted, .notAccepted, .answeredOnCall, .merged, .split], perUnit: false)
        for row in try connection.query(Self.reasonsSQL, parameters) {
            guard let key = CalendarDate(try row.decode("period", as: String.self)) else { continue }
            report.recordNotAccepted(period: key, reason: try row.decode("reason"), value: try row.decode("n", as: Int.self))
        }
        // Dispatch, per ticket by its first assignment.
        try record(connection.query(Self.dispatchSQL, parameters), [.ticketsDispatched, .dispatchedOnTime], perUnit: false)
        // Assignments, by the time they were dispatched, as of now.
        try record(connection.query(Self.assignmentSQL, parameters), [
            .assignments, .signDue, .signed, .signedOnTime, .autoSigned, .notifyDue, .notifiedOnTime, .resolveDue,
            .resolved, .resolvedOnTime, .overdue, .overdueTier1, .overdueTier2, .overdueTier3, .stageResolved,
        ], perUnit: true)
        try record(connection.query(Self.reopenSQL, parameters), [.reopened], perUnit: true)
        try record(connection.query(Self.returnSQL, parameters),
                   [.returnsRequested, .returnsApproved, .returnsDenied, .returnsLate], perUnit: true)
        try record(connection.query(Self.extensionSQL, parameters),
                   [.extensionsRequested, .extensionsApproved, .extensionsDenied], perUnit: true)
        if try Self.tableExists("surveys", on: connection) {
            // The survey service's table names the handled ticket (for a merged citizen's survey) in
            // `handled_no`; the shared shape has only `ticket_no`.
            let handled = try Self.columnExists("surveys", "handled_no", on: connection)
                ? "coalesce(s.handled_no, s.ticket_no)" : "s.ticket_no"
            try record(connection.query(Self.surveySQL.replacingOccurrences(of: "HANDLED_TICKET", with: handled), parameters), [
                .surveysSent, .surveysAnswered, .satisfactionCounted, .satisfied, .solvedAsked, .solved,
            ], perUnit: true)
        }
        if try Self.tableExists("knowledge_entries", on: connection) {
            try record(connection.query(Self.knowledgeSQL, parameters), [
                .knowledgePublished, .policyReports, .policyReportsOnTime, .correctionsFlagged, .correctionsDue,
                .correctionsOnTime, .knowledgeUses,
            ], perUnit: true)
        }
        for row in try connection.query(Self.awardsSQL, parameters) {
            guard let key = CalendarDate(try row.decode("period", as: String.self)) else { continue }
            report.recordAwards(period: key, unit: try row.decode("unit"), kind: try row.decode("kind"), value: try row.decode("n", as: Int.self))
        }
        report.hotspots = try hotspots(on: connection)
        return report
    }

    static func tableExists(_ name: String, on connection: PostgresConnection) throws -> Bool {
        try connection.query("SELECT to_regclass($1) IS NOT NULL AS found", ["public.\(name)"]).first?
            .decode("found", as: Bool.self) ?? false
    }

    static func columnExists(_ table: String, _ column: String, on connection: PostgresConnection) throws -> Bool {
        try !connection.query(
            "SELECT 1 AS found FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name = $2",
            [table, column]).isEmpty
    }

    func hotspots(on connection: PostgresConnection) throws -> ReportHotspots {
        let range: [any PostgresEncodable] = [Self.start(of: from), Self.start(of: to.adding(days: 1)), top]
        var hotspots = ReportHotspots()
        for row in try connection.query(Self.topCategoriesSQL, range) {
            hotspots.categories.append(.init(
                category: try row.decode("category"), name: try row.decodeIfPresent("name"), tickets: try row.decode("n")))
        }
        for row in try connection.query(Self.topCommunitiesSQL, range) {
            hotspots.communities.append(.init(
                street: try row.decode("street"), community: try row.decode("community"), tickets: try row.decode("n")))
        }
        for row in try connection.query(Self.recurringSQL, range) {
            hotspots.recurring.append(.init(
                category: try row.decode("category"), street: try row.decode("street"),
                community: try row.decode("community"), address: try row.decode("address"), tickets: try row.decode("n")))
        }
        return hotspots
    }

    // MARK: SQL ($1 from, $2 to exclusive, $3 grouping or 'all', $4 first date, $5 as of)

    /// The indicators in which a unit's upheld appeals (`assessment_appeals`) take a ticket out, as the
    /// array `indicators`.
    static func upheldAppealsSQL(_ unit: String, _ ticketNo: String) -> String {
        """
        SELECT array_agg(ap.indicator) AS indicators FROM assessment_appeals ap
        WHERE ap.unit = \(unit) AND ap.ticket_no = \(ticketNo) AND ap.state = 'upheld'
        """
    }

    /// Each count a rate counted per ticket is made of, from its condition: the column `<count>`, and
    /// `<count>_appealed`, the items of it that an upheld appeal in that rate takes out (`appealed`
    /// holds the row's appealed indicators).
    static func appealableColumns(_ counts: [(ReportCount, String)]) -> String {
        counts.map { count, condition in
            let rate = ReportRateKind.allCases.first { $0.isCountedPerTicket && [$0.numerator, $0.denominator].contains(count) }!
            return """
                count(*) FILTER (WHERE \(condition)) AS \(count.rawValue),
                count(*) FILTER (WHERE '\(rate.rawValue)' = ANY(appealed) AND (\(condition))) AS \(count.rawValue)_appealed
                """
        }.joined(separator: ",\n")
    }

    /// The counts that upheld appeals change, each in a `<count>_appealed` column.
    static let appealableCounts: [ReportCount] = ReportRateKind.allCases.filter(\.isCountedPerTicket)
        .flatMap { [$0.numerator, $0.denominator] }

    /// received = every submission made into a ticket (split children are not counted again);
    /// accepted = new tickets handled (accepted, or split into children); the others are their own counts.
    static let intakeSQL = """
        SELECT \(period("d.received_at"))::text AS period,
               count(*) FILTER (WHERE d.outcome <> 'child') AS received,
               count(*) FILTER (WHERE d.outcome IN ('accepted', 'split')) AS accepted,
               count(*) FILTER (WHERE d.outcome = 'rejected') AS not_accepted,
               count(*) FILTER (WHERE d.outcome = 'answered') AS answered_on_call,
               count(*) FILTER (WHERE d.outcome = 'merged') AS merged,
               count(*) FILTER (WHERE d.outcome = 'split') AS split
        FROM intake_demands d
        WHERE d.received_at >= $1 AND d.received_at < $2 AND $5::timestamptz IS NOT NULL
        GROUP BY 1
        """

    static let reasonsSQL = """
        SELECT \(period("d.received_at"))::text AS period, coalesce(t.rejection->>'reason', 'other') AS reason,
               count(*) AS n
        FROM intake_demands d JOIN tickets t ON t.ticket_no = d.ticket_no
        WHERE d.received_at >= $1 AND d.received_at < $2 AND d.outcome = 'rejected' AND $5::timestamptz IS NOT NULL
        GROUP BY 1, 2
        """

    /// A ticket counts in the period of its first assignment; on time when that assignment was made
    /// by the ticket's dispatch deadline (`dispatch_by`, planned from acceptance and urgency).
    static let dispatchSQL = """
        WITH first AS (
            SELECT a.ticket_no, min(a.created_at) AS created_at, min(a.deadlines->>'dispatch_by') AS dispatch_by
            FROM assignments a
            WHERE a.created_at >= $1 AND a.created_at < $2
            GROUP BY a.ticket_no
        )
        SELECT \(period("f.created_at"))::text AS period, count(*) AS tickets_dispatched,
               count(*) FILTER (WHERE f.dispatch_by IS NULL OR f.created_at <= f.dispatch_by::timestamptz) AS dispatched_on_time
        FROM first f
        WHERE NOT EXISTS (SELECT 1 FROM assignments e WHERE e.ticket_no = f.ticket_no AND e.created_at < $1)
          AND $5::timestamptz IS NOT NULL
        GROUP BY 1
        """

    /// Per assignment dispatched in the period, as of $5: signed on time by the unit itself (not
    /// automatically), notified by `notify_by`, resolved (an approved final resolution, submitted
    /// by `resolve_by`: review time is not the unit's), overdue when resolved late or still open
    /// past `resolve_by` (a cancelled or returned assignment is nobody's overdue), with the tier by
    /// days overdue (docs/contract.md "Deadline arithmetic": up to 3 → 1, over 3 and under 7 → 2, 7 or more → 3).
    static let assignmentSQL = """
        WITH a AS MATERIALIZED (
            SELECT \(period("a.created_at")) AS period, a.unit, a.state, a.signed_at, a.auto_signed, a.notified_at,
                   (a.deadlines->>'sign_by')::timestamptz AS sign_by,
                   (a.deadlines->>'notify_by')::timestamptz AS notify_by,
                   (a.deadlines->>'resolve_by')::timestamptz AS resolve_by,
                   r.resolved_at, coalesce(r.stage_resolved, false) AS stage_resolved,
                   coalesce(p.indicators, '{}') AS appealed
            FROM assignments a
            LEFT JOIN LATERAL (
                SELECT min(x.submitted_at) FILTER (WHERE x.kind = 'final') AS resolved_at,
                       bool_or(x.kind = 'stage') AS stage_resolved
                FROM resolutions x WHERE x.assignment_id = a.assignment_id AND x.approved) r ON true
            LEFT JOIN LATERAL (\(upheldAppealsSQL("a.unit", "a.ticket_no"))) p ON true
            WHERE a.created_at >= $1 AND a.created_at < $2
        ), b AS (
            SELECT *, (resolved_at IS NOT NULL OR state NOT IN ('cancelled', 'returned')) AS handled,
                   coalesce(resolved_at, $5::timestamptz) - resolve_by AS late_by
            FROM a
        )
        SELECT period::text AS period, unit, GROUPING(unit) AS is_total,
               count(*) AS assignments,
               count(*) FILTER (WHERE signed_at IS NOT NULL) AS signed,
               count(*) FILTER (WHERE auto_signed) AS auto_signed,
               count(*) FILTER (WHERE resolved_at IS NOT NULL) AS resolved,
               count(*) FILTER (WHERE handled AND late_by > interval '0') AS overdue,
               count(*) FILTER (WHERE handled AND late_by > interval '0' AND late_by <= interval '3 days') AS overdue_tier_1,
               count(*) FILTER (WHERE handled AND late_by > interval '3 days' AND late_by < interval '7 days') AS overdue_tier_2,
               count(*) FILTER (WHERE handled AND late_by >= interval '7 days') AS overdue_tier_3,
               count(*) FILTER (WHERE stage_resolved) AS stage_resolved,
               \(appealableColumns([
                   (.signDue, "signed_at IS NOT NULL OR state NOT IN ('cancelled', 'returned')"),
                   (.signedOnTime, "signed_at IS NOT NULL AND NOT auto_signed AND signed_at <= sign_by"),
                   (.notifyDue, "signed_at IS NOT NULL AND notify_by IS NOT NULL"),
                   (.notifiedOnTime, "notified_at IS NOT NULL AND notified_at <= notify_by"),
                   (.resolveDue, "resolved_at IS NOT NULL OR (handled AND resolve_by < $5::timestamptz)"),
                   (.resolvedOnTime, "resolved_at IS NOT NULL AND resolved_at <= resolve_by"),
               ]))
        FROM b
        GROUP BY GROUPING SETS ((period, unit), (period))
        """

    /// Reopened (重办) assignments, by the time of the reopening.
    static let reopenSQL = """
        SELECT period::text AS period, unit, GROUPING(unit) AS is_total, count(*) AS reopened
        FROM (SELECT \(period("h.at")) AS period, a.unit
              FROM ticket_history h JOIN assignments a ON a.assignment_id = h.detail->>'assignment_id'
              WHERE h.action = 'reopened' AND h.at >= $1 AND h.at < $2 AND $5::timestamptz IS NOT NULL) x
        GROUP BY GROUPING SETS ((period, unit), (period))
        """

    static let returnSQL = """
        SELECT period::text AS period, unit, GROUPING(unit) AS is_total,
               count(*) AS returns_requested,
               count(*) FILTER (WHERE approved) AS returns_approved,
               count(*) FILTER (WHERE approved = false) AS returns_denied,
               count(*) FILTER (WHERE late OR overdue_return) AS returns_late
        FROM (SELECT \(period("r.requested_at")) AS period, a.unit, r.approved, r.late, a.overdue_return
              FROM return_requests r JOIN assignments a ON a.assignment_id = r.assignment_id
              WHERE r.requested_at >= $1 AND r.requested_at < $2 AND $5::timestamptz IS NOT NULL) x
        GROUP BY GROUPING SETS ((period, unit), (period))
        """

    /// The knowledge base's maintenance: revisions published and public-interest policies reported, by
    /// the review; corrections, by the flag (due: made, or past the deadline as of the report); entries
    /// in force used to answer calls, by the answer.
    static let knowledgeSQL = """
        SELECT period::text AS period, unit, GROUPING(unit) AS is_total,
               count(*) FILTER (WHERE what = 'published') AS knowledge_published,
               count(*) FILTER (WHERE what = 'published' AND timing IS NOT NULL) AS policy_reports,
               count(*) FILTER (WHERE what = 'published' AND timing = 'on_time') AS policy_reports_on_time,
               count(*) FILTER (WHERE what = 'flagged') AS corrections_flagged,
               count(*) FILTER (WHERE what = 'flagged' AND due) AS corrections_due,
               count(*) FILTER (WHERE what = 'flagged' AND on_time) AS corrections_on_time,
               count(*) FILTER (WHERE what = 'used') AS knowledge_uses
        FROM (SELECT \(period("r.reviewed_at")) AS period, e.unit, 'published' AS what, r.report_timing AS timing,
                     false AS due, false AS on_time
              FROM knowledge_revisions r JOIN knowledge_entries e ON e.knowledge_id = r.knowledge_id
              WHERE r.state IN ('published', 'superseded') AND r.reviewed_at >= $1 AND r.reviewed_at < $2
              UNION ALL
              SELECT \(period("c.flagged_at")), c.unit, 'flagged', NULL, c.state <> 'open' OR c.due_at < $5::timestamptz,
                     coalesce(c.on_time, false)
              FROM knowledge_corrections c WHERE c.flagged_at >= $1 AND c.flagged_at < $2
              UNION ALL
              SELECT \(period("u.answered_at")), u.unit, 'used', NULL, false, false
              FROM knowledge_uses u WHERE u.in_force AND u.answered_at >= $1 AND u.answered_at < $2) x
        GROUP BY GROUPING SETS ((period, unit), (period))
        """

    /// The center's awards (`assessment_awards`), by the time awarded.
    static let awardsSQL = """
        SELECT \(period("w.awarded_at"))::text AS period, w.unit, w.kind, count(*)::int AS n
        FROM assessment_awards w
        WHERE w.awarded_at >= $1 AND w.awarded_at < $2 AND $5::timestamptz IS NOT NULL
        GROUP BY 1, 2, 3
        """

    static let extensionSQL = """
        SELECT period::text AS period, unit, GROUPING(unit) AS is_total,
               count(*) AS extensions_requested,
               count(*) FILTER (WHERE state = '\(ExtensionRequestState.approved.rawValue)') AS extensions_approved,
               count(*) FILTER (WHERE state = '\(ExtensionRequestState.denied.rawValue)') AS extensions_denied
        FROM (SELECT \(period("e.requested_at")) AS period, e.unit, e.state
              FROM sla_extension_requests e
              WHERE e.requested_at >= $1 AND e.requested_at < $2 AND $5::timestamptz IS NOT NULL) x
        GROUP BY GROUPING SETS ((period, unit), (period))
        """

    /// Surveys by the time they were sent; a survey counts for every unit that handled the ticket
    /// (HANDLED_TICKET: the ticket whose handling is rated; not cancelled or returned assignments)
    /// and once in the total. Satisfaction counts only answered surveys
    /// that count (`counted`: not mediation or law enforcement) and were not excluded (核减).
    static let surveySQL = """
        WITH s AS MATERIALIZED (
            SELECT \(period("s.sent_at")) AS period, HANDLED_TICKET AS handled, s.status, s.counted, s.excluded,
                   s.satisfied, s.solved
            FROM surveys s
            WHERE s.sent_at >= $1 AND s.sent_at < $2 AND $5::timestamptz IS NOT NULL
        ), x AS (
            SELECT period, NULL::text AS unit, 1 AS is_total, status, counted, excluded, satisfied, solved,
                   '{}'::text[] AS appealed FROM s
            UNION ALL
            SELECT s.period, u.unit, 0, s.status, s.counted, s.excluded, s.satisfied, s.solved,
                   coalesce(p.indicators, '{}')
            FROM s JOIN LATERAL (SELECT DISTINCT a.unit FROM assignments a
                                 WHERE a.ticket_no = s.handled AND a.state NOT IN ('cancelled', 'returned')) u ON true
            LEFT JOIN LATERAL (\(upheldAppealsSQL("u.unit", "s.handled"))) p ON true
        )
        SELECT period::text AS period, unit, is_total,
               count(*) AS surveys_sent,
               count(*) FILTER (WHERE status = 'answered') AS surveys_answered,
               \(appealableColumns([
                   (.satisfactionCounted, "status = 'answered' AND counted AND NOT excluded AND satisfied IS NOT NULL"),
                   (.satisfied, "status = 'answered' AND counted AND NOT excluded AND satisfied"),
                   (.solvedAsked, "status = 'answered' AND solved IS NOT NULL"),
                   (.solved, "status = 'answered' AND solved"),
               ]))
        FROM x
        GROUP BY period, unit, is_total
        """

    // MARK: Hotspots ($1 from, $2 to exclusive, $3 how many)

    /// Demands being handled (accepted tickets, split children, merged ones) by category.
    static let topCategoriesSQL = """
        SELECT d.category, min(c.name) AS name, count(*) AS n
        FROM intake_demands d
        LEFT JOIN (SELECT item->>'code' AS code, item->>'name' AS name
                   FROM jurisdiction j, jsonb_array_elements(j.document->'catalogue') item) c ON c.code = d.category
        WHERE d.received_at >= $1 AND d.received_at < $2 AND d.category IS NOT NULL
          AND d.outcome IN ('accepted', 'child', 'merged')
        GROUP BY d.category ORDER BY n DESC, d.category LIMIT $3
        """

    static let topCommunitiesSQL = """
        SELECT d.street, d.community, count(*) AS n
        FROM intake_demands d
        WHERE d.received_at >= $1 AND d.received_at < $2 AND d.street IS NOT NULL AND d.community IS NOT NULL
          AND d.outcome IN ('accepted', 'child', 'merged')
        GROUP BY d.street, d.community ORDER BY n DESC, d.street, d.community LIMIT $3
        """

    /// 回潮: the same category at the same house address raised as a new ticket (not merged: the
    /// earlier one was no longer open) two or more times in the range.
    static let recurringSQL = """
        SELECT d.category, d.street, d.community, d.address_norm AS address, count(*) AS n
        FROM intake_demands d
        WHERE d.received_at >= $1 AND d.received_at < $2 AND d.category IS NOT NULL AND d.street IS NOT NULL
          AND d.community IS NOT NULL AND d.address_norm IS NOT NULL AND d.address_norm <> ''
          AND d.outcome IN ('accepted', 'child')
        GROUP BY d.category, d.street, d.community, d.address_norm
        HAVING count(*) >= 2
        ORDER BY n DESC, d.category, d.street, d.community LIMIT $3
        """
}
