import Foundation

/// One unit's assessment for a period under `AssessmentRules` (docs/rules.md "Assessment"): every
/// indicator with its numerator, denominator, the tickets removed by upheld appeals, weight and
/// points; the deductions and awards; the score and the rank among the period's units.
public struct UnitAssessment: Sendable, Equatable {
    public struct Indicator: Sendable, Equatable {
        public let rate: ReportRateKind
        public let weight: Double
        /// The rate after upheld appeals.
        public let assessed: ReportRate
        /// Items removed from the denominator (and, when they were met, from the numerator) by upheld appeals.
        public let appealed: Int
        /// weight × rate, or nil when nothing was due (the indicator is then left out and the others
        /// scaled up to the full weight).
        public let points: Double?
    }

    /// A deduction or an award: what was counted, how often, and the points (negative for a deduction).
    public struct Adjustment: Sendable, Equatable {
        public let name: String
        public let count: Int
        public let points: Double
    }

    public let unit: String
    public let indicators: [Indicator]
    public let adjustments: [Adjustment]
    /// Σ points of the indicators due, scaled to the full weight; nil when nothing was due at all.
    public let base: Double?
    /// `base` plus the adjustments; nil when nothing was due.
    public let score: Double?
    /// 1 for the best score; equal scores share a rank; nil when unscored.
    public internal(set) var rank: Int?
}

extension AssessmentRules {
    /// Every unit of `figures` assessed and ranked: best score first, equal scores by unit code,
    /// unscored units last.
    public func assess(_ units: [String: ReportFigures]) -> [UnitAssessment] {
        let totalWeight = indicators.reduce(0) { $0 + $1.weight }
        var assessments = units.map { unit, figures -> UnitAssessment in
            let scored = indicators.map { indicator -> UnitAssessment.Indicator in
                let rate = figures.assessedRate(indicator.rate)
                let appealed = figures.appealed[indicator.rate.denominator] ?? 0
                return .init(rate: indicator.rate, weight: indicator.weight, assessed: rate, appealed: appealed,
                             points: rate.rate.map { $0 * indicator.weight })
            }
            let dueWeight = scored.filter { $0.points != nil }.reduce(0) { $0 + $1.weight }
            let base = dueWeight > 0 ? scored.compactMap(\.points).reduce(0, +) * totalWeight / dueWeight : nil
            var adjustments: [UnitAssessment.Adjustment] = []
            for deduction in deductions {
                let count = figures[deduction.count]
                guard count > 0 else { continue }
                let points = Swift.min(Double(count) * deduction.points, deduction.max ?? .infinity)
                adjustments.append(.init(name: deduction.count.rawValue, count: count, points: -points))
            }
            for award in awards {
                let count = figures.awards[award.kind] ?? 0
                guard count > 0 else { continue }
                let points = Swift.min(Double(count) * award.points, award.max ?? .infinity)
                adjustments.append(.init(name: award.kind, count: count, points: points))
            }
            let score = base.map { base in adjustments.reduce(base) { $0 + $1.points } }
            return UnitAssessment(unit: unit, indicators: scored, adjustments: adjustments, base: base, score: score, rank: nil)
        }
        assessments.sort { a, b in
            switch (a.score, b.score) {
            case let (x?, y?) where Self.rounded(x) != Self.rounded(y): return x > y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a.unit < b.unit
            }
        }
        var previous: (score: Double, rank: Int)?
        for index in assessments.indices {
            guard let score = assessments[index].score.map(Self.rounded) else { continue }
            let rank = previous.map { $0.score == score ? $0.rank : index + 1 } ?? index + 1
            assessments[index].rank = rank
            previous = (score, rank)
        }
        return assessments
    }

    /// Scores are compared and shown to two decimals.
    static func rounded(_ score: Double) -> Double { (score * 100).rounded() / 100 }
}

extension UnitAssessment {
    /// The JSON of one unit's assessment (docs/operations.md "Reports").
    public var jsonValue: JSONValue {
        [
            "unit": .string(unit), "rank": rank.map { .integer($0) } ?? .null,
            "score": score.map { .number(AssessmentRules.rounded($0)) } ?? .null,
            "base": base.map { .number(AssessmentRules.rounded($0)) } ?? .null,
            "indicators": .array(indicators.map { indicator in
                [
                    "rate": .string(indicator.rate.rawValue), "weight": .number(indicator.weight),
                    "numerator": .integer(indicator.assessed.numerator), "denominator": .integer(indicator.assessed.denominator),
                    "appealed": .integer(indicator.appealed), "value": indicator.assessed.rate.map(JSONValue.number) ?? .null,
                    "points": indicator.points.map { .number(AssessmentRules.rounded($0)) } ?? .null,
                ]
            }),
            "adjustments": .array(adjustments.map {
                ["name": .string($0.name), "count": .integer($0.count), "points": .number(AssessmentRules.rounded($0.points))]
            }),
        ]
    }

    /// A score or points to two decimals, without trailing zeros (`87.5`, `-2`).
    static func text(_ value: Double) -> String {
        var text = String(format: "%.2f", AssessmentRules.rounded(value))
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}
