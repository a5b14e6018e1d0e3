import Foundation
import HotlineDomain
import HotlineRuntime
import Hummingbird

/// The dashboard (docs/console.md "Dashboard"): for a period and optionally a unit, the 三率 and
/// the on-time rates with their numerators and denominators, the daily trend, the units ranked,
/// the overdue assignments by escalation tier, the hotspots and early warnings, and the cards.
/// Charts are SVG drawn on the server (`TrendChart`, `BarChart`).
extension ConsoleServer {
    struct DashboardPage: Sendable {
        let chrome: Chrome
        let from: String
        let to: String
        let units: [Option]
        let scope: String
        let rates: [RateView]
        let trend: String
        let volume: String
        let ranking: String
        let rankingRows: [RankingRow]
        let tiers: [TierView]
        let categories: [CountView]
        let communities: [CountView]
        let alerts: [AlertView]
        let noAlerts: Bool
        let cards: [CardView]
        let noCards: Bool
    }

    struct RateView: Sendable {
        let title: String
        let value: String
        let numerator: Int
        let denominator: Int
    }

    struct RankingRow: Sendable {
        let rank: Int
        let unit: String
        let response: String
        let resolution: String
        let satisfaction: String
        let onTime: String
    }

    struct TierView: Sendable {
        let title: String
        let count: Int
    }

    struct CountView: Sendable {
        let name: String
        let count: Int
    }

    struct AlertView: Sendable {
        let kind: String
        let what: String
        let count: String
        let raisedAt: String
    }

    struct CardView: Sendable {
        let unit: String
        let quarter: String
        let red: Bool
        let color: String
        let overdue: Int
        let shirked: Int
    }

    /// The rates the dashboard shows, in its order, with their names.
    static let rateTitles: [(ReportRateKind, String)] = [
        (.responseRate, "响应率"), (.resolutionRate, "解决率"), (.satisfactionRate, "满意率"),
        (.onTimeCompletionRate, "按时办结率"), (.dispatchOnTimeRate, "按时派单率"), (.notifyOnTimeRate, "按时告知率"),
    ]

    func addDashboard(to router: Hummingbird.Router<ConsoleContext>) {
        router.get("/dashboard") { request, context in
            await page(context, needs: .readDashboard) { visitor in
                let form = Form(query: request)
                let reference = try await reference()
                let calendar = reference.calendar
                let today = calendar.localDate(of: now)
                guard let to = form["to"].map({ CalendarDate($0) }) ?? today else { throw ConsoleFailure("结束日期格式应为 YYYY-MM-DD") }
                guard let from = form["from"].map({ CalendarDate($0) }) ?? to.adding(days: -29) else {
                    throw ConsoleFailure("开始日期格式应为 YYYY-MM-DD")
                }
                guard from <= to, from.days(to: to) < DashboardFigures.maximumDays else {
                    throw ConsoleFailure("统计区间须为1至\(DashboardFigures.maximumDays)天，开始日期不晚于结束日期")
                }
                let directory = Directory(reference: reference)
                let unit = form["unit"]
                let figures = try await DashboardFigures.load(from: from, to: to, unit: unit, now: now, database: runtime.database)
                return pages.render("dashboard", dashboard(figures, from: from, to: to, unit: unit, directory: directory, visitor: visitor))
            }
        }
    }

