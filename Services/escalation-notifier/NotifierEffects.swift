import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage
import Logging

/// One event's effect inside the handling transaction: only SQL and pure decisions; the messages it
/// causes are returned for the outbox.
struct NotifierEffects {
    let reference: ReferenceData
    let connection: PostgresConnection
    let now: Date
    let logger: Logger

    var rules: NotificationRules { reference.profile.escalation.notificationRules }
    var calendar: WorkingCalendar { reference.calendar }

    func apply(_ event: any HotlineEvent) throws -> [OutboxMessage] {
        switch event {
        case let warning as SLAWarning:
            return try urge(warning)
        case let breached as SLABreached:
            return try escalate(breached)
        case let accepted as TicketAccepted:
            guard let ticketNo = accepted.ticketNo else { return [] }
            return try warn(ticketNo, ownTicket: true)
        case let merged as TicketMerged:
            guard let ticketNo = merged.ticketNo else { return [] }
            return try warn(ticketNo, ownTicket: false)
        case let split as TicketSplit:
            return try split.children.flatMap { try warn($0, ownTicket: true) }
        case let resolved as TicketResolved:
            try stop(resolved.ticketNo, reason: "resolved")
            return []
        case let closed as TicketClosed:
            try stop(closed.ticketNo, reason: "closed")
            return []
        case let reopened as TicketReopened:
            if let ticketNo = reopened.ticketNo {
                connection.write("DELETE FROM escalation_stops WHERE ticket_no = $1", [ticketNo])
            }
            return []
        default:
            return []
        }
    }

    // MARK: - Urging (PS §18(一) 系统自动催办)

    /// The unit gets `assignment.reminder` in its queue and an `oa.unit` letter, once per warning.
    func urge(_ warning: SLAWarning) throws -> [OutboxMessage] {
        if warning.deadline == .knowledgeCorrection {
            return try tellUnit(.correctionReminder, warning.correctionID, warning.knowledgeID, warning.unit, warning.dueAt, warning.occurredAt)
        }
        guard let assignmentID = warning.assignmentID, let unit = warning.unit, let ticketNo = warning.ticketNo else {
            return []   // the dispatch deadline is the center's own
        }
        if try isStopped(ticketNo: ticketNo, assignmentID: assignmentID) { return [] }
        let ticket = try TicketFacts.load(ticketNo, on: connection)
        let unitName = reference.jurisdiction.unit(unit)?.name ?? unit
        let values = [
            "ticket_no": ticketNo, "unit": unit, "unit_name": unitName,
            "deadline": warning.deadline.rawValue, "deadline_name": NotificationText.deadlineName(warning.deadline),
            "due_at": NotificationText.localTime(warning.dueAt, calendar: calendar),
        ]
        let text = NotificationText.render(rules.template("sla.warning") ?? "", values: values)
        // Both warning points of a deadline share its due time; the warning's own time tells them apart,
        // and a copy of the same warning (same times) is the same key.
        let key = "reminder:\(assignmentID):\(warning.deadline.rawValue):\(Int(warning.dueAt.timeIntervalSince1970)):\(Int(warning.occurredAt.timeIntervalSince1970))"
        let draft = NotificationDraft(
            channel: .oa, audience: .unit,
            recipient: NotificationRecipient(role: .unit, unitCode: unit, name: unitName),
            template: "sla.warning", text: text, ticketNo: ticketNo, dedupKey: key, urgent: ticket?.urgency == .urgent)
        var (isNew, messages) = try NotificationStore.record(draft, rules: rules, calendar: calendar, now: now, on: connection)
        guard isNew else { return [] }   // this warning was handled already (a copy with another message id)
        let reminder = AssignmentMessage.reminder(AssignmentReminder(
            assignmentID: assignmentID, ticketNo: ticketNo, deadline: warning.deadline, dueAt: warning.dueAt, note: text))
        messages.append(try .toUnit(reminder, unit: unit))
        logger.info("unit urged", metadata: ["assignment_id": "\(assignmentID)", "deadline": "\(warning.deadline.rawValue)"])
        return messages
    }

