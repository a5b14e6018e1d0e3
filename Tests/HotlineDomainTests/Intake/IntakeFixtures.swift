import Foundation
import HotlineDomain

/// The pingshan profile with the intake keys the YAML file sets, and the small test jurisdiction.
enum IntakeFixtures {
    static let now = RFC3339.date(from: "2026-11-23T10:00:00+08:00")!
    static let earlier = RFC3339.date(from: "2026-11-20T10:00:00+08:00")!

    static func profile(_ change: (inout RuleProfile) -> Void = { _ in }) -> RuleProfile {
        var profile = try! JSONDecoder().decode(RuleProfile.self, from: Data(ProfileFixtures.pingshan.utf8))
        profile.intake.minDescriptionLength = 4
        profile.intake.minDistinctLetters = 2
        profile.intake.anonymousOwnRightsRefused = true
        profile.intake.ownRightsKinds = []
        profile.intake.ownRightsWords = ["欠我", "拖欠工资", "欠薪", "退款", "赔偿", "押金"]
        profile.intake.merge = IntakeRules.MergeRules(radiusMeters: 100, sameCitizen: true)
        profile.intake.basis = [
            "out_of_jurisdiction": "PS §8(二)1 不属于坪山区行政管辖范围内的",
            "no_substance": "PS §8(二)7 无实质诉求内容",
            "concluded_matter": "PS §15(六) 已出具事件终结告知书",
            "emergency_redirect": "ZS §13(一) 紧急服务专线",
            "unverifiable_anonymous": "PL §7(十) 无法核实",
            "petition": "PS §8(二)4 已进入信访渠道的",
        ]
        change(&profile)
        return profile
    }

    static func jurisdiction() -> JurisdictionFile { try! JurisdictionFixtures.file() }

    static func context(
        profile: RuleProfile = profile(), open: [OpenTicket] = [], concluded: [ConcludedMatter] = []
    ) -> IntakeContext {
        IntakeContext(profile: profile, jurisdiction: jurisdiction(), openTickets: open, concludedMatters: concluded)
    }

    static let phone = "13800138000"

    static func submission(
        _ description: String = "小区门口有流动摊贩占道经营，影响通行", id: String = "S-1", phone: String? = phone,
        anonymous: Bool = false, kind: TicketKind? = nil, urgency: Urgency? = nil, category: String? = nil,
        title: String? = nil, location: Location? = place(), demands: [Demand]? = nil,
        answeredOnCall: AnsweredOnCall? = nil, notAccepted: NotAccepted? = nil
    ) -> Submission {
        Submission(
            submissionID: id, channel: .hotline, receivedAt: now, citizen: Citizen(name: "张女士", phone: phone, anonymous: anonymous),
            kind: kind, urgency: urgency, category: category, title: title, description: description, location: location,
            demands: demands, answeredOnCall: answeredOnCall, notAccepted: notAccepted)
    }

    static func place(
        street: String? = "坑梓街道", community: String? = "秀新社区", address: String? = "秀新路12号",
        lat: Double? = nil, lon: Double? = nil
    ) -> Location {
        Location(street: street, community: community, address: address, lat: lat, lon: lon)
    }

    /// An open ticket at the default place, of the default citizen unless told otherwise.
    static func open(
        _ ticketNo: String = "PS-20261120-000001", status: String = "dispatched", category: String? = "CG-001",
        street: String? = "坑梓街道", community: String? = "秀新社区", address: String? = "秀新路12号",
        citizen: String? = "13900000099", lat: Double? = nil, lon: Double? = nil, receivedAt: Date = earlier
    ) -> OpenTicket {
        OpenTicket(
            ticketNo: ticketNo, status: status, category: category, street: street, community: community,
            addressNorm: PlaceMatching.normalizeAddress(address), citizenKey: CitizenKey.of(phone: citizen), lat: lat,
            lon: lon, receivedAt: receivedAt)
    }

    /// A point `meters` north of (lat, lon).
    static func north(of lat: Double, _ meters: Double) -> Double {
        lat + meters / (PlaceMatching.earthRadius * Double.pi / 180)
    }
}