    private func dashboard(
        _ figures: DashboardFigures, from: CalendarDate, to: CalendarDate, unit: String?, directory: Directory, visitor: Visitor
    ) -> DashboardPage {
        let calendar = directory.reference.calendar
        /// The unit's figures of a period, or the district's.
        func scoped(_ period: ReportPeriodFigures) -> ReportFigures { unit.map { period.units[$0] ?? ReportFigures(centerWide: false) } ?? period.total }
        let wholeRange = figures.whole
        let whole = scoped(wholeRange)
        let kinds = Self.rateTitles.filter { whole.applicableRates.contains($0.0) }
        let rates = kinds.map { kind, title in
            let rate = whole.rate(kind)
            return RateView(
                title: title, value: rate.rate.map { String(format: "%.1f%%", $0 * 100) } ?? "—", numerator: rate.numerator,
                denominator: rate.denominator)
        }
        let days = figures.daily.periods.map(\.period.key)
        let trendKinds = Self.rateTitles.prefix(4)  // the 三率 and on-time resolution
        let trend = TrendChart(
            title: "每日三率及按时办结率", days: days,
            series: trendKinds.map { kind, title in .init(name: title, values: figures.daily.periods.map { scoped($0).rate(kind).rate }) },
            valueFormat: .percent, width: 660, height: 240)
        let volumeCount: ReportCount = unit == nil ? .received : .assignments
        let volume = TrendChart(
            title: unit == nil ? "每日来件量" : "每日派单量", days: days,
            series: [.init(name: unit == nil ? "来件" : "派单", values: figures.daily.periods.map { Double(scoped($0)[volumeCount]) })],
            valueFormat: .count, width: 660, height: 200)
        let ranked = wholeRange.units.map { (code: $0.key, figures: $0.value) }
            .sorted { left, right in
                let a = left.figures.rate(.onTimeCompletionRate).rate ?? -1
                let b = right.figures.rate(.onTimeCompletionRate).rate ?? -1
                return a != b ? a > b : left.code < right.code
            }
        func percent(_ rate: ReportRate) -> String { rate.rate.map { String(format: "%.1f%%（%d/%d）", $0 * 100, rate.numerator, rate.denominator) } ?? "—" }
        let ranking = BarChart(
            title: "各单位按时办结率排名",
            bars: ranked.prefix(30).map { entry in
                let rate = entry.figures.rate(.onTimeCompletionRate)
                return .init(label: directory.unitName(entry.code), value: rate.rate, note: "\(rate.numerator)/\(rate.denominator)")
            }, valueFormat: .percent, width: 660)
        let hotspots = figures.daily.hotspots
        return DashboardPage(
            chrome: chrome(visitor, current: "/dashboard"), from: from.description, to: to.description,
            units: directory.units.map { Option(value: $0.code, title: $0.name, selected: $0.code == unit) },
            scope: unit.map(directory.unitName) ?? "全区", rates: rates, trend: trend.svg, volume: volume.svg, ranking: ranking.svg,
            rankingRows: ranked.enumerated().map { index, entry in
                RankingRow(
                    rank: index + 1, unit: directory.unitName(entry.code), response: percent(entry.figures.rate(.responseRate)),
                    resolution: percent(entry.figures.rate(.resolutionRate)), satisfaction: percent(entry.figures.rate(.satisfactionRate)),
                    onTime: percent(entry.figures.rate(.onTimeCompletionRate)))
            },
            tiers: (1...3).map { TierView(title: "第\($0)级", count: figures.overdueByTier[$0] ?? 0) },
            categories: hotspots.categories.map { CountView(name: $0.name ?? directory.categoryName($0.category), count: $0.tickets) },
            communities: hotspots.communities.map { CountView(name: "\($0.street) \($0.community)", count: $0.tickets) },
            alerts: figures.alerts.map { alert in
                AlertView(
                    kind: Wording.word(alert.kind, in: Wording.alertKinds),
                    what: [alert.category.map(directory.categoryName), alert.street, alert.community].compactMap { $0 }.joined(separator: " "),
                    count: alert.count.map(String.init) ?? "—", raisedAt: Wording.time(alert.raisedAt, in: calendar))
            },
            noAlerts: figures.alerts.isEmpty,
            cards: figures.cards.map { card in
                CardView(
                    unit: directory.unitName(card.unit), quarter: card.quarter, red: card.color == "red",
                    color: card.color == "red" ? "红牌" : "黄牌", overdue: card.overdue, shirked: card.shirked)
            },
            noCards: figures.cards.isEmpty)
    }
}
