import Foundation

/// Supervision (督办) and referral to the discipline commission (docs/rules.md "Supervision"; PS §18,
/// §20(二)-(三), PL §24-25, §28, DY (12)-(13), (18)).
public struct SupervisionRules: Codable, Sendable, Hashable {
    /// The ways the center supervises under this profile (PS §18, PL §25, DY (12)).
    public var modes: [SupervisionMode]
    /// How long a unit has to answer a supervision notice, unless the center names a time.
    public var answerWithin: TimeLimit
    /// A red card opens a supervision case on the unit in this mode (PS §20(二): 列入督查督办); nil: it
    /// opens none.
    public var onRedCard: SupervisionMode?
    /// What a case may be referred to the discipline commission for (PS §20(三), PL §28, DY (13), (18)).
    public var referralGrounds: [DisciplineGround]

    enum CodingKeys: String, CodingKey {
        case modes
        case answerWithin = "answer_within"
        case onRedCard = "on_red_card"
        case referralGrounds = "referral_grounds"
    }

    public init(
        modes: [SupervisionMode], answerWithin: TimeLimit, onRedCard: SupervisionMode? = nil, referralGrounds: [DisciplineGround]
    ) {
        self.modes = modes
        self.answerWithin = answerWithin
        self.onRedCard = onRedCard
        self.referralGrounds = referralGrounds
    }

    /// Everything that makes these rules unusable, as sentences.
    public func problems() -> [String] {
        var problems: [String] = []
        if modes.isEmpty { problems.append("supervision.modes: none") }
        if answerWithin.amount < 1 { problems.append("supervision.answer_within: must be at least 1") }
        if referralGrounds.isEmpty { problems.append("supervision.referral_grounds: none") }
        if let mode = onRedCard, !modes.contains(mode) { problems.append("supervision.on_red_card: \(mode.rawValue) is not one of the modes") }
        return problems
    }
}

/// How the center supervises (督办方式).
public enum SupervisionMode: String, Codable, Sendable, CaseIterable {
    /// 电话督办 (PS §18(一), PL §25(一), DY (12)一).
    case phone
    /// 短信、微信督办 (PS §18(一)).
    case sms, wechat
    /// 周报、季报、年报及专题分析报告督办 (PS §18(二)).
    case report
    /// 提醒函督办 (PS §18(三)).
    case reminderLetter = "reminder_letter"
    /// 绩效考核督办 (PS §18(四)).
    case performance
    /// 督查室联合通报督办 (PS §18(五)).
    case jointNotice = "joint_notice"
    /// 区政府常委会督办 (PS §18(六)).
    case standingCommittee = "standing_committee"
    /// 催办通知 (PL §25(二)).
    case urgingNotice = "urging_notice"
    /// 督办通知书 (PL §25(二)).
    case notice
    /// 公函督办: a written, time-limited notice (DY (12)二).
    case letter
    /// 会议督办 / 督办协调会 (PL §25(三), DY (12)三).
    case meeting
    /// 批示督办: the leaders' instruction (DY (12)四).
    case instruction
    /// 现场督办 / 共同到事发地调查督办 (PL §25(三), DY (12)五).
    case onSite = "on_site"
    /// 回访督查: the center's inspection after an unsatisfied callback (PL §25(四)).
    case callbackInspection = "callback_inspection"
}

/// Why a case is supervised (PL §24, PS §18, §20(二), DY (12)).
public enum SupervisionGround: String, Codable, Sendable, CaseIterable {
    /// 领导批示或交办 (PL §24(一)).
    case leaderInstruction = "leader_instruction"
    /// 集中投诉举报的热点、难点 (PL §24(二)).
    case hotspot
    /// 跨区域、跨部门的复杂事项 (PL §24(三), DY (12)三).
    case crossUnit = "cross_unit"
    /// 可能引发群体性事件 (PL §24(四)).
    case massIncident = "mass_incident"
    /// 已有决定仍得不到解决 (PL §24(五)).
    case unresolvedAfterDecision = "unresolved_after_decision"
    /// 无正当理由未按期办结 (PL §24(六), DY (12)一).
    case overdueWithoutCause = "overdue_without_cause"
    /// 重办后仍不满意 (PL §24(七), DY (11)).
    case unsatisfiedAfterRehandling = "unsatisfied_after_rehandling"
    /// 办理质量差、敷衍塞责 (PS §18, DY (12)二).
    case poorQuality = "poor_quality"
    /// 推诿扯皮、不当退回 (PS §18).
    case shirking
    /// 连续两季度黄牌 (PS §20(二)).
    case redCard = "red_card"
    /// 一个月内同一诉求人3次或3名诉求人反映同一问题 (DY (12)五).
    case repeatedDemand = "repeated_demand"
    /// 其他需要督办的事项 (PL §24(八)).
    case other
}

/// What a case may be referred to the discipline commission (纪委监委) for.
public enum DisciplineGround: String, Codable, Sendable, CaseIterable {
    /// 推诿 / 推诿扯皮.
    case shirking
    /// 敷衍 / 敷衍塞责.
    case perfunctory
    /// 拖延.
    case delay
    /// 弄虚作假.
    case falsification
    /// 不作为、慢作为, 连续6个月以上没有整治效果 (PL §28).
    case inaction
    /// 书面督办后仍未解决、处办不力导致矛盾恶化升级 (DY (13)).
    case unresolvedAfterSupervision = "unresolved_after_supervision"
    /// 失职渎职 (DY (18)).
    case dereliction
    /// 失密泄密 (DY (18)).
    case leak
    /// 滥用职权 (DY (18)).
    case abuse
}
