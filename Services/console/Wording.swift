import Foundation
import HotlineDomain

/// The console's words for the platform's codes: statuses, history actions, outcomes, urgencies,
/// dispatch modes, and local times. A code without a word is shown as it is.
enum Wording {
    static let statuses: [String: String] = [
        "accepted": "已受理", "dispatched": "已派单", "manual": "待人工派单", "answered": "已直接答复", "rejected": "不予受理",
        "merged": "已合并", "split": "已拆分", "resolved": "已办结", "closed": "已归档",
    ]

    static let assignmentStates: [String: String] = [
        "pending": "待签收", "signed": "办理中", "return_requested": "申请退回", "resolution_submitted": "办结待审",
        "stage_resolved": "阶段性办结", "resolved": "已办结", "cancelled": "已取消", "returned": "已退回",
    ]

    static let actions: [String: String] = [
        "accepted": "受理", "dispatched": "派单", "manual_dispatch": "转人工派单", "signed": "签收", "auto_signed": "自动签收",
        "transferred": "转办", "reopened": "重新办理", "closed": "归档", "concluded": "结案", "replied": "答复",
        "citizen_linked": "合并诉求人", "extension_requested": "申请延期", "extended": "延期", "extension_denied": "延期未批准",
        "survey_sent": "发送回访", "survey_answered": "回访评价", "survey_expired": "回访过期", "dissatisfaction_excluded": "不满意核减",
        "verified_on_site": "现场核实",
        "assignment.signed": "签收", "assignment.citizen-notified": "受理告知", "assignment.return-requested": "申请退回",
        "assignment.returned": "退回", "assignment.return-denied": "退回未批准", "assignment.resolution-submitted": "提交办结",
        "ticket.resolved": "办结", "ticket.stage-resolved": "阶段性办结", "ticket.resolution-rejected": "办结被驳回",
        "ticket.dispatched": "派单", "assignment.part-reported": "协办单位反馈",
    ]

    static let outcomes: [String: String] = [
        "ticket.dispatched": "已派单", "assignment.returned": "已批准退回", "assignment.return-denied": "已驳回退回申请",
        "assignment.extended": "已批准延期", "assignment.extension-denied": "已驳回延期申请", "ticket.resolved": "已批准办结",
        "ticket.stage-resolved": "已批准阶段性办结", "ticket.resolution-rejected": "已驳回办结", "command.rejected": "指令被拒绝",
        "knowledge.flagged": "已要求单位更正",
    ]

    /// An urgency code's name, as the platform's texts give it (`NotificationText.urgencyName`).
    static func urgency(_ code: String) -> String { Urgency(rawValue: code).map(NotificationText.urgencyName) ?? code }

    static let modes: [(DispatchMode, String)] = DispatchMode.allCases.map { mode in
        switch mode {
        case .sole: (mode, "单独承办")
        case .leadCo: (mode, "主协办")
        case .parallel: (mode, "并行派发（先签先办）")
        case .firstResponsible: (mode, "首接负责")
        case .territorial: (mode, "属地办理")
        }
    }

    static let roles: [String: String] = [
        "lead": "主办", "co": "协办", "sole": "承办", "parallel": "并行", "first_responsible": "首接负责", "territorial": "属地",
    ]

    static let alertKinds: [String: String] = [
        "safety": "安全隐患", "high_frequency": "高频诉求", "hotspot": "热点诉求", "sensitive": "敏感诉求", "repeat_caller": "重复来电",
    ]

    static func word(_ code: String?, in table: [String: String]) -> String {
        guard let code else { return "—" }
        return table[code] ?? code
    }

    /// `2026-12-04 17:30` in the jurisdiction's time zone (`NotificationText.localTime`), `—` for none.
    static func time(_ date: Date?, in calendar: WorkingCalendar) -> String {
        date.map { NotificationText.localTime($0, calendar: calendar) } ?? "—"
    }
}
