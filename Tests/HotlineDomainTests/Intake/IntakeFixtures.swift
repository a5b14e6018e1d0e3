import Foundation
import HotlineDomain

/// The shipped pingshan profile, and the small test jurisdiction.
enum IntakeFixtures {
    static let now = RFC3339.date(from: "2026-11-23T10:00:00+08:00")!
    static let earlier = RFC3339.date(from: "2026-11-20T10:00:00+08:00")!

    static func profile(_ change: (inout RuleProfile) -> Void = { _ in }) -> RuleProfile {
        var profile = try! RuleProfiles.pingshan()
        change(&profile)
        return profile
    }

    static func jurisdiction() -> JurisdictionFile { try! JurisdictionFixtures.file() }

    static func context(
        profile: RuleProfile = profile(), open: [OpenTicket] = [], concluded: [ConcludedMatter] = []
    ) -> IntakeContext {
        IntakeContext(
            profile: profile, jurisdiction: jurisdiction(), citizenKeys: citizenKeys, openTickets: open,
            concludedMatters: concluded)
    }

    static let citizenKeys = try! CitizenKeys(secret: Array(repeating: 7, count: 32))

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
        _ ticketNo: String = "PS-20261120-000001", status: TicketStatus = .dispatched, category: String? = "CG-001",
        street: String? = "坑梓街道", community: String? = "秀新社区", address: String? = "秀新路12号",
        citizen: String? = "13900000099", lat: Double? = nil, lon: Double? = nil, receivedAt: Date = earlier
    ) -> OpenTicket {
        OpenTicket(
            ticketNo: ticketNo, status: status, category: category, street: street, community: community,
            addressNorm: PlaceMatching.normalizeAddress(address), citizenKey: citizenKeys.of(phone: citizen), lat: lat,
            lon: lon, receivedAt: receivedAt)
    }

    /// A point `meters` north of (lat, lon).
    static func north(of lat: Double, _ meters: Double) -> Double {
        lat + meters / (PlaceMatching.earthRadius * Double.pi / 180)
    }
}
