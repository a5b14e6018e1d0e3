import Foundation
import XCTest

@testable import HotlineDomain

/// Early warnings (PS §17, DY (12)): who is warned, thresholds, and one alert per window.
final class AlertPlannerTests: XCTestCase {
    private func planner() throws -> AlertPlanner {
        let profile = try RuleProfiles.pingshan()
        return AlertPlanner(
            rules: profile.alerts, notifications: profile.escalation.notificationRules,
            jurisdiction: try JurisdictionFixtures.file(), calendar: try CalendarFixtures.calendar())
    }

    private func subject(
        _ no: String, at: String, urgency: Urgency = .normal, category: String? = "CG-001", community: String = "秀新社区",
        citizen: String? = nil, text: String = "门口占道经营", own: Bool = true
    ) -> AlertSubject {
        AlertSubject(
            ticketNo: no, urgency: urgency, category: category, street: "坑梓街道", community: community, text: text,
            receivedAt: CalendarFixtures.at(at), citizenKey: citizen ?? "citizen-\(no)", ownTicket: own)
    }

    func testUrgentTicketWarnsTheListedUnitsAndFastTheStreetOffice() throws {
        let p = try planner()
        let urgent = try p.plan(subject("PS-1", at: "2026-11-24T10:00:00", urgency: .urgent), observations: [:])
        XCTAssertEqual(urgent.map(\.kind), [.safety])
        XCTAssertEqual(urgent.first?.units, ["ZFW", "YJ", "XF"])
        XCTAssertEqual(urgent.first?.windowKey, "safety:PS-1")
        let fast = try p.plan(subject("PS-2", at: "2026-11-24T10:00:00", urgency: .fast), observations: [:])
        XCTAssertEqual(fast.first?.units, ["KZ"])
        XCTAssertEqual(try p.plan(subject("PS-3", at: "2026-11-24T10:00:00"), observations: [:]), [], "normal: nothing")
        XCTAssertEqual(try p.plan(subject("PS-4", at: "2026-11-24T10:00:00", urgency: .urgent, own: false), observations: [:]), [],
                       "a merged demand is no ticket of its own to warn about")
    }

    func testSensitiveWording() throws {
        let p = try planner()
        let alerts = try p.plan(subject("PS-5", at: "2026-11-24T10:00:00", text: "业主准备集体上访并拉横幅"), observations: [:])
        XCTAssertEqual(alerts.map(\.kind), [.sensitive])
        XCTAssertEqual(alerts.first?.words, ["集体上访", "上访", "拉横幅"])
        XCTAssertEqual(alerts.first?.units, ["CG"], "the catalogue item's owner")
        XCTAssertEqual(alerts.first?.windowKey, "sensitive:PS-5")
    }

    func testHotspotThreeCitizensIn24HoursOneAlertPerBurst() throws {
        let p = try planner()
        let times = ["2026-11-24T08:00:00", "2026-11-24T09:00:00", "2026-11-24T10:00:00", "2026-11-24T11:00:00", "2026-11-24T12:00:00"]
        let subjects = times.enumerated().map { subject("PS-H\($0.offset)", at: $0.element) }
        var keys: [String] = []
        for (index, s) in subjects.enumerated() {
            let history = Array(subjects[..<index]).map(\.observation)
            let alert = try p.counting(.hotspot, p.rules.hotspot, subject: s, observations: history)
            if index < 2 { XCTAssertNil(alert, "\(index + 1) citizens") } else {
                XCTAssertEqual(alert?.count, index + 1)
                keys.append(try XCTUnwrap(alert).windowKey)
            }
        }
        XCTAssertEqual(Set(keys), ["hotspot:CG-001:秀新社区:20261124T0000"], "five tickets, one window key")
        // The same citizen three times is not a hotspot (distinct citizens), but a repeat caller.
        let same = times.prefix(3).enumerated().map { subject("PS-S\($0.offset)", at: $0.element, citizen: "abc") }
        XCTAssertNil(try p.counting(.hotspot, p.rules.hotspot, subject: same[2], observations: same.prefix(2).map(\.observation)))
        let repeated = try XCTUnwrap(p.counting(.repeatCaller, p.rules.repeatCaller, subject: same[2], observations: same.prefix(2).map(\.observation)))
        XCTAssertEqual(repeated.windowKey, "repeat_caller:abc:CG-001:20261103T0000", "30-day windows from local midnight of the epoch")
        XCTAssertEqual(repeated.units, ["CG"])
        // Outside the 24 h window the earlier ones do not count.
        let late = subject("PS-L", at: "2026-11-25T09:30:00")
        XCTAssertNil(try p.counting(.hotspot, p.rules.hotspot, subject: late, observations: subjects.prefix(2).map(\.observation)))
        // Another community is another group.
        let other = subject("PS-O", at: "2026-11-24T13:00:00", community: "坑梓社区")
        XCTAssertNil(try p.counting(.hotspot, p.rules.hotspot, subject: other, observations: []))
    }

