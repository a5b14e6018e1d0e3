import Foundation

/// How the center scores and ranks its units (考核, PS §20, PL §30-31, DY (15); docs/rules.md
/// "Assessment"): weighted rates, points off for counted failures, points awarded by the center, and
/// the units' appeals (申诉) against single tickets' counting.
public struct AssessmentRules: Codable, Sendable, Hashable {
    /// The weighted rates; a unit's score is Σ weight × rate over the indicators it had something due
    /// in, scaled up to the full weight when some had nothing due.
    public var indicators: [Indicator]
    /// Points off per counted event, capped.
    public var deductions: [Deduction]
    /// Points the center awards (`center.award-points`), by kind, capped.
    public var awards: [Award]
    /// Whether a unit may appeal a ticket's counting in an indicator (`unit.appeal-assessment`, PL §31).
    public var appeals: Bool

    /// One weighted rate.
    public struct Indicator: Codable, Sendable, Hashable {
        public var rate: ReportRateKind
        public var weight: Double

        public init(rate: ReportRateKind, weight: Double) {
            self.rate = rate
            self.weight = weight
        }
    }

    /// Points off for each occurrence of a count, at most `max` in a period.
    public struct Deduction: Codable, Sendable, Hashable {
        public var count: ReportCount
        public var points: Double
        public var max: Double?

        public init(count: ReportCount, points: Double, max: Double? = nil) {
            self.count = count
            self.points = points
            self.max = max
        }
    }

    /// Points the center awards for each item of a kind (e.g. `typical_case`, DY (15) 典型案例奖励加分), at
    /// most `max` in a period.
    public struct Award: Codable, Sendable, Hashable {
        public var kind: String
        public var points: Double
        public var max: Double?

        public init(kind: String, points: Double, max: Double? = nil) {
            self.kind = kind
            self.points = points
            self.max = max
        }
    }

    public init(indicators: [Indicator], deductions: [Deduction] = [], awards: [Award] = [], appeals: Bool = false) {
        self.indicators = indicators
        self.deductions = deductions
        self.awards = awards
        self.appeals = appeals
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        indicators = try c.decode([Indicator].self, forKey: .indicators)
        deductions = try c.decodeIfPresent([Deduction].self, forKey: .deductions) ?? []
        awards = try c.decodeIfPresent([Award].self, forKey: .awards) ?? []
        appeals = try c.decodeIfPresent(Bool.self, forKey: .appeals) ?? false
    }

    enum CodingKeys: String, CodingKey {
        case indicators, deductions, awards, appeals
    }

    /// The indicators a unit may appeal a ticket's counting in: those counted per ticket.
    public var appealableRates: [ReportRateKind] {
        appeals ? indicators.map(\.rate).filter(\.isCountedPerTicket) : []
    }

    /// Why a unit's appeal is refused under these rules, or nil.
    public func refusal(appealing rate: ReportRateKind) -> CommandRefusal? {
        guard appeals else {
            return CommandRefusal(.notAllowed, "this profile's assessment takes no appeals", rule: "assessment.appeals")
        }
        guard appealableRates.contains(rate) else {
            let rates = appealableRates.map(\.rawValue).joined(separator: ", ")
            return CommandRefusal(.notAllowed, "\(rate.rawValue) is not an indicator appealed per ticket here (\(rates))",
                                  rule: "assessment.indicators")
        }
        return nil
    }

    /// Why the center's award is refused, or nil.
    public func refusal(awarding kind: String) -> CommandRefusal? {
        guard awards.contains(where: { $0.kind == kind }) else {
            let kinds = awards.map(\.kind).joined(separator: ", ")
            return CommandRefusal(.notAllowed, "no award of kind \(kind) in this profile (\(kinds.isEmpty ? "none" : kinds))",
                                  rule: "assessment.awards")
        }
        return nil
    }

    /// Everything that makes these rules unusable, as sentences.
    public func problems() -> [String] {
        var problems: [String] = []
        if indicators.isEmpty { problems.append("assessment.indicators: none") }
        if Set(indicators.map(\.rate)).count != indicators.count { problems.append("assessment.indicators: a rate repeats") }
        for indicator in indicators where !(indicator.weight > 0) {
            problems.append("assessment.indicators: \(indicator.rate.rawValue) needs a positive weight")
        }
        for deduction in deductions where !(deduction.points > 0) || (deduction.max.map { !($0 > 0) } ?? false) {
            problems.append("assessment.deductions: \(deduction.count.rawValue) needs positive points and max")
        }
        for award in awards where !(award.points > 0) || (award.max.map { !($0 > 0) } ?? false) || award.kind.isEmpty {
            problems.append("assessment.awards: \(award.kind) needs a name, positive points and max")
        }
        return problems
    }
}

extension ReportRateKind {
    /// Whether the rate counts tickets one by one (an assignment's deadlines, a survey), so that one
    /// ticket's counting can be appealed.
    public var isCountedPerTicket: Bool {
        switch self {
        case .responseRate, .notifyOnTimeRate, .onTimeCompletionRate, .resolutionRate, .satisfactionRate: true
        case .dispatchOnTimeRate, .policyReportOnTimeRate, .correctionOnTimeRate: false
        }
    }
}
