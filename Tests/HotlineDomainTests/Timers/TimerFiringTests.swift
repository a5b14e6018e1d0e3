import Foundation
import XCTest

@testable import HotlineDomain

/// Reconciling stored timers with the planned ones, and what a due timer publishes.
final class TimerFiringTests: XCTestCase {
    private typealias F = CalendarFixtures

    private func spec(_ purpose: String, _ action: TimerAction, due: String, deadline: String, days: Int? = nil) -> TimerSpec {
        TimerSpec(
            purpose: purpose, deadline: .resolve, action: action, dueAt: F.at(due), deadlineAt: F.at(deadline),
            daysOverdue: days)
    }

    private func stored(_ id: Int64, _ purpose: String, _ action: TimerAction, due: String, deadline: String, pending: Bool = true)
        -> TimerReconciliation.Stored
    {
        TimerReconciliation.Stored(
            id: id, purpose: purpose, action: action, dueAt: F.at(due), deadlineAt: F.at(deadline), pending: pending)
    }

    func testUnchangedTimersStayAndMovedOnesAreReplaced() {
        let desired = [
            spec("resolve.warning.1", .warning, due: "2025-03-25T09:15:00", deadline: "2025-03-26T18:00:00"),
            spec("resolve.breach", .breach, due: "2025-03-26T18:00:00", deadline: "2025-03-26T18:00:00", days: 0),
            spec("resolve.overdue", .overdue, due: "2025-03-27T18:00:00", deadline: "2025-03-26T18:00:00", days: 1),
        ]
        let plan = TimerReconciliation.plan(
            desired: desired,
            stored: [
                // the old deadline's warnings and breach: replaced
                stored(1, "resolve.warning.1", .warning, due: "2025-03-18T09:15:00", deadline: "2025-03-19T18:00:00", pending: false),
                stored(2, "resolve.breach", .breach, due: "2025-03-19T18:00:00", deadline: "2025-03-19T18:00:00"),
                stored(3, "resolve.overdue", .overdue, due: "2025-03-20T18:00:00", deadline: "2025-03-19T18:00:00"),
                stored(4, "sign.breach", .breach, due: "2025-03-10T15:00:00", deadline: "2025-03-10T15:00:00"),
            ],
            now: F.at("2025-03-18T10:00:00"))
        XCTAssertEqual(Set(plan.delete), [2, 3, 4])
        XCTAssertEqual(plan.insert, [TimerChain(next: desired[0], later: Array(desired[1...]))], "the deadline's next firing carries the later ones")

        let armed = TimerReconciliation.Stored(
            id: 10, purpose: desired[0].purpose, action: desired[0].action, dueAt: desired[0].dueAt,
            deadlineAt: desired[0].deadlineAt, pending: true, later: Array(desired[1...]))
        let again = TimerReconciliation.plan(desired: desired, stored: [armed], now: F.at("2025-03-18T10:00:00"))
        XCTAssertTrue(again.isEmpty, "arming the same plan twice changes nothing")

        var shorter = armed
        shorter.later.removeLast()
        let changed = TimerReconciliation.plan(desired: desired, stored: [shorter], now: F.at("2025-03-18T10:00:00"))
        XCTAssertEqual(changed.delete, [10], "a timer whose later firings differ is replaced")
        XCTAssertEqual(changed.insert.map(\.next.purpose), ["resolve.warning.1"])
    }

    func testTimersArmedOneByOneBecomeAChain() {
        let desired = [
            spec("resolve.warning.1", .warning, due: "2025-03-25T09:15:00", deadline: "2025-03-26T18:00:00"),
            spec("resolve.breach", .breach, due: "2025-03-26T18:00:00", deadline: "2025-03-26T18:00:00", days: 0),
        ]
        let plan = TimerReconciliation.plan(
            desired: desired,
            stored: [
                stored(1, "resolve.warning.1", .warning, due: "2025-03-25T09:15:00", deadline: "2025-03-26T18:00:00"),
                stored(2, "resolve.breach", .breach, due: "2025-03-26T18:00:00", deadline: "2025-03-26T18:00:00"),
            ],
            now: F.at("2025-03-18T10:00:00"))
        XCTAssertEqual(Set(plan.delete), [1, 2])
        XCTAssertEqual(plan.insert, [TimerChain(next: desired[0], later: [desired[1]])])
    }

