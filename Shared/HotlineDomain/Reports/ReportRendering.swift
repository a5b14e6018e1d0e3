import Foundation

/// The two faces of one `HotlineReport`: JSON for programs and a table for people, from the same
/// numbers.
extension HotlineReport {
    /// The JSON object (documented in docs/operations.md):
    /// `{from, to, by, unit, as_of, periods: [{period, from, to, total: FIGURES, units: {CODE: FIGURES}}],
    ///   hotspots: {categories, communities, recurring}}` where FIGURES is
    /// `{counts: {name: n}, rates: {name: {numerator, denominator, rate}}, not_accepted_by_reason: {reason: n}}`.
    public var jsonValue: JSONValue {
        func figures(_ figures: ReportFigures) -> JSONValue {
            var counts: [String: JSONValue] = [:]
            for count in figures.applicableCounts { counts[count.rawValue] = .integer(figures[count]) }
            var rates: [String: JSONValue] = [:]
            for kind in figures.applicableRates {
                let rate = figures.rate(kind)
                rates[kind.rawValue] = [
                    "numerator": .integer(rate.numerator), "denominator": .integer(rate.denominator),
                    "rate": rate.rate.map(JSONValue.number) ?? .null,
                ]
            }
            var object: [String: JSONValue] = ["counts": .object(counts), "rates": .object(rates)]
            if figures.centerWide { object["not_accepted_by_reason"] = .object(figures.notAcceptedByReason.mapValues { .integer($0) }) }
            return .object(object)
        }
        return [
            "from": .string(from.description), "to": .string(to.description),
            "by": grouping.map { .string($0.rawValue) } ?? .null, "unit": .optional(unit),
            "as_of": .string(RFC3339.string(from: asOf)),
            "periods": .array(periods.map { period in
                var object: [String: JSONValue] = [
                    "period": .string(period.period.label), "from": .string(period.period.from.description),
                    "to": .string(period.period.to.description), "total": figures(period.total),
                    "units": .object(period.units.mapValues(figures)),
                ]
                if let assessment {
                    object["assessment"] = [
                        "profile": .string(assessment.profile),
                        "units": .array(assessment.rules.assess(period.units).map(\.jsonValue)),
                    ]
                }
                return .object(object)
            }),
            "hotspots": [
                "categories": .array(hotspots.categories.map {
                    ["category": .string($0.category), "name": .optional($0.name), "tickets": .integer($0.tickets)]
                }),
                "communities": .array(hotspots.communities.map {
                    ["street": .string($0.street), "community": .string($0.community), "tickets": .integer($0.tickets)]
                }),
                "recurring": .array(hotspots.recurring.map {
                    [
                        "category": .string($0.category), "street": .string($0.street), "community": .string($0.community),
                        "address": .string($0.address), "tickets": .integer($0.tickets),
                    ]
                }),
            ],
        ]
    }

    public func json() throws -> String { try HotlineJSON.pretty(jsonValue) }

    /// The table: per period, one row per count and rate, a column for the center's total and one per
    /// unit (at most `unitsPerBlock` units side by side; more units continue in further blocks).
    public func table(unitsPerBlock: Int = 6) -> String {
        var out: [String] = []
        out.append("Report \(from)..\(to)" + (grouping.map { " by \($0.rawValue)" } ?? "") + (unit.map { ", unit \($0)" } ?? "")
                   + " (as of \(RFC3339.string(from: asOf)))")
        for period in periods {
            let units = period.units.keys.sorted()
            var blocks: [[String]] = stride(from: 0, to: max(units.count, 1), by: max(1, unitsPerBlock)).map {
                Array(units[min($0, units.count)..<min($0 + unitsPerBlock, units.count)])
            }
            if blocks.isEmpty { blocks = [[]] }
            for (number, block) in blocks.enumerated() {
                out.append("")
                out.append("Period \(period.period.label) (\(period.period.from)..\(period.period.to))"
                           + (blocks.count > 1 ? " [\(number + 1)/\(blocks.count)]" : ""))
                var rows: [[String]] = [["", "total"] + block]
                for count in ReportCount.allCases {
                    var row = [count.rawValue, String(period.total[count])]
                    for unit in block {
                        row.append(count.centerOnly ? "" : String(period.units[unit]?[count] ?? 0))
                    }
                    rows.append(row)
                }
                for (reason, value) in period.total.notAcceptedByReason.sorted(by: { $0.key < $1.key }) {
                    rows.append(["  not_accepted: \(reason)", String(value)] + block.map { _ in "" })
                }
                for kind in ReportRateKind.allCases {
                    var row = [kind.rawValue, period.total.rate(kind).text]
                    for unit in block {
                        row.append(kind.centerOnly ? "" : (period.units[unit] ?? ReportFigures(centerWide: false)).rate(kind).text)
                    }
                    rows.append(row)
                }
                out.append(contentsOf: Self.align(rows))
            }
            if let assessment { out += Self.assessmentTable(assessment, period: period) }
        }
        out.append("")
        out.append("Hotspots \(from)..\(to)")
        out.append("  top categories:")
        if hotspots.categories.isEmpty { out.append("    (none)") }
        for item in hotspots.categories {
            out.append("    \(item.category)\(item.name.map { " \($0)" } ?? ""): \(item.tickets)")
        }
        out.append("  top communities:")
        if hotspots.communities.isEmpty { out.append("    (none)") }
        for item in hotspots.communities { out.append("    \(item.street) \(item.community): \(item.tickets)") }
        out.append("  recurring matters:")
        if hotspots.recurring.isEmpty { out.append("    (none)") }
        for item in hotspots.recurring {
            out.append("    \(item.category) at \(item.street) \(item.community) \(item.address): \(item.tickets) tickets")
        }
        return out.joined(separator: "\n")
    }

    /// The period's ranking: one row per unit, the indicators as `points (numerator/denominator, -appealed)`.
    static func assessmentTable(_ assessment: Assessment, period: ReportPeriodFigures) -> [String] {
        let ranked = assessment.rules.assess(period.units)
        let out = ["", "Assessment \(period.period.label), profile \(assessment.profile)"]
        let header = ["rank", "unit", "score"]
            + assessment.rules.indicators.map { "\($0.rate.rawValue) ×\(UnitAssessment.text($0.weight))" } + ["adjustments"]
        var rows = [header]
        for unit in ranked {
            var row = [unit.rank.map(String.init) ?? "-", unit.unit, unit.score.map(UnitAssessment.text) ?? "-"]
            for indicator in unit.indicators {
                let counts = "\(indicator.assessed.numerator)/\(indicator.assessed.denominator)"
                    + (indicator.appealed > 0 ? ", -\(indicator.appealed) appealed" : "")
                row.append("\(indicator.points.map(UnitAssessment.text) ?? "-") (\(counts))")
            }
            row.append(unit.adjustments.map { "\($0.name) ×\($0.count) \($0.points > 0 ? "+" : "")\(UnitAssessment.text($0.points))" }
                .joined(separator: "; "))
            rows.append(row)
        }
        if ranked.isEmpty { rows.append(["", "(no unit)"]) }
        return out + align(rows).map { "  " + $0 }
    }

    /// Left-aligns the first column and right-aligns the others (display width: CJK counts double).
    public static func align(_ rows: [[String]]) -> [String] {
        func width(_ text: String) -> Int {
            text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && $1.properties.isIdeographic ? 2 : 1) }
        }
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], width(cell)) } }
        return rows.map { row in
            row.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - width(cell))
                return index == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
    }
}
