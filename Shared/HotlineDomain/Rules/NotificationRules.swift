import Foundation

/// How the escalation notifier tells people (PS §17(三) "民情速报" SMS, OA letters; PS §18-19): the
/// templates of every text, who hears of each alert kind, and which notifications may wait for working
/// hours. Profile key `escalation.notifications`; absent, `NotificationRules.standard` applies.
public struct NotificationRules: Codable, Sendable, Hashable {
    /// Hold non-urgent notifications to officials and units that fall outside working hours until the
    /// next working-hours interval starts (the working calendar's hours).
    public var quietHours: Bool
    /// Escalation tiers sent at once even outside working hours (none by default: an overdue reminder
    /// is not an emergency).
    public var urgentTiers: [Int]
    /// Texts by template name, with `{placeholder}`s: `sla.warning`, `escalation.tier1` … (falling
    /// back to `escalation`), `alert.safety`, `alert.hotspot`, `alert.high_frequency`,
    /// `alert.repeat_caller`, `alert.sensitive`.
    public var templates: [String: String]
    /// Who hears of each alert kind (`alert_kind` → targets).
    public var alerts: [String: AlertAudience]

    /// The targets of one alert kind.
    public struct AlertAudience: Codable, Sendable, Hashable {
        /// `warned_units` (the jurisdiction's `warnings` for the ticket's urgency), `responsible_unit`
        /// (the catalogue item's owner; territorial items: the street office), `street_office`, or a
        /// unit code.
        public var units: [String]
        /// `oa` sends an OA letter to each unit (`oa.unit`); `sms` a 民情速报 SMS to each unit's head
        /// (`sms.official`); `phone` a call to each unit's head (`phone.official`).
        public var channels: [NotificationChannel]

        public init(units: [String], channels: [NotificationChannel]) {
            self.units = units
            self.channels = channels
        }
    }

    public init(quietHours: Bool, urgentTiers: [Int], templates: [String: String], alerts: [String: AlertAudience]) {
        self.quietHours = quietHours
        self.urgentTiers = urgentTiers
        self.templates = templates
        self.alerts = alerts
    }

    enum CodingKeys: String, CodingKey {
        case quietHours = "quiet_hours"
        case urgentTiers = "urgent_tiers"
        case templates, alerts
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let standard = NotificationRules.standard
        quietHours = try c.decodeIfPresent(Bool.self, forKey: .quietHours) ?? standard.quietHours
        urgentTiers = try c.decodeIfPresent([Int].self, forKey: .urgentTiers) ?? standard.urgentTiers
        // A profile's templates and audiences override the standard ones name by name.
        templates = standard.templates.merging(
            try c.decodeIfPresent([String: String].self, forKey: .templates) ?? [:]) { $1 }
        alerts = standard.alerts.merging(
            try c.decodeIfPresent([String: AlertAudience].self, forKey: .alerts) ?? [:]) { $1 }
    }

    /// The template named `name`, else the one named `fallback`.
    public func template(_ name: String, fallback: String? = nil) -> String? {
        templates[name] ?? fallback.flatMap { templates[$0] }
    }

    /// The defaults (pingshan wording).
    public static let standard = NotificationRules(
        quietHours: true,
        urgentTiers: [],
        templates: [
            "sla.warning": "【民情速报】催办：{unit_name}承办的工单{ticket_no}{deadline_name}期限为{due_at}，请抓紧办理。",
            "escalation": "【民情速报】超时提醒：{unit_name}承办的工单{ticket_no}已超过{deadline_name}期限{days}天，请督促办理。",
            "alert.safety": "【民情速报】{urgency_name}预警：工单{ticket_no}（{category_name}，{street}{community}）可能危及公共安全，请即时关注处置。",
            "alert.hotspot": "【民情速报】热点预警：{street}{community}{window}内{count}位市民反映{category_name}，请关注。",
            "alert.high_frequency": "【民情速报】高频预警：{street}{community}{window}内{category_name}反复发生{count}次，请关注。",
            "alert.repeat_caller": "【民情速报】重复来电预警：同一市民{window}内{count}次反映{category_name}（最新工单{ticket_no}），请现场督办。",
            "alert.sensitive": "【民情速报】敏感预警：工单{ticket_no}（{category_name}，{street}{community}）涉及“{words}”，请关注。",
        ],
        alerts: [
            "safety": AlertAudience(units: ["warned_units"], channels: [.oa, .sms]),
            "hotspot": AlertAudience(units: ["responsible_unit"], channels: [.oa]),
            "high_frequency": AlertAudience(units: ["responsible_unit"], channels: [.oa]),
            "repeat_caller": AlertAudience(units: ["responsible_unit"], channels: [.oa, .sms]),
            "sensitive": AlertAudience(units: ["responsible_unit"], channels: [.oa]),
        ])
}