    func testEachDeadlineIsItsOwnChain() {
        let sign = TimerSpec(
            purpose: "sign.breach", deadline: .sign, action: .breach, dueAt: F.at("2025-03-10T15:00:00"),
            deadlineAt: F.at("2025-03-10T15:00:00"), daysOverdue: 0)
        let resolve = [
            spec("resolve.warning.1", .warning, due: "2025-03-25T09:15:00", deadline: "2025-03-26T18:00:00"),
            spec("resolve.breach", .breach, due: "2025-03-26T18:00:00", deadline: "2025-03-26T18:00:00", days: 0),
        ]
        XCTAssertEqual(
            TimerChain.chains(of: [sign] + resolve),
            [TimerChain(next: sign), TimerChain(next: resolve[0], later: [resolve[1]])])
    }

    func testAFiredTimerArmsTheNextFiringAndSkipsPastWarnings() {
        let later = [
            spec("resolve.warning.2", .warning, due: "2025-03-19T17:00:00", deadline: "2025-03-19T18:00:00"),
            spec("resolve.breach", .breach, due: "2025-03-19T18:00:00", deadline: "2025-03-19T18:00:00", days: 0),
            spec("resolve.overdue", .overdue, due: "2025-03-20T18:00:00", deadline: "2025-03-19T18:00:00", days: 1),
        ]
        XCTAssertEqual(
            TimerChain.after(firing: later, now: F.at("2025-03-18T10:00:00")),
            TimerChain(next: later[0], later: Array(later[1...])))
        XCTAssertEqual(
            TimerChain.after(firing: later, now: F.at("2025-03-19T17:30:00")),
            TimerChain(next: later[1], later: [later[2]]), "the passed warning is skipped, the breach is next")
        XCTAssertEqual(
            TimerChain.after(firing: later, now: F.at("2025-03-19T19:00:00")),
            TimerChain(next: later[1], later: [later[2]]), "a late breach still fires, at once")
        XCTAssertNil(TimerChain.after(firing: [], now: F.at("2025-03-18T10:00:00")))
    }

