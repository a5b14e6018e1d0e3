import Foundation

/// The survey's notifications: the citizen's invitation (`sms.citizen`) and the center's callback
/// task after a final dissatisfaction (PL §20, `oa.unit` to the center).
public enum SurveyNotices {
    public static let invitationTemplate = "survey.invitation"
    /// The call-back task of a citizen who asked to be called (ZS §23).
    public static let phoneInvitationTemplate = "survey.invitation.phone"
    public static let callbackTemplate = "survey.callback.center"

    /// The invitation text for the profile's form, with the survey id to answer with.
    public static func invitationText(ticketNo: String, surveyID: String, rules: SurveyRules) -> String {
        let ask: String
        switch rules.scale {
        case .stars:
            ask = "请对处置速度、处置效果、服务体验、反馈质量分别评1-5星；如需重新办理请告知"
        case .levels:
            ask = "请评价：满意、基本满意或不满意"
        case .questions:
            ask = "我们将回访：承办单位是否联系您、问题是否解决、满意度和信任度"
        }
        return "【12345热线】您反映的诉求（工单号：\(ticketNo)）已办结，\(ask)（回访编号：\(surveyID)）。感谢您的支持。"
    }

    /// The invitation in the way the citizen chose (ZS §23): an SMS (the default), or a call-back task
    /// for the center's agents on the `phone` channel; nil when the citizen wants no callback, is
    /// anonymous or left no phone (the survey then simply expires as no response).
    public static func invitation(
        id: String, surveyID: String, ticketNo: String, citizen: Citizen, rules: SurveyRules
    ) -> HotlineNotification? {
        guard !citizen.anonymous, citizen.callback != CallbackChannel.none, let phone = citizen.phone,
              !phone.trimmingCharacters(in: .whitespaces).isEmpty
        else { return nil }
        let byPhone = citizen.callback == .phone
        return HotlineNotification(
            notificationID: id, channel: byPhone ? .phone : .sms, audience: .citizen,
            recipient: NotificationRecipient(role: .citizen, name: citizen.name, phone: phone),
            template: byPhone ? phoneInvitationTemplate : invitationTemplate,
            text: byPhone
                ? "【回访任务】请致电诉求人回访工单\(ticketNo)（回访编号：\(surveyID)）：\(invitationText(ticketNo: ticketNo, surveyID: surveyID, rules: rules))"
                : invitationText(ticketNo: ticketNo, surveyID: surveyID, rules: rules),
            ticketNo: ticketNo, dedupKey: "survey:\(surveyID):invitation")
    }

    /// The center's callback task: call the citizen back and ask why they are still unsatisfied.
    public static func centerCallback(id: String, surveyID: String, ticketNo: String, units: [String]) -> HotlineNotification {
        let unitText = units.isEmpty ? "" : "（承办单位：\(units.joined(separator: "、"))）"
        return HotlineNotification(
            notificationID: id, channel: .oa, audience: .unit, recipient: NotificationRecipient(role: .center),
            template: callbackTemplate,
            text: "【回访任务】工单\(ticketNo)\(unitText)重办后诉求人仍不满意（回访编号：\(surveyID)），请回访诉求人，征询不满意的原因。",
            ticketNo: ticketNo, dedupKey: "survey:\(surveyID):callback")
    }
}
