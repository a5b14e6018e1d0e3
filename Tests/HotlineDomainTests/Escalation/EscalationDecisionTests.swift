import Foundation
import XCTest

@testable import HotlineDomain

/// Overdue tiers (PS §19), quiet hours, templates and quarter cards.
final class EscalationDecisionTests: XCTestCase {
    private func escalation() throws -> OverdueEscalation {
        OverdueEscalation(rules: try RuleProfiles.pingshan().escalation, jurisdiction: try JurisdictionFixtures.file())
    }

    // MARK: - Tiers

    func testTierBoundariesAtThreeAndSevenDays() throws {
        let rules = try RuleProfiles.pingshan().escalation
        XCTAssertNil(rules.tier(forDaysOverdue: 0), "the breach itself is no tier")
        XCTAssertEqual(rules.tier(forDaysOverdue: 1)?.tier, 1)
        XCTAssertEqual(rules.tier(forDaysOverdue: 3)?.tier, 1, "3 days over is still tier 1 (1-3 days)")
        XCTAssertEqual(rules.tier(forDaysOverdue: 3.01)?.tier, 2, "over 3 days")
        XCTAssertEqual(rules.tier(forDaysOverdue: 4)?.tier, 2)
        XCTAssertEqual(rules.tier(forDaysOverdue: 6.99)?.tier, 2, "under 7 days")
        XCTAssertEqual(rules.tier(forDaysOverdue: 7)?.tier, 3, "7 days and more")
        XCTAssertEqual(rules.tier(forDaysOverdue: 30)?.tier, 3)
        for profile in [try RuleProfiles.pingli(), try RuleProfiles.daye()] {
            XCTAssertEqual(profile.escalation.tier(forDaysOverdue: 3)?.tier, 1, profile.profile)
            XCTAssertEqual(profile.escalation.tier(forDaysOverdue: 4)?.tier, 2, profile.profile)
            XCTAssertEqual(profile.escalation.tier(forDaysOverdue: 7)?.tier, 3, profile.profile)
        }
    }

    func testEachTierOnceAndInOrder() throws {
        let e = try escalation()
        XCTAssertEqual(e.tiersToRaise(daysOverdue: 0, alreadyRaised: []).map(\.tier), [])
        XCTAssertEqual(e.tiersToRaise(daysOverdue: 1, alreadyRaised: []).map(\.tier), [1])
        XCTAssertEqual(e.tiersToRaise(daysOverdue: 2, alreadyRaised: [1]).map(\.tier), [], "tier 1 only once")
        XCTAssertEqual(e.tiersToRaise(daysOverdue: 3, alreadyRaised: [1]).map(\.tier), [])
        XCTAssertEqual(e.tiersToRaise(daysOverdue: 4, alreadyRaised: [1]).map(\.tier), [2])
        XCTAssertEqual(e.tiersToRaise(daysOverdue: 7, alreadyRaised: [1, 2]).map(\.tier), [3])
        XCTAssertEqual(e.tiersToRaise(daysOverdue: 8, alreadyRaised: [1, 2, 3]).map(\.tier), [])
        // First heard of at day 7 (the notifier was down): 1, 2, 3 in order.
        XCTAssertEqual(e.tiersToRaise(daysOverdue: 7, alreadyRaised: []).map(\.tier), [1, 2, 3])
        XCTAssertEqual(e.tiersToRaise(daysOverdue: 5, alreadyRaised: []).map(\.tier), [1, 2])
        XCTAssertTrue(e.escalates(.resolve))
        XCTAssertTrue(e.escalates(.followUp))
        XCTAssertFalse(e.escalates(.sign))
    }

    func testRecipientsComeFromTheJurisdictionFile() throws {
        let e = try escalation()
        let tiers = e.rules.tiers
        XCTAssertEqual(e.recipients(of: tiers[0], unit: "CG"),
                       [NotificationRecipient(role: .principalHead, unitCode: "CG", name: "局长", phone: "13900000010")])
        XCTAssertEqual(e.recipients(of: tiers[1], unit: "CG"),
                       [NotificationRecipient(role: .leaderInCharge, unitCode: "CG", name: "分管副区长", phone: "13900000002")])
        XCTAssertEqual(e.recipients(of: tiers[2], unit: "CG"),
                       [NotificationRecipient(role: .districtPrincipal, name: "区长", phone: "13900000001")])
        // ZJ has no leader in charge in the file: the recipient is named by role only.
        XCTAssertEqual(e.recipients(of: tiers[1], unit: "ZJ"), [NotificationRecipient(role: .leaderInCharge, unitCode: "ZJ")])
        XCTAssertEqual(
            OverdueEscalation.dedupKey(
                assignmentID: "A1", deadline: .resolve, deadlineAt: Date(timeIntervalSince1970: 1_700_000_000), tier: 2,
                recipient: e.recipients(of: tiers[1], unit: "CG")[0]),
            "escalation:A1:resolve@1700000000:tier2:leader_in_charge")
    }

    // MARK: - Quiet hours