    func testTheEarliestDemandsReadDecideAsTheWholeWindowWould() throws {
        let p = try planner()
        // Counting tickets: the threshold's count of earliest demands; counting citizens: eight times it.
        XCTAssertEqual(p.observationLimit(p.rules.highFrequency), 5)
        XCTAssertEqual(p.observationLimit(p.rules.hotspot), 24)
        let times = (0..<30).map { String(format: "2026-11-24T08:%02d:00", $0) }
        // 24 demands of one citizen: not decided (the 25th may be a third citizen); the full read is needed.
        let oneCitizen = times.prefix(24).enumerated().map { subject("PS-C\($0.offset)", at: $0.element, citizen: "abc") }
        let latest = subject("PS-X", at: "2026-11-24T09:00:00", citizen: "xyz")
        XCTAssertFalse(p.isDecided(p.rules.hotspot, subject: latest, observations: oneCitizen.map(\.observation), limit: 24))
        // Fewer than asked: that is all there is. Enough citizens among them: the count is reached.
        XCTAssertTrue(p.isDecided(p.rules.hotspot, subject: latest, observations: oneCitizen.prefix(10).map(\.observation), limit: 24))
        let mixed = oneCitizen.prefix(23).map(\.observation) + [subject("PS-Y", at: "2026-11-24T08:50:00", citizen: "def").observation]
        XCTAssertTrue(p.isDecided(p.rules.hotspot, subject: latest, observations: mixed, limit: 24))
        XCTAssertNotNil(try p.counting(.hotspot, p.rules.hotspot, subject: latest, observations: mixed))
        // Counting tickets is always decided by the earliest `count`.
        XCTAssertTrue(p.isDecided(
            p.rules.highFrequency, subject: latest, observations: oneCitizen.prefix(5).map(\.observation), limit: 5))
    }

    func testABurstAcrossMidnightStaysInTheWindowOfItsFirstDemand() throws {
        let p = try planner()
        let times = ["2026-11-24T23:00:00", "2026-11-24T23:30:00", "2026-11-25T00:30:00", "2026-11-25T01:00:00"]
        let subjects = times.enumerated().map { subject("PS-M\($0.offset)", at: $0.element) }
        let third = try XCTUnwrap(p.counting(.hotspot, p.rules.hotspot, subject: subjects[2], observations: subjects.prefix(2).map(\.observation)))
        let fourth = try XCTUnwrap(p.counting(.hotspot, p.rules.hotspot, subject: subjects[3], observations: subjects.prefix(3).map(\.observation)))
        XCTAssertEqual(third.windowKey, "hotspot:CG-001:秀新社区:20261124T0000")
        XCTAssertEqual(fourth.windowKey, third.windowKey)
    }

    func testHighFrequencyFiveTimesIn30Days() throws {
        let p = try planner()
        let days = ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-20", "2026-11-24"]
        let subjects = days.enumerated().map { subject("PS-F\($0.offset)", at: "\($0.element)T10:00:00") }
        XCTAssertNil(try p.counting(.highFrequency, p.rules.highFrequency, subject: subjects[3], observations: subjects.prefix(3).map(\.observation)))
        let alert = try XCTUnwrap(p.counting(.highFrequency, p.rules.highFrequency, subject: subjects[4], observations: subjects.prefix(4).map(\.observation)))
        XCTAssertEqual(alert.count, 5)
        XCTAssertTrue(alert.windowKey.hasPrefix("high_frequency:CG-001:秀新社区:"))
        // No category: not counted.
        XCTAssertNil(try p.counting(.highFrequency, p.rules.highFrequency, subject: subject("PS-X", at: "2026-11-24T10:00:00", category: nil), observations: subjects.map(\.observation)))
    }
}