    /// A knowledge-base correction's reminder or overdue notice (PS §22(五)) goes to the unit's queue,
    /// its `message_id` made from the firing (a copy of the same firing is the same message to the
    /// unit); the correction itself is the knowledge service's record.
    private func tellUnit(
        _ type: KnowledgeMessageType, _ correctionID: String?, _ knowledgeID: String?, _ unit: String?, _ dueAt: Date,
        _ firedAt: Date
    ) throws -> [OutboxMessage] {
        guard let correctionID, let knowledgeID, let unit else { return [] }
        logger.info("knowledge correction notice", metadata: ["correction_id": "\(correctionID)", "type": "\(type.rawValue)"])
        let notice = KnowledgeCorrectionMessage(correctionID: correctionID, knowledgeID: knowledgeID, dueAt: dueAt)
        var message = try OutboxMessage.toUnit(notice, type: type, unit: unit)
        message.messageID = "\(type.rawValue):\(correctionID):\(Int(firedAt.timeIntervalSince1970))"
        return [message]
    }

    // MARK: - Overdue tiers (PS §19)

    func escalate(_ breached: SLABreached) throws -> [OutboxMessage] {
        if breached.deadline == .knowledgeCorrection {
            return try tellUnit(.correctionOverdue, breached.correctionID, breached.knowledgeID, breached.unit, breached.dueAt, breached.occurredAt)
        }
        let escalation = OverdueEscalation(rules: reference.profile.escalation, jurisdiction: reference.jurisdiction)
        guard let assignmentID = breached.assignmentID, let unit = breached.unit, escalation.escalates(breached.deadline)
        else { return [] }
        if try isStopped(ticketNo: breached.ticketNo, assignmentID: assignmentID) { return [] }
        connection.write(
            """
            INSERT INTO overdue_assignments (assignment_id, deadline, ticket_no, unit, deadline_at, recorded_at)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING
            """, [assignmentID, breached.deadline.rawValue, breached.ticketNo, unit, breached.dueAt, now])
        let days = breached.daysOverdue ?? 0
        // Each deadline period goes through the tiers on its own (a reopened or extended assignment
        // overdue again escalates again).
        let raised = Set(try connection.query(
            "SELECT tier FROM escalations WHERE assignment_id = $1 AND deadline = $2 AND deadline_at = $3",
            [assignmentID, breached.deadline.rawValue, breached.dueAt]
        ).map { try $0.decode("tier", as: Int.self) })
        let tiers = escalation.tiersToRaise(daysOverdue: days, alreadyRaised: raised)
        guard !tiers.isEmpty else { return [] }
        let ticket = try breached.ticketNo.flatMap { try TicketFacts.load($0, on: connection) }
        let unitName = reference.jurisdiction.unit(unit)?.name ?? unit
        var messages: [OutboxMessage] = []
        for tier in tiers {
            let recipients = escalation.recipients(of: tier, unit: unit)
            let eventID = UUID().uuidString
            let inserted = try connection.query(
                """
                INSERT INTO escalations (assignment_id, ticket_no, unit, tier, deadline, deadline_at, days_overdue, recipients,
                                         event_id, raised_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10) ON CONFLICT DO NOTHING RETURNING tier
                """,
                [assignmentID, breached.ticketNo, unit, tier.tier, breached.deadline.rawValue, breached.dueAt, days,
                 String(decoding: try HotlineJSON.encode(recipients), as: UTF8.self), eventID, now])
            guard !inserted.isEmpty else { continue }
            messages.append(try OutboxMessage.event(EscalationRaised(
                eventID: eventID, occurredAt: now, ticketNo: breached.ticketNo, tier: tier.tier, recipients: recipients,
                assignmentID: assignmentID, unit: unit, deadline: breached.deadline, daysOverdue: Double(days))))
            messages += try smsToOfficials(
                of: tier, recipients: recipients, breached: breached, unit: unit, unitName: unitName, days: days,
                urgentTicket: ticket?.urgency == .urgent)
            logger.info("escalation raised", metadata: [
                "assignment_id": "\(assignmentID)", "tier": "\(tier.tier)", "days_overdue": "\(days)",
            ])
        }
        return messages
    }