    func testQuietHoursWaitForTheNextWorkingHour() throws {
        let calendar = try CalendarFixtures.calendar()
        let rules = NotificationRules.standard
        func after(_ at: String, urgent: Bool = false, audience: NotificationAudience = .official) throws -> String {
            CalendarFixtures.local(try QuietHours.sendAfter(
                now: CalendarFixtures.at(at), urgent: urgent, audience: audience, rules: rules, calendar: calendar))
        }
        // 2026-11-24 is a Tuesday.
        XCTAssertEqual(try after("2026-11-24T10:30:00"), "2026-11-24T10:30:00", "in working hours: at once")
        XCTAssertEqual(try after("2026-11-24T03:00:00"), "2026-11-24T09:00:00", "night: the morning")
        XCTAssertEqual(try after("2026-11-24T12:30:00"), "2026-11-24T14:00:00", "lunch break: the afternoon")
        XCTAssertEqual(try after("2026-11-24T18:00:00"), "2026-11-25T09:00:00", "18:00 is outside")
        XCTAssertEqual(try after("2026-11-27T20:00:00"), "2026-11-30T09:00:00", "Friday night: Monday")
        XCTAssertEqual(try after("2026-09-30T19:00:00"), "2026-10-08T09:00:00", "National Day holiday (1-7 October in the fixture)")
        XCTAssertEqual(try after("2026-11-24T03:00:00", urgent: true), "2026-11-24T03:00:00", "urgent: at once")
        XCTAssertEqual(try after("2026-11-24T03:00:00", audience: .citizen), "2026-11-24T03:00:00")
        var off = rules
        off.quietHours = false
        XCTAssertEqual(CalendarFixtures.local(try QuietHours.sendAfter(
            now: CalendarFixtures.at("2026-11-24T03:00:00"), urgent: false, audience: .unit, rules: off,
            calendar: calendar)), "2026-11-24T03:00:00")
    }

    // MARK: - Templates

    func testTemplatesRenderPlaceholders() throws {
        XCTAssertEqual(NotificationText.render("工单{ticket_no}超期{days}天{missing}。{not one}", values: ["ticket_no": "PS-1", "days": "3"]),
                       "工单PS-1超期3天。{not one}")
        XCTAssertEqual(NotificationText.render("{open", values: [:]), "{open")
        let calendar = try CalendarFixtures.calendar()
        XCTAssertEqual(NotificationText.localTime(CalendarFixtures.at("2026-11-24T18:00:00"), calendar: calendar), "2026-11-24 18:00")
        let standard = NotificationRules.standard
        XCTAssertNotNil(standard.template("escalation.tier2", fallback: "escalation"))
        for kind in AlertKind.allCases {
            XCTAssertNotNil(standard.template("alert.\(kind.rawValue)"), kind.rawValue)
            XCTAssertNotNil(standard.alerts[kind.rawValue], kind.rawValue)
        }
        // A profile overrides one template and keeps the others.
        let json = #"{"templates": {"sla.warning": "催办{ticket_no}"}, "urgent_tiers": [3]}"#
        let rules = try JSONDecoder().decode(NotificationRules.self, from: Data(json.utf8))
        XCTAssertEqual(rules.templates["sla.warning"], "催办{ticket_no}")
        XCTAssertEqual(rules.templates["escalation"], standard.templates["escalation"])
        XCTAssertEqual(rules.urgentTiers, [3])
        XCTAssertTrue(rules.quietHours)
    }

    // MARK: - Cards

    func testQuarters() throws {
        XCTAssertEqual(Quarter("2026Q3")?.description, "2026Q3")
        XCTAssertEqual(Quarter("2026q1")?.previous.description, "2025Q4")
        XCTAssertEqual(Quarter("2026Q4")?.next.description, "2027Q1")
        XCTAssertNil(Quarter("2026Q5"))
        XCTAssertNil(Quarter("Q3"))
        XCTAssertEqual(Quarter(containing: CalendarDate("2026-09-30")!).description, "2026Q3")
        XCTAssertEqual(Quarter(containing: CalendarDate("2026-10-01")!).description, "2026Q4")
        let calendar = try CalendarFixtures.calendar()
        let (start, end) = Quarter("2026Q3")!.interval(in: calendar)
        XCTAssertEqual(CalendarFixtures.local(start), "2026-07-01T00:00:00")
        XCTAssertEqual(CalendarFixtures.local(end), "2026-10-01T00:00:00")
    }

    func testYellowAtTheThresholdAndRedForTwoYellowQuartersInARow() throws {
        let rules = try RuleProfiles.pingshan().cards   // yellow at 10 overdue or 3 shirked; red after 2
        let counts = [
            UnitQuarterCounts(unit: "CG", overdue: 10, shirked: 0),
            UnitQuarterCounts(unit: "ZJ", overdue: 9, shirked: 2),
            UnitQuarterCounts(unit: "HB", overdue: 0, shirked: 3),
        ]
        let first = QuarterCards.cards(counts: counts, earlierYellow: [[]], rules: rules)
        XCTAssertEqual(first.map { "\($0.unit):\($0.color.rawValue)" }, ["CG:yellow", "HB:yellow"])
        let second = QuarterCards.cards(counts: counts, earlierYellow: [["CG", "ZJ"]], rules: rules)
        XCTAssertEqual(second.map { "\($0.unit):\($0.color.rawValue)" }, ["CG:yellow", "CG:red", "HB:yellow"])
        XCTAssertEqual(QuarterCards.cards(counts: counts, earlierYellow: [], rules: rules).filter { $0.color == .red }, [],
                       "no earlier quarter known: no red card")
    }
}
