import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage
import Logging

/// `ticket.resolved` → one survey per citizen: the resolved ticket's own and that of every ticket
/// merged into it (`ticket_links`), each with its SMS invitation on `hotline.notifications`
/// (`sms.citizen`, the phone read from `tickets.citizen`, never from an event) and `survey.sent`.
///
/// - Round: the handling's round, the same for every citizen of the group: 1 after the first
///   resolution, one more after every re-handling (`SV-<ticket_no>-<round>`). After a re-handling only
///   the citizens whose ticket is still open are asked again (a merged citizen who was content and
///   whose ticket closed is not asked twice); the resolved ticket's own citizen always is.
/// - An older survey of the same ticket still open when a new round starts is expired quietly (it
///   rated a handling that has been redone).
/// - Anonymous citizens, or tickets without a phone: the survey is recorded without an invitation
///   (`method` absent) and expires as no response.
/// - Catalogue items flagged `survey_excluded` (mediation, law enforcement: PS §20(一)) are surveyed
///   but not counted (`counted = false`).
struct SurveyInvitations: Sendable {
    static let consumer = "survey"
    let runtime: ServiceRuntime
    let reference: ReferenceDataCache
    let expiry: SurveyExpiry

    func handle(_ delivery: Delivery) async -> Disposition {
        let resolved: TicketResolved
        switch runtime.decodeEvent(delivery, accepting: [.ticketResolved]) {
        case .ignored:
            // `ticket.closed` (our own among them): nothing to do; recorded as seen.
            return await runtime.apply(delivery, consumer: Self.consumer) { _, _ in [] }
        case .unreadable:
            return .retry
        case .event(let event):
            guard let event = event as? TicketResolved else { return .retry }
            resolved = event
        }
        guard let ticketNo = resolved.ticketNo else { return .ack }
        guard let reference = await runtime.current(self.reference) else { return .retry }
        let eventID = resolved.eventID, assignmentID = resolved.assignmentID, unit = resolved.unit
        let logger = runtime.logger
        let disposition = await runtime.apply(delivery, consumer: Self.consumer) { connection, now in
            try Self.start(
                handled: ticketNo, assignmentID: assignmentID, unit: unit, eventID: eventID, reference: reference,
                on: connection, now: now, logger: logger)
        }
        expiry.nudge()
        return disposition
    }

    static func start(
        handled: String, assignmentID: String?, unit: String?, eventID: String, reference: ReferenceData,
        on connection: PostgresConnection, now: Date, logger: Logger
    ) throws -> [OutboxMessage] {
        // The ticket's lock, then (in the same round trip) its category, its resolving units, its citizens (the
        // resolved ticket's own, then every merged ticket still waiting) and the handling's round
        // (1 + the resolved ticket's earlier rounds: one round for the whole group).
        let results = try connection.queries([
            TicketLock.taking(handled),
            ("SELECT category FROM tickets WHERE ticket_no = $1", [handled]),
            (
                """
                SELECT DISTINCT unit FROM assignments WHERE ticket_no = $1 AND state IN ('resolved', 'closed') ORDER BY unit
                """, [handled]
            ),
            (
                """
                SELECT t.ticket_no, s.status, t.citizen::text AS citizen, (t.ticket_no = $1) AS own
                FROM tickets t JOIN ticket_status s USING (ticket_no)
                WHERE t.ticket_no IN (SELECT $1::text
                                      UNION SELECT linked_no FROM ticket_links WHERE ticket_no = $1 AND link = 'merged')
                ORDER BY own DESC, t.ticket_no
                """, [handled]
            ),
            ("SELECT coalesce(max(round), 0)::int AS n FROM surveys WHERE handled_no = $1", [handled]),
        ])
        guard let ticket = results[1].first else {
            logger.warning("ticket.resolved for an unknown ticket; no survey", metadata: ["ticket_no": "\(handled)"])
            return []
        }
        let rules = reference.profile.survey
        let category: String? = try ticket.decodeIfPresent("category")
        let catalogueExcluded = category.flatMap { reference.catalogue.item(code: $0)?.surveyExcluded } ?? false
        var units = try results[2].map { try $0.decode("unit", as: String.self) }
        if let unit, !units.contains(unit) { units.insert(unit, at: 0) }
        let round = SurveyRound(
            handled: handled, number: (try results[4].first?.decode("n") ?? 0) + 1, units: units,
            expiresAt: try rules.expiresAt(sentAt: now, calendar: reference.calendar), counted: !catalogueExcluded,
            assignmentID: assignmentID, resolvedEvent: eventID, rules: rules, profile: reference.profile.profile,
            connection: connection, now: now, logger: logger)
        var messages: [OutboxMessage] = []
        for row in results[3] {
            let own: Bool = try row.decode("own")
            let status = TicketStatus(rawValue: try row.decode("status"))
            if !own && status != .merged { continue }
            let citizenText: String = try row.decodeIfPresent("citizen") ?? "{}"
            let citizen = (try? HotlineJSON.decode(Citizen.self, from: Data(citizenText.utf8))) ?? Citizen(anonymous: true)
            messages += try round.invite(ticketNo: try row.decode("ticket_no"), citizen: citizen, own: own)
        }
        return messages
    }
}
