import Foundation

/// `unit.appeal-assessment`: a unit contests how one of its tickets is counted in an indicator of the
/// assessment (申诉, PL §31). The center investigates and decides (`center.decide-appeal`); an upheld
/// appeal takes the ticket out of that indicator for the unit.
public struct UnitAppealAssessment: Codable, Sendable, Hashable, CommandBody {
    public static let commandType = CommandType.unitAppealAssessment
    /// The ticket whose counting is contested; the unit must have handled it.
    public var ticketNo: String
    /// The indicator (a rate of the profile's assessment counted per ticket, e.g. `response_rate`).
    public var indicator: String
    /// Why the counting is wrong, for the center's investigation (no personal data).
    public var reason: String

    public init(ticketNo: String, indicator: String, reason: String) {
        self.ticketNo = ticketNo
        self.indicator = indicator
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case ticketNo = "ticket_no"
        case indicator, reason
    }

    /// The longest reason, in characters.
    public static let maxReason = 2000

    public func validationProblems() -> [String] {
        var problems = required(("ticket_no", ticketNo), ("indicator", indicator), ("reason", reason))
        if !blank(indicator), ReportRateKind(rawValue: indicator) == nil {
            problems.append("indicator must be one of \(ReportRateKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if reason.count > Self.maxReason { problems.append("reason must be at most \(Self.maxReason) characters") }
        return problems
    }
}

/// `center.decide-appeal`: the center upholds or dismisses a unit's appeal after investigating it.
public struct CenterDecideAppeal: Codable, Sendable, Hashable, CommandBody {
    public static let commandType = CommandType.centerDecideAppeal
    /// The appeal (`assessment.appealed`'s `appeal_id`).
    public var appealID: String
    /// Whether the appeal is upheld (the ticket leaves the indicator) or dismissed.
    public var uphold: Bool
    /// What the investigation found, told to the unit.
    public var note: String
    /// Who at the center decided, for the audit trail (`operator`; docs/contract.md "Commands").
    public var operatorName: String?

    public init(appealID: String, uphold: Bool, note: String, operatorName: String? = nil) {
        self.appealID = appealID
        self.uphold = uphold
        self.note = note
        self.operatorName = operatorName
    }

    enum CodingKeys: String, CodingKey {
        case appealID = "appeal_id"
        case uphold, note
        case operatorName = "operator"
    }

    public func validationProblems() -> [String] {
        required(("appeal_id", appealID), ("note", note))
            + (note.count > UnitAppealAssessment.maxReason ? ["note must be at most \(UnitAppealAssessment.maxReason) characters"] : [])
            + operatorProblems(operatorName)
    }
}

/// `center.award-points`: the center awards a unit an item of a kind its profile rewards (DY (15)
/// 典型案例奖励加分: `typical_case`); the report adds the profile's points in the period of `awarded_at`.
public struct CenterAwardPoints: Codable, Sendable, Hashable, CommandBody {
    public static let commandType = CommandType.centerAwardPoints
    /// The unit awarded.
    public var unit: String
    /// The kind of award (`assessment.awards[].kind`).
    public var kind: String
    /// The ticket it is for, when there is one.
    public var ticketNo: String?
    /// Why, for the file.
    public var note: String
    /// Who at the center decided, for the audit trail (`operator`; docs/contract.md "Commands").
    public var operatorName: String?

    public init(unit: String, kind: String, ticketNo: String? = nil, note: String, operatorName: String? = nil) {
        self.unit = unit
        self.kind = kind
        self.ticketNo = ticketNo
        self.note = note
        self.operatorName = operatorName
    }

    enum CodingKeys: String, CodingKey {
        case unit, kind
        case ticketNo = "ticket_no"
        case note
        case operatorName = "operator"
    }

    public func validationProblems() -> [String] {
        var problems = required(("unit", unit), ("kind", kind), ("note", note))
        if let ticketNo, blank(ticketNo) { problems.append("ticket_no must not be blank") }
        if note.count > UnitAppealAssessment.maxReason {
            problems.append("note must be at most \(UnitAppealAssessment.maxReason) characters")
        }
        return problems + operatorProblems(operatorName)
    }
}
