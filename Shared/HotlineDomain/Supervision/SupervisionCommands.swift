import Foundation

/// `center.open-supervision`: the center opens a supervision case (督办) on a unit, on one of its tickets
/// or on its work as a whole, and sends it the notice (督办通知书) with the time to answer.
public struct CenterOpenSupervision: Codable, Sendable, Hashable, CommandBody {
    public static let commandType = CommandType.centerOpenSupervision
    /// The unit supervised.
    public var unit: String
    /// The ticket, when the case is about one; the unit must have handled it.
    public var ticketNo: String?
    /// Why (PL §24, PS §18, §20(二), DY (12)).
    public var ground: SupervisionGround
    /// How (one of the profile's `supervision.modes`).
    public var mode: SupervisionMode
    /// When the answer is due (default: the profile's `supervision.answer_within` from now).
    public var answerBy: Date?
    /// What the notice says (no personal data).
    public var note: String
    /// Who at the center decided, for the audit trail (`operator`; docs/contract.md "Commands").
    public var operatorName: String?

    public init(
        unit: String, ticketNo: String? = nil, ground: SupervisionGround, mode: SupervisionMode, answerBy: Date? = nil,
        note: String, operatorName: String? = nil
    ) {
        self.unit = unit
        self.ticketNo = ticketNo
        self.ground = ground
        self.mode = mode
        self.answerBy = answerBy
        self.note = note
        self.operatorName = operatorName
    }

    enum CodingKeys: String, CodingKey {
        case unit
        case ticketNo = "ticket_no"
        case ground, mode
        case answerBy = "answer_by"
        case note
        case operatorName = "operator"
    }

    /// The longest note or answer, in characters.
    public static let maxText = 2000

    public func validationProblems() -> [String] {
        var problems = required(("unit", unit), ("note", note))
        if let ticketNo, blank(ticketNo) { problems.append("ticket_no must not be blank") }
        if note.count > Self.maxText { problems.append("note must be at most \(Self.maxText) characters") }
        return problems + operatorProblems(operatorName)
    }
}

/// `unit.answer-supervision`: the unit answers a supervision notice addressed to it (办理情况).
public struct UnitAnswerSupervision: Codable, Sendable, Hashable, CommandBody {
    public static let commandType = CommandType.unitAnswerSupervision
    public var supervisionID: String
    /// What the unit did (no personal data).
    public var answer: String

    public init(supervisionID: String, answer: String) {
        self.supervisionID = supervisionID
        self.answer = answer
    }

    enum CodingKeys: String, CodingKey {
        case supervisionID = "supervision_id"
        case answer
    }

    public func validationProblems() -> [String] {
        required(("supervision_id", supervisionID), ("answer", answer))
            + (answer.count > CenterOpenSupervision.maxText ? ["answer must be at most \(CenterOpenSupervision.maxText) characters"] : [])
    }
}

/// `center.escalate-supervision`: the center raises a case it is not satisfied with to a further mode
/// (PS §18(一) 根据督办效果不断提升督办层级) with a new time to answer.
public struct CenterEscalateSupervision: Codable, Sendable, Hashable, CommandBody {
    public static let commandType = CommandType.centerEscalateSupervision
    public var supervisionID: String
    public var mode: SupervisionMode
    /// When the new answer is due (default: the profile's `supervision.answer_within` from now).
    public var answerBy: Date?
    public var note: String
    public var operatorName: String?

    public init(supervisionID: String, mode: SupervisionMode, answerBy: Date? = nil, note: String, operatorName: String? = nil) {
        self.supervisionID = supervisionID
        self.mode = mode
        self.answerBy = answerBy
        self.note = note
        self.operatorName = operatorName
    }

    enum CodingKeys: String, CodingKey {
        case supervisionID = "supervision_id"
        case mode
        case answerBy = "answer_by"
        case note
        case operatorName = "operator"
    }

    public func validationProblems() -> [String] {
        required(("supervision_id", supervisionID), ("note", note))
            + (note.count > CenterOpenSupervision.maxText ? ["note must be at most \(CenterOpenSupervision.maxText) characters"] : [])
            + operatorProblems(operatorName)
    }
}

/// `center.close-supervision`: the center closes a case, and refers it to the discipline commission
/// (线索移交纪委监委) when it names `referral_grounds`.
public struct CenterCloseSupervision: Codable, Sendable, Hashable, CommandBody {
    public static let commandType = CommandType.centerCloseSupervision
    public var supervisionID: String
    /// What the supervision achieved.
    public var note: String
    /// Grounds for referring the case to the discipline commission (PS §20(三), PL §28, DY (13), (18));
    /// absent or empty: closed without a referral.
    public var referralGrounds: [DisciplineGround]?
    public var operatorName: String?

    public init(supervisionID: String, note: String, referralGrounds: [DisciplineGround]? = nil, operatorName: String? = nil) {
        self.supervisionID = supervisionID
        self.note = note
        self.referralGrounds = referralGrounds
        self.operatorName = operatorName
    }

    enum CodingKeys: String, CodingKey {
        case supervisionID = "supervision_id"
        case note
        case referralGrounds = "referral_grounds"
        case operatorName = "operator"
    }

    public func validationProblems() -> [String] {
        var problems = required(("supervision_id", supervisionID), ("note", note))
        if note.count > CenterOpenSupervision.maxText { problems.append("note must be at most \(CenterOpenSupervision.maxText) characters") }
        if let grounds = referralGrounds, Set(grounds).count != grounds.count {
            problems.append("referral_grounds must not repeat a ground")
        }
        return problems + operatorProblems(operatorName)
    }
}