    /// The tier's SMS to each of its officials that has a number (held for working hours unless
    /// the tier or the ticket is urgent), never twice to one official for one tier.
    private func smsToOfficials(
        of tier: EscalationRules.Tier, recipients: [NotificationRecipient], breached: SLABreached, unit: String, unitName: String,
        days: Int, urgentTicket: Bool
    ) throws -> [OutboxMessage] {
        guard let assignmentID = breached.assignmentID else { return [] }
        let values = [
            "ticket_no": breached.ticketNo ?? "", "unit": unit, "unit_name": unitName, "tier": String(tier.tier),
            "days": String(days), "deadline_name": NotificationText.deadlineName(breached.deadline),
            "due_at": NotificationText.localTime(breached.dueAt, calendar: calendar),
        ]
        let template = "escalation.tier\(tier.tier)"
        let text = NotificationText.render(rules.template(template, fallback: "escalation") ?? "", values: values)
        let urgent = rules.urgentTiers.contains(tier.tier) || urgentTicket
        var messages: [OutboxMessage] = []
        for recipient in recipients {
            guard recipient.phone != nil else {
                // Only the unit, the role and the tier are logged: never a name or a number.
                logger.warning("escalation recipient has no SMS number in the jurisdiction file", metadata: [
                    "unit": "\(unit)", "role": "\(recipient.role.rawValue)", "tier": "\(tier.tier)",
                ])
                continue
            }
            messages += try NotificationStore.submit(
                NotificationDraft(
                    channel: .sms, audience: .official, recipient: recipient, template: template, text: text,
                    ticketNo: breached.ticketNo,
                    dedupKey: OverdueEscalation.dedupKey(
                        assignmentID: assignmentID, deadline: breached.deadline, deadlineAt: breached.dueAt, tier: tier.tier,
                        recipient: recipient),
                    urgent: urgent),
                rules: rules, calendar: calendar, now: now, on: connection)
        }
        return messages
    }

    /// Whether the ticket was resolved or closed, or the assignment ended: then nothing escalates.
    func isStopped(ticketNo: String?, assignmentID: String) throws -> Bool {
        if let ticketNo, !(try connection.query("SELECT 1 AS n FROM escalation_stops WHERE ticket_no = $1", [ticketNo]).isEmpty) {
            return true
        }
        let state = try connection.query("SELECT state FROM assignments WHERE assignment_id = $1", [assignmentID])
            .first?.decode("state", as: String.self)
        return state.flatMap(AssignmentState.init(rawValue:)).map(AssignmentLifecycle.endedStates.contains) ?? false
    }