    func testLaterFiringsAreStoredAndReadBack() throws {
        let later = [
            spec("resolve.breach", .breach, due: "2025-03-19T18:00:00", deadline: "2025-03-19T18:00:00", days: 0),
            spec("resolve.overdue", .overdue, due: "2025-03-20T18:00:00", deadline: "2025-03-19T18:00:00", days: 1),
        ]
        XCTAssertEqual(try TimerChain.decode(later: TimerChain.encode(later: later)), later)
        XCTAssertNil(TimerChain.encode(later: []))
        let stored = try XCTUnwrap(TimerChain.encode(later: later))
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [[String: Any]], stored)
        XCTAssertEqual(try TimerChain.decode(later: nil), [])
        XCTAssertThrowsError(try TimerChain.decode(later: "{"))
    }

    func testAFiringIsNeverArmedTwiceAndPastWarningsAreSkipped() {
        let desired = [
            spec("resolve.warning.1", .warning, due: "2025-03-18T09:15:00", deadline: "2025-03-19T18:00:00"),
            spec("resolve.warning.2", .warning, due: "2025-03-19T17:00:00", deadline: "2025-03-19T18:00:00"),
            spec("resolve.breach", .breach, due: "2025-03-19T18:00:00", deadline: "2025-03-19T18:00:00", days: 0),
            spec("resolve.overdue", .overdue, due: "2025-03-21T18:00:00", deadline: "2025-03-19T18:00:00", days: 2),
        ]
        let plan = TimerReconciliation.plan(
            desired: desired,
            stored: [
                stored(1, "resolve.breach", .breach, due: "2025-03-19T18:00:00", deadline: "2025-03-19T18:00:00", pending: false),
                // the overdue tick already moved on: same deadline, kept as it is
                stored(2, "resolve.overdue", .overdue, due: "2025-03-21T18:00:00", deadline: "2025-03-19T18:00:00"),
            ],
            now: F.at("2025-03-20T20:00:00"))
        XCTAssertEqual(plan, TimerReconciliation.Plan(), "fired breach not again, past warnings not at all")

        let late = TimerReconciliation.plan(desired: desired, stored: [], now: F.at("2025-03-20T20:00:00"))
        XCTAssertEqual(late.insert.map(\.next.purpose), ["resolve.breach"], "a late breach still fires, at once")
        XCTAssertEqual(late.insert.first?.later.map(\.purpose), ["resolve.overdue"])
    }

    private func due(
        _ action: TimerAction, deadline: DeadlineKind = .resolve, at: String = "2025-03-19T18:00:00",
        deadlineAt: String = "2025-03-19T18:00:00", days: Int? = nil, state: AssignmentState? = .signed
    ) -> TimerFiring.DueTimer {
        TimerFiring.DueTimer(
            id: 1, ticketNo: "PS-20250310-000001", assignmentID: "PS-20250310-000001-CG", unit: "CG", deadline: deadline,
            action: action, dueAt: F.at(at), deadlineAt: F.at(deadlineAt), daysOverdue: days, assignmentState: state)
    }

    func testWarningAndBreachEvents() throws {
        guard case .fire(.warning(let warning)) = TimerFiring.decide(
            due(.warning, at: "2025-03-19T17:00:00"), now: F.at("2025-03-19T17:00:00.300+08:00"), eventID: "E1")
        else { return XCTFail("a warning fires") }
        XCTAssertEqual(warning.eventID, "E1")
        XCTAssertEqual(warning.assignmentID, "PS-20250310-000001-CG")
        XCTAssertEqual(warning.unit, "CG")
        XCTAssertEqual(warning.deadline, .resolve)
        XCTAssertEqual(warning.dueAt, F.at("2025-03-19T18:00:00"), "due_at is the deadline, not the warning point")

        guard case .fire(.breached(let breach)) = TimerFiring.decide(
            due(.breach, deadline: .sign, state: .pending), now: F.at("2025-03-19T18:00:00.500+08:00"), eventID: "E2")
        else { return XCTFail("the sign breach fires for a pending assignment") }
        XCTAssertEqual(breach.deadline, .sign)
        XCTAssertEqual(breach.daysOverdue, 0)
        let json = try JSONSerialization.jsonObject(with: try HotlineJSON.encode(breach)) as? [String: Any]
        XCTAssertEqual(json?["type"] as? String, "sla.breached")
        XCTAssertEqual(json?["due_at"] as? String, "2025-03-19T18:00:00+08:00")
        XCTAssertEqual(json?["days_overdue"] as? Int, 0)
    }

    func testOverdueTickReportsWholeDaysAndMovesOn() {
        guard case .fireAndReschedule(.breached(let tick), let next, let nextDays) = TimerFiring.decide(
            due(.overdue, at: "2025-03-21T18:00:00", days: 2), now: F.at("2025-03-21T18:00:00.400+08:00"), eventID: "E3")
        else { return XCTFail("the overdue tick fires and stays") }
        XCTAssertEqual(tick.daysOverdue, 2)
        XCTAssertEqual(F.local(next), "2025-03-22T18:00:00")
        XCTAssertEqual(nextDays, 3)

        // After an outage the ticks missed are not sent one by one.
        guard case .fireAndReschedule(.breached(let caughtUp), let after, let afterDays) = TimerFiring.decide(
            due(.overdue, at: "2025-03-21T18:00:00", days: 2), now: F.at("2025-03-24T19:00:00"), eventID: "E4")
        else { return XCTFail("the overdue tick fires") }
        XCTAssertEqual(caughtUp.daysOverdue, 5)
        XCTAssertEqual(F.local(after), "2025-03-25T18:00:00")
        XCTAssertEqual(afterDays, 6)
    }

    func testTimersOfAssignmentsThatMovedOnAreDropped() {
        let now = F.at("2025-03-19T18:00:01")
        for state in [AssignmentState.returned, .resolved, .cancelled, .closed, .returnRequested] {
            XCTAssertEqual(TimerFiring.decide(due(.breach, state: state), now: now, eventID: "E"), .drop, state.rawValue)
        }
        XCTAssertEqual(TimerFiring.decide(due(.breach, deadline: .sign, state: .signed), now: now, eventID: "E"), .drop)
        XCTAssertEqual(TimerFiring.decide(due(.breach, state: .resolutionSubmitted), now: now, eventID: "E"), .drop)
        XCTAssertNotEqual(
            TimerFiring.decide(due(.breach, deadline: .notify, state: .resolutionSubmitted), now: now, eventID: "E"), .drop)
        XCTAssertNotEqual(TimerFiring.decide(due(.breach, state: nil), now: now, eventID: "E"), .drop, "no row: fire")
    }
}

