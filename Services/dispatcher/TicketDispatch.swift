import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

/// Routes accepted tickets to units by the duty catalogue: stores the assignments with their
/// deadlines, sends `assignment.created` to each unit's queue and emits `ticket.dispatched`; a
/// ticket that cannot be routed goes to `hotline.dispatch.manual` with `ticket.dispatch-manual`.
struct TicketDispatch: Sendable {
    static let consumer = "dispatcher"
    let runtime: ServiceRuntime
    let reference: ReferenceDataCache

    func handle(_ delivery: Delivery) async -> Disposition {
        let accepted: TicketAccepted
        do {
            accepted = try HotlineJSON.decode(TicketAccepted.self, from: Data(delivery.body))
        } catch {
            runtime.logger.error("unreadable ticket.accepted event, kept in the dead-letter queue", metadata: [
                "message_id": "\(delivery.messageKey)", "error": "\(error)",
            ])
            return .retry
        }
        guard let ticketNo = accepted.ticketNo else { return .ack }
        let reference: ReferenceData
        do {
            reference = try await self.reference.current()
        } catch {
            runtime.logger.error("reference data unavailable", metadata: ["error": "\(error)"])
            try? await Task.sleep(for: .seconds(1))
            return .retry
        }
        return await runtime.apply(delivery, consumer: Self.consumer) { connection, now in
            try dispatch(ticketNo, reference: reference, on: connection, now: now)
        }
    }

    /// Dispatches the ticket if it still waits for dispatch; returns the messages to publish.
    func dispatch(
        _ ticketNo: String, reference: ReferenceData, on connection: PostgresConnection, now: Date
    ) throws -> [OutboxMessage] {
        guard let ticket = try DispatchTicket.load(ticketNo, on: connection), ticket.status == "accepted" else {
            return []
        }
        let router = Router(jurisdiction: reference.jurisdiction)
        switch router.route(category: ticket.category, street: ticket.location?.street) {
        case .manual(let reason):
            try connection.query(
                "UPDATE tickets SET status = 'manual', updated_at = $2 WHERE ticket_no = $1", [ticketNo, now])
            try TicketHistory.record(
                ticketNo, actor: "dispatcher", action: "manual_dispatch", detail: ["reason": reason.description],
                on: connection, now: now)
            let event = TicketDispatchManual(
                eventID: UUID().uuidString, occurredAt: now, ticketNo: ticketNo, reason: reason.code,
                category: ticket.category)
            let message = try OutboxMessage.event(event)
            var queued = message
            queued.exchange = ""
            queued.routingKey = HotlineTopology.manualDispatchQueue
            queued.mandatory = true
            runtime.logger.info("ticket needs manual dispatch", metadata: ["ticket_no": "\(ticketNo)", "reason": "\(reason.code)"])
            return [message, queued]
        case .assign(let plans):
            let planner = DeadlinePlanner(profile: reference.profile, calendar: reference.calendar)
            let facts = DeadlinePlanner.TicketFacts(
                kind: ticket.kind, urgency: ticket.urgency, channel: ticket.channel, acceptedAt: ticket.receivedAt)
            let item = ticket.category.flatMap { reference.catalogue.item(code: $0) }
            var messages: [OutboxMessage] = []
            var dispatched: [DispatchedAssignment] = []
            for plan in plans {
                let deadlines = try planner.plan(
                    ticket: facts, dispatchedAt: now, itemWorkingDays: item?.handleWorkingDays,
                    returnAllowed: plan.returnAllowed)
                let assignmentID = "\(ticketNo)-\(plan.unit)"
                let extensionAllowed = !ticket.channel.isSuperior
                try connection.query(
                    """
                    INSERT INTO assignments (assignment_id, ticket_no, unit, role, state, lead_unit, co_units, deadlines,
                                             return_allowed, extension_allowed, created_at, updated_at)
                    VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7::jsonb, $8, $9, $10, $10)
                    """,
                    [assignmentID, ticketNo, plan.unit, plan.role.rawValue, plan.leadUnit, plan.coUnits,
                     JSONText(data: try HotlineJSON.encode(deadlines)), plan.returnAllowed, extensionAllowed, now])
                let created = AssignmentCreated(
                    assignmentID: assignmentID, ticketNo: ticketNo, unit: plan.unit, role: plan.role, kind: ticket.kind,
                    urgency: ticket.urgency, category: ticket.category, title: ticket.title,
                    description: ticket.description, location: ticket.location, citizen: ticket.citizen,
                    leadUnit: plan.leadUnit, coUnits: plan.coUnits, deadlines: deadlines,
                    returnAllowed: plan.returnAllowed, extensionAllowed: extensionAllowed, history: [],
                    channel: ticket.channel, receivedAt: ticket.receivedAt, basis: item?.basis)
                messages.append(OutboxMessage(
                    exchange: Exchange.assignments, routingKey: plan.unit, messageID: UUID().uuidString,
                    type: "assignment.created", mandatory: true, body: try HotlineJSON.encode(created)))
                dispatched.append(DispatchedAssignment(
                    assignmentID: assignmentID, unit: plan.unit, role: plan.role, deadlines: deadlines))
            }
            try connection.query(
                "UPDATE tickets SET status = 'dispatched', updated_at = $2 WHERE ticket_no = $1", [ticketNo, now])
            try TicketHistory.record(
                ticketNo, actor: "dispatcher", action: "dispatched",
                detail: ["units": plans.map(\.unit).joined(separator: ",")], on: connection, now: now)
            let event = TicketDispatched(eventID: UUID().uuidString, occurredAt: now, ticketNo: ticketNo, assignments: dispatched)
            messages.append(try OutboxMessage.event(event))
            runtime.logger.info("ticket dispatched", metadata: [
                "ticket_no": "\(ticketNo)", "units": "\(plans.map(\.unit).joined(separator: ","))",
            ])
            return messages
        }
    }
}

/// The ticket fields dispatching needs, citizen contact included (it goes to the units only).
struct DispatchTicket {
    let status: String
    let channel: Channel
    let kind: TicketKind
    let urgency: Urgency
    let category: String?
    let title: String?
    let description: String
    let location: Location?
    let citizen: Citizen
    let receivedAt: Date

    static func load(_ ticketNo: String, on connection: PostgresConnection) throws -> DispatchTicket? {
        guard let row = try connection.query(
            """
            SELECT status, channel, kind, urgency, category, title, description, location::text AS location,
                   citizen::text AS citizen, received_at
            FROM tickets WHERE ticket_no = $1 FOR UPDATE
            """, [ticketNo]).first
        else { return nil }
        func decode<T: RawRepresentable>(_ column: String) throws -> T where T.RawValue == String {
            guard let value = T(rawValue: try row.decode(column)) else {
                throw DatabaseError(sqlState: nil, message: "tickets.\(column) has an unknown value")
            }
            return value
        }
        let location = try row.decodeIfPresent("location", as: String.self)
            .map { try HotlineJSON.decode(Location.self, from: Data($0.utf8)) }
        return DispatchTicket(
            status: try row.decode("status"), channel: try decode("channel"), kind: try decode("kind"),
            urgency: try decode("urgency"), category: try row.decodeIfPresent("category"),
            title: try row.decodeIfPresent("title"), description: try row.decode("description"), location: location,
            citizen: try HotlineJSON.decode(Citizen.self, from: Data(try row.decode("citizen", as: String.self).utf8)),
            receivedAt: try row.decode("received_at"))
    }
}