    func stop(_ ticketNo: String?, reason: String) throws {
        guard let ticketNo else { return }
        connection.write(
            "INSERT INTO escalation_stops (ticket_no, reason, stopped_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            [ticketNo, reason, now])
    }

    // MARK: - Early warnings (PS §17, DY (12))

    func warn(_ ticketNo: String, ownTicket: Bool) throws -> [OutboxMessage] {
        guard let ticket = try TicketFacts.load(ticketNo, on: connection) else { return [] }
        let subject = AlertSubject(
            ticketNo: ticketNo, urgency: ticket.urgency, category: ticket.category, street: ticket.street,
            community: ticket.community, text: [ticket.title, ticket.description].compactMap { $0 }.joined(separator: " "),
            receivedAt: ticket.receivedAt, citizenKey: ticket.citizenKey, ownTicket: ownTicket)
        let planner = AlertPlanner(
            rules: reference.profile.alerts, notifications: rules, jurisdiction: reference.jurisdiction,
            calendar: calendar)
        // Each threshold's earliest demands, all in one round trip; those the first read leaves
        // undecided read each citizen's earliest, again in one.
        struct Read {
            let kind: AlertKind
            let threshold: AlertRules.Threshold
            let group: [(field: String, value: String)]
            let from: Date, to: Date
        }
        var reads: [Read] = []
        for (kind, threshold) in planner.countingThresholds {
            guard let group = planner.group(threshold, of: subject) else { continue }
            let (from, to) = try planner.window(threshold, endingAt: subject.receivedAt)
            reads.append(Read(kind: kind, threshold: threshold, group: group, from: from, to: to))
        }
        var observations: [AlertKind: [AlertObservation]] = [:]
        let earliest = try connection.queries(reads.map {
            TicketFacts.observations(group: $0.group, from: $0.from, to: $0.to, limit: planner.observationLimit($0.threshold))
        }).map { try TicketFacts.observations(in: $0) }
        var undecided: [Int] = []
        for (index, read) in reads.enumerated() {
            observations[read.kind] = earliest[index]
            let limit = planner.observationLimit(read.threshold)
            if !planner.isDecided(read.threshold, subject: subject, observations: earliest[index], limit: limit) {
                undecided.append(index)
            }
        }
        let citizens = try connection.queries(undecided.map { index in
            let read = reads[index]
            return TicketFacts.observations(
                group: read.group, from: read.from, to: read.to, limit: read.threshold.count, eachCitizenOnce: true)
        }).map { try TicketFacts.observations(in: $0) }
        for (index, found) in zip(undecided, citizens) { observations[reads[index].kind] = found }
        return try raise(try planner.plan(subject, observations: observations), subject: subject)
    }

    /// Records the alerts (each window's first, in one round trip) and returns the messages of those
    /// recorded now.
    func raise(_ alerts: [PlannedAlert], subject: AlertSubject) throws -> [OutboxMessage] {
        let ids = alerts.map { _ in UUID().uuidString }
        let inserted = try connection.queries(zip(alerts, ids).map { alert, alertID in
            (
                """
                INSERT INTO alerts (alert_id, alert_kind, window_key, ticket_no, category, street, community, units, count,
                                    window_start, raised_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (window_key) DO NOTHING RETURNING alert_id
                """,
                [alertID, alert.kind.rawValue, alert.windowKey, subject.ticketNo, subject.category, subject.street,
                 subject.community, alert.units, alert.count, alert.windowStart, now]
            )
        })
        var messages: [OutboxMessage] = []
        for (index, alert) in alerts.enumerated() where !inserted[index].isEmpty {
            messages += try raised(alert, alertID: ids[index], subject: subject)
        }
        return messages
    }

    /// The event and notifications of an alert just recorded.
    private func raised(_ alert: PlannedAlert, alertID: String, subject: AlertSubject) throws -> [OutboxMessage] {
        // Notifications are keyed by the alert (once per window), not by the window key, which holds a
        // repeat caller's citizen key: that must not leave the database.
        let categoryName = subject.category.flatMap { reference.catalogue.item(code: $0)?.name } ?? subject.category ?? ""
        var values = [
            "ticket_no": subject.ticketNo, "category": subject.category ?? "", "category_name": categoryName,
            "street": subject.street ?? "", "community": subject.community ?? "",
            "urgency_name": NotificationText.urgencyName(subject.urgency), "words": alert.words.joined(separator: "、"),
        ]
        if let count = alert.count { values["count"] = String(count) }
        if let threshold = alert.threshold { values["window"] = NotificationText.windowName(threshold.within) }
        let template = "alert.\(alert.kind.rawValue)"
        let text = NotificationText.render(rules.template(template) ?? "", values: values)
        var messages = [try OutboxMessage.event(AlertRaised(
            eventID: alertID, occurredAt: now, ticketNo: subject.ticketNo, alertKind: alert.kind, units: alert.units,
            category: subject.category, street: subject.street, community: subject.community, count: alert.count,
            note: text))]
        let urgent = alert.kind == .safety && subject.urgency == .urgent
        let channels = rules.alerts[alert.kind.rawValue]?.channels ?? []
        for unit in alert.units {
            let record = reference.jurisdiction.unit(unit)
            for channel in channels {
                let recipient: NotificationRecipient
                let audience: NotificationAudience
                switch channel {
                case .oa:
                    audience = .unit
                    recipient = NotificationRecipient(role: .warnedUnit, unitCode: unit, name: record?.name)
                case .sms, .phone:
                    guard let head = record?.head else { continue }
                    audience = .official
                    recipient = NotificationRecipient(role: .principalHead, unitCode: unit, name: head.name, phone: head.phone)
                }
                messages += try NotificationStore.submit(
                    NotificationDraft(
                        channel: channel, audience: audience, recipient: recipient, template: template, text: text,
                        ticketNo: subject.ticketNo, dedupKey: "alert:\(alertID):\(channel.rawValue):\(unit)",
                        urgent: urgent),
                    rules: rules, calendar: calendar, now: now, on: connection)
            }
        }
        logger.info("alert raised", metadata: [
            "alert_kind": "\(alert.kind.rawValue)", "ticket_no": "\(subject.ticketNo)", "units": "\(alert.units.joined(separator: ","))",
        ])
        return messages
    }
}

/// What the notifier reads of a ticket: no citizen contact, only intake's hashed citizen key.
struct TicketFacts {
    let urgency: Urgency
    let category: String?
    let street: String?
    let community: String?
    let title: String?
    let description: String
    let receivedAt: Date
    let citizenKey: String?