/// The poller's fast time formatting writes exactly what `HotlineJSON` writes.
final class EventTimeTests: XCTestCase {
    func testSameTextAsTheContractFormatter() {
        var generator = SystemRandomNumberGenerator()
        let offset = HotlineJSON.outputTimeZone.secondsFromGMT(for: Date())
        var samples: [Date] = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -0.5), Date(timeIntervalSince1970: 1.999),
            CalendarFixtures.at("2024-02-29T23:59:59"), CalendarFixtures.at("2026-12-31T16:00:00"),
            CalendarFixtures.at("2026-12-31T15:59:59.9+00:00"),
        ]
        for _ in 0..<2_000 {
            samples.append(Date(timeIntervalSince1970: Double.random(in: 946_684_800...4_102_444_800, using: &generator)))
        }
        // Foundation's formatter is the reference the formatter-free code must match.
        let reference = ISO8601DateFormatter()
        reference.timeZone = HotlineJSON.outputTimeZone
        reference.formatOptions = [.withInternetDateTime]
        let precise = ISO8601DateFormatter()
        precise.timeZone = TimeZone(identifier: "UTC")
        precise.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for date in samples {
            XCTAssertEqual(EventTime.string(date, offsetSeconds: offset), reference.string(from: date), "\(date.timeIntervalSince1970)")
            XCTAssertEqual(RFC3339.string(from: date), reference.string(from: date))
            XCTAssertEqual(RFC3339.preciseString(from: date), precise.string(from: date), "\(date.timeIntervalSince1970)")
            let parsed = RFC3339.date(from: RFC3339.preciseString(from: date))
            XCTAssertEqual(parsed?.timeIntervalSince1970 ?? 0, date.timeIntervalSince1970, accuracy: 0.0006)
        }
    }

    func testEventBodiesMatchHotlineJSON() throws {
        let breach = SLABreached(
            eventID: "E", occurredAt: Date(timeIntervalSince1970: 1_795_000_123.456), ticketNo: "PS-20261123-000001",
            assignmentID: "A/1", unit: "CG", deadline: .resolve, dueAt: CalendarFixtures.at("2026-11-30T18:00:00"),
            daysOverdue: 3)
        XCTAssertEqual(
            try TimerFiring.Event.breached(breach).encodedBody(using: EventTime.encoder()), try HotlineJSON.encode(breach))
        let warning = SLAWarning(
            eventID: "W", occurredAt: Date(), ticketNo: nil, deadline: .dispatch, dueAt: CalendarFixtures.at("2026-11-24T11:15:00"))
        XCTAssertEqual(
            try TimerFiring.Event.warning(warning).encodedBody(using: EventTime.encoder()), try HotlineJSON.encode(warning))
    }
}
