import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// What the dashboard shows for a period and, optionally, one unit (docs/console.md "Dashboard"):
/// the report's figures per day and for the whole period (`ReportQuery` by day, as `hotlinectl
/// report` computes them, and `HotlineReport.wholeRange`), the live assignments overdue by
/// escalation tier, the period's early warnings and the cards of its quarters.
struct DashboardFigures: Sendable {
    let daily: HotlineReport
    var whole: ReportPeriodFigures { daily.wholeRange }
    /// Live assignments by the highest escalation tier they reached (1…3).
    let overdueByTier: [Int: Int]
    let alerts: [Alert]
    let cards: [Card]

    struct Alert: Sendable {
        let kind: String
        let category: String?
        let street: String?
        let community: String?
        let count: Int?
        let raisedAt: Date
    }

    struct Card: Sendable {
        let unit: String
        let quarter: String
        let color: String
        let overdue: Int
        let shirked: Int
    }

    /// The longest period the dashboard draws day by day.
    static let maximumDays = 366

    static func load(from: CalendarDate, to: CalendarDate, unit: String?, now: Date, database: Database) async throws -> DashboardFigures {
        let daily = ReportQuery(from: from, to: to, grouping: .day, unit: unit, top: 10, asOf: now)
        let start = ReportQuery.start(of: from)
        let end = ReportQuery.start(of: to.adding(days: 1))
        return try await database.withConnection { connection in
            let dailyReport = try daily.run(on: connection)
            var tiers: [Int: Int] = [:]
            for row in try connection.query(
                """
                SELECT tier, count(*) AS n FROM (
                    SELECT max(e.tier) AS tier FROM escalations e JOIN assignments a USING (assignment_id)
                    WHERE a.state IN ('pending', 'signed', 'return_requested', 'resolution_submitted', 'stage_resolved')
                      AND ($1::text IS NULL OR a.unit = $1)
                    GROUP BY e.assignment_id) t
                GROUP BY tier
                """, [unit])
            {
                tiers[try row.decode("tier")] = try row.decode("n")
            }
            let alerts = try connection.query(
                """
                SELECT alert_kind, category, street, community, count, raised_at FROM alerts
                WHERE raised_at >= $1 AND raised_at < $2 AND ($3::text IS NULL OR $3 = ANY(units))
                ORDER BY raised_at DESC LIMIT 20
                """, [start, end, unit]
            ).map { row in
                Alert(
                    kind: try row.decode("alert_kind"), category: try row.decodeIfPresent("category"),
                    street: try row.decodeIfPresent("street"), community: try row.decodeIfPresent("community"),
                    count: try row.decodeIfPresent("count"), raisedAt: try row.decode("raised_at"))
            }
            let quarters = [Quarter(containing: from).description, Quarter(containing: to).description]
            let cards = try connection.query(
                """
                SELECT unit, quarter, color, overdue, shirked FROM cards
                WHERE quarter >= $1 AND quarter <= $2 AND ($3::text IS NULL OR unit = $3) ORDER BY quarter DESC, color, unit
                """, [quarters.first, quarters.last, unit]
            ).map { row in
                Card(
                    unit: try row.decode("unit"), quarter: try row.decode("quarter"), color: try row.decode("color"),
                    overdue: try row.decode("overdue"), shirked: try row.decode("shirked"))
            }
            return DashboardFigures(daily: dailyReport, overdueByTier: tiers, alerts: alerts, cards: cards)
        }
    }
}
