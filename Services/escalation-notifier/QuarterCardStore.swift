import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// Quarterly yellow and red cards (PS §20(二)) from the system of record, at each quarter's end and
/// on the center's `center.compute-cards`. Computing a quarter
/// again inserts nothing twice: `cards` is keyed by (unit, quarter, color) and `card.issued` goes to
/// the outbox only for a card newly inserted, in the same transaction.
///
/// Counts per unit and quarter:
/// - overdue (超期办结): assignments whose resolve deadline fell in the quarter and that were resolved
///   after it or are still open past it (`assignments`), together with the breaches of escalating
///   deadlines the notifier recorded (`overdue_assignments`);
/// - shirked (推诿扯皮): return requests denied by the center in the quarter, and late return requests
///   made in it (`return_requests`).
enum QuarterCardStore {
    /// What one computation found.
    struct Result: Sendable {
        var quarter: Quarter
        var counts: [UnitQuarterCounts]
        var cards: [CardsComputed.Card]
        var messages: [OutboxMessage]
    }

    /// Counts every unit with anything to count in the quarter.
    static func counts(
        _ quarter: Quarter, calendar: WorkingCalendar, now: Date, on connection: PostgresConnection
    ) throws -> [UnitQuarterCounts] {
        let (start, end) = quarter.interval(in: calendar)
        var overdue: [String: Int] = [:]
        for row in try connection.query(
            """
            SELECT unit, count(DISTINCT assignment_id)::int AS n FROM (
                SELECT unit, assignment_id FROM overdue_assignments
                WHERE deadline_at >= $1 AND deadline_at < $2 AND deadline_at < $3
                UNION
                SELECT unit, assignment_id FROM (
                    SELECT unit, assignment_id, state, ended_at, (deadlines->>'resolve_by')::timestamptz AS resolve_by
                    FROM assignments WHERE deadlines ? 'resolve_by') a
                WHERE resolve_by >= $1 AND resolve_by < $2 AND resolve_by < $3
                  AND ((ended_at IS NOT NULL AND ended_at > resolve_by AND state NOT IN ('cancelled', 'returned'))
                       OR (ended_at IS NULL AND state NOT IN ('resolved', 'cancelled', 'returned')))
            ) o GROUP BY unit
            """, [start, end, now])
        {
            overdue[try row.decode("unit")] = try row.decode("n")
        }
        var shirked: [String: Int] = [:]
        for row in try connection.query(
            """
            SELECT a.unit, count(DISTINCT r.id)::int AS n
            FROM return_requests r JOIN assignments a ON a.assignment_id = r.assignment_id
            WHERE (r.approved = false AND r.decided_at >= $1 AND r.decided_at < $2)
               OR (r.late AND r.requested_at >= $1 AND r.requested_at < $2)
            GROUP BY a.unit
            """, [start, end])
        {
            shirked[try row.decode("unit")] = try row.decode("n")
        }
        return Set(overdue.keys).union(shirked.keys).sorted().map {
            UnitQuarterCounts(unit: $0, overdue: overdue[$0] ?? 0, shirked: shirked[$0] ?? 0)
        }
    }

    /// The units yellow in a quarter: a yellow card issued then, or counts that reach the threshold.
    static func yellowUnits(
        _ quarter: Quarter, rules: CardRules, calendar: WorkingCalendar, now: Date, on connection: PostgresConnection
    ) throws -> Set<String> {
        var units = Set(try connection.query(
            "SELECT unit FROM cards WHERE quarter = $1 AND color = 'yellow'", [quarter.description]
        ).map { try $0.decode("unit", as: String.self) })
        for count in try counts(quarter, calendar: calendar, now: now, on: connection)
        where rules.isYellow(overdue: count.overdue, shirked: count.shirked) {
            units.insert(count.unit)
        }
        return units
    }