    static func load(_ ticketNo: String, on connection: PostgresConnection) throws -> TicketFacts? {
        guard let row = try connection.query(
            """
            SELECT t.urgency, t.category, t.street, t.community, t.title, t.description, t.received_at, d.citizen_key
            FROM tickets t LEFT JOIN intake_demands d ON d.ticket_no = t.ticket_no
            WHERE t.ticket_no = $1
            """, [ticketNo]).first
        else { return nil }
        return TicketFacts(
            urgency: Urgency(rawValue: try row.decode("urgency")) ?? .normal, category: try row.decodeIfPresent("category"),
            street: try row.decodeIfPresent("street"), community: try row.decodeIfPresent("community"),
            title: try row.decodeIfPresent("title"), description: try row.decode("description"),
            receivedAt: try row.decode("received_at"), citizenKey: try row.decodeIfPresent("citizen_key"))
    }

    /// The earliest `limit` demands of a group (threshold `same` fields) received in `(from, to]`, as
    /// intake recorded them (accepted tickets, split children and merged demands); with
    /// `eachCitizenOnce`, only each citizen's earliest. A busy group (hundreds of demands in one
    /// community a day) costs no more per demand than a quiet one.
    static func observations(
        group: [(field: String, value: String)], from: Date, to: Date, limit: Int, eachCitizenOnce: Bool = false
    ) -> PostgresStatement {
        let columns = ["category": "category", "street": "street", "community": "community", "citizen": "citizen_key"]
        // One citizen's demands are few: they are found by the citizen index and then filtered by the
        // window (`+ interval '0'` keeps the time index out of the plan). Otherwise the prepared
        // statement's generic plan, which cannot know how much of the table the window holds, may
        // walk the time index through the whole window for them.
        let time = group.contains { $0.field == "citizen" } ? "received_at + interval '0'" : "received_at"
        var conditions = ["outcome IN ('accepted', 'child', 'merged')", "\(time) > $1", "\(time) <= $2"]
        var parameters: [(any PostgresEncodable)?] = [from, to, limit]
        for (field, value) in group {
            guard let column = columns[field] else { continue }
            parameters.append(value)
            conditions.append("\(column) = $\(parameters.count)")
        }
        let demands = "SELECT ticket_no, received_at, citizen_key FROM intake_demands WHERE \(conditions.joined(separator: " AND "))"
        let sql = eachCitizenOnce
            ? """
              SELECT * FROM (SELECT DISTINCT ON (coalesce(citizen_key, 'ticket:' || ticket_no)) * FROM (\(demands)) d
                             ORDER BY coalesce(citizen_key, 'ticket:' || ticket_no), received_at) first
              ORDER BY received_at LIMIT $3
              """
            : "\(demands) ORDER BY received_at LIMIT $3"
        return (sql, parameters)
    }

    /// The demands in the rows of `observations(group:from:to:limit:eachCitizenOnce:)`.
    static func observations(in rows: [PostgresRow]) throws -> [AlertObservation] {
        try rows.map {
            AlertObservation(
                ticketNo: try $0.decode("ticket_no"), receivedAt: try $0.decode("received_at"),
                citizenKey: try $0.decodeIfPresent("citizen_key"))
        }
    }
}