    /// Computes the quarter's cards, inserting the new ones; `messages` holds their `card.issued`, and
    /// the supervision case a new red card opens where the profile says so (PS §20(二)) for a unit of
    /// the jurisdiction (a retired unit has no queue to send the notice to).
    static func compute(
        _ quarter: Quarter, rules: CardRules, supervision: SupervisionRules, jurisdiction: JurisdictionFile, calendar: WorkingCalendar,
        now: Date, on connection: PostgresConnection
    ) throws -> Result {
        let counts = try counts(quarter, calendar: calendar, now: now, on: connection)
        var earlier: [Set<String>] = []
        var previous = quarter.previous
        for _ in 0..<max(0, rules.redAfterConsecutiveYellow - 1) {
            earlier.append(try yellowUnits(previous, rules: rules, calendar: calendar, now: now, on: connection))
            previous = previous.previous
        }
        let byUnit = Dictionary(uniqueKeysWithValues: counts.map { ($0.unit, $0) })
        var messages: [OutboxMessage] = []
        for card in QuarterCards.cards(counts: counts, earlierYellow: earlier, rules: rules) {
            let eventID = UUID().uuidString
            let count = byUnit[card.unit]
            let inserted = try connection.query(
                """
                INSERT INTO cards (unit, quarter, color, overdue, shirked, reason, event_id, issued_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING unit
                """,
                [card.unit, quarter.description, card.color.rawValue, count?.overdue ?? 0, count?.shirked ?? 0,
                 card.reason, eventID, now])
            guard !inserted.isEmpty else { continue }
            messages.append(try OutboxMessage.event(CardIssued(
                eventID: eventID, occurredAt: now, color: card.color, unit: card.unit, quarter: quarter.description,
                reason: card.reason)))
            if card.color == .red, let mode = supervision.onRedCard, jurisdiction.unit(card.unit) != nil {
                let opened = try SupervisionStore.open(
                    unit: card.unit, ticketNo: nil, ground: .redCard, mode: mode,
                    answerBy: try supervision.answerWithin.deadline(from: now, calendar: calendar),
                    note: "\(quarter) 红牌: \(card.reason)", operatorName: nil, cardQuarter: quarter.description,
                    commandID: nil, on: connection, now: now)
                messages += [try .event(opened.event), opened.notice]
            }
        }
        let newIDs = Set(messages.filter { $0.type == EventType.cardIssued.rawValue }.map(\.messageID))
        let cards = try connection.query(
            """
            SELECT unit, quarter, color, overdue, shirked, reason, event_id, issued_at FROM cards
            WHERE quarter = $1 ORDER BY unit, color DESC
            """, [quarter.description]
        ).map { row in
            CardsComputed.Card(
                unit: try row.decode("unit"),
                color: CardColor(rawValue: try row.decode("color")) ?? .yellow, overdue: try row.decode("overdue"),
                shirked: try row.decode("shirked"), reason: try row.decodeIfPresent("reason"),
                issuedAt: try row.decode("issued_at"), new: newIDs.contains(try row.decode("event_id", as: String.self)))
        }
        return Result(quarter: quarter, counts: counts, cards: cards, messages: messages)
    }

    /// At a quarter's end, once across all copies: when the quarter before `now`'s has no
    /// `card_runs` row, claims it and computes it (its messages written for `publisher`'s relays).
    /// Returns the result when this call computed it.
    static func computeEndedQuarterOnce(
        rules: CardRules, supervision: SupervisionRules, jurisdiction: JurisdictionFile, calendar: WorkingCalendar, now: Date, by: String,
        publisher: String, on connection: PostgresConnection
    ) throws -> Result? {
        let ended = Quarter(containing: calendar.localDate(of: now)).previous
        let claimed = try connection.query(
            "INSERT INTO card_runs (quarter, computed_at, computed_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING quarter",
            [ended.description, now, by])
        guard !claimed.isEmpty else { return nil }
        let result = try compute(
            ended, rules: rules, supervision: supervision, jurisdiction: jurisdiction, calendar: calendar, now: now, on: connection)
        try Outbox.enqueue(result.messages, by: publisher, on: connection, now: now)
        return result
    }
}
