import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

/// Routes accepted tickets to units by the duty catalogue: stores the assignments with their
/// deadlines, sends `assignment.created` to each unit's queue and emits `ticket.dispatched`; a
/// ticket that cannot be routed goes to `hotline.dispatch.manual` with `ticket.dispatch-manual`.
/// Called for `ticket.accepted` and for each child of `ticket.split` (see `LifecycleEvents`).
struct TicketDispatch: Sendable {
    let runtime: ServiceRuntime

    /// Dispatches the ticket if it still waits for dispatch; returns the messages to publish.
    func dispatch(
        _ ticketNo: String, reference: ReferenceData, on connection: PostgresConnection, now: Date
    ) throws -> [OutboxMessage] {
        guard let locked = try LockedTicket.lock(ticketNo, on: connection), locked.ticket.status == .accepted,
              locked.live.isEmpty
        else { return [] }
        let ticket = locked.ticket
        let factory = AssignmentFactory(reference: reference, connection: connection, now: now)
        let router = Router(jurisdiction: reference.jurisdiction)
        switch router.routeAutomatically(category: ticket.category, street: ticket.location?.street) {
        case .manual(let reason):
            runtime.logger.info("ticket needs manual dispatch", metadata: ["ticket_no": "\(ticketNo)", "reason": "\(reason.code)"])
            return try factory.sendToManual(ticketNo, reason: reason, category: ticket.category)
        case .assign(let plans):
            // Deadlines in a year no calendar covers cannot be set (`create` then writes nothing): the
            // center dispatches once that year is loaded.
            let created: (messages: [OutboxMessage], dispatched: [DispatchedAssignment])
            do {
                created = try factory.create(plans, for: locked, mode: "catalogue")
            } catch CalendarError.yearNotCovered(let year) {
                let reason = RoutingDecision.ManualReason.calendarNotCovered(year)
                runtime.logger.warning("ticket needs manual dispatch", metadata: ["ticket_no": "\(ticketNo)", "reason": "\(reason.code)"])
                return try factory.sendToManual(ticketNo, reason: reason, category: ticket.category)
            }
            var messages = created.messages
            try TicketHistory.record(
                ticketNo, actor: "dispatcher", action: "dispatched",
                detail: ["units": plans.map(\.unit).joined(separator: ","), "mode": "catalogue"], on: connection, now: now)
            let event = TicketDispatched(
                eventID: UUID().uuidString, occurredAt: now, ticketNo: ticketNo, assignments: created.dispatched)
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
    /// Where it stands now: its `ticket_progress` status, else intake's decision.
    let status: TicketStatus
    let channel: Channel
    let kind: TicketKind
    let urgency: Urgency
    let category: String?
    let title: String?
    let description: String
    let location: Location?
    let citizen: Citizen
    let receivedAt: Date
    /// The superior platform's deadline, for a demand it assigned (`superior_case.resolve_by`).
    let superiorResolveBy: Date?
    /// The catalogue version the ticket was first routed under, and its catalogue item as it was then
    /// (nil for a ticket without one); both nil before it was routed.
    let catalogueVersion: Int?
    let routedItem: CatalogueItem?

    /// The ticket's catalogue item: the one it was routed under once it was, so that a later change of
    /// the catalogue never moves its deadlines; before that, the item `catalogue` has for its category.
    func item(in catalogue: DutyCatalogue) -> CatalogueItem? {
        catalogueVersion != nil ? routedItem : category.flatMap { catalogue.item(code: $0) }
    }

    /// The working days its catalogue item sets for its kind (`CatalogueItem.handlingWorkingDays`), or
    /// nil where the profile's limit holds.
    func itemWorkingDays(in reference: ReferenceData) -> Int? {
        item(in: reference.catalogue)?.handlingWorkingDays(for: kind, under: reference.profile.handling)
    }

    /// Reads the ticket (sent after `TicketLock.taking`, so that it reads what was committed under the lock).
    static func reading(_ ticketNo: String) -> PostgresStatement { reading(where: "ticket_no = $1", ticketNo) }

    /// `reading(_:)` of the ticket an assignment belongs to.
    static func reading(ofAssignment assignmentID: String) -> PostgresStatement {
        reading(where: "ticket_no = (SELECT ticket_no FROM assignments WHERE assignment_id = $1)", assignmentID)
    }

    private static func reading(where condition: String, _ parameter: String) -> PostgresStatement {
        (
            """
            SELECT status, channel, kind, urgency, category, title, description, location::text AS location,
                   citizen::text AS citizen, received_at, (superior_case->>'resolve_by')::timestamptz AS superior_resolve_by
            FROM tickets WHERE \(condition)
            """, [parameter]
        )
    }

    /// The ticket in a row of `reading(_:)`, with its row of `TicketProgress.status` when it has one.
    init(row: PostgresRow, progress: PostgresRow?) throws {
        func decode<T: RawRepresentable>(_ column: String) throws -> T where T.RawValue == String {
            guard let value = T(rawValue: try row.decode(column)) else {
                throw DatabaseError(sqlState: nil, message: "tickets.\(column) has an unknown value")
            }
            return value
        }
        if let progress {
            guard let value = TicketStatus(rawValue: try progress.decode("status")) else {
                throw DatabaseError(sqlState: nil, message: "ticket_progress.status has an unknown value")
            }
            status = value
            catalogueVersion = try progress.decodeIfPresent("catalogue_version")
            routedItem = try progress.decodeIfPresent("routed_item", as: String.self)
                .map { try HotlineJSON.decode(CatalogueItem.self, from: Data($0.utf8)) }
        } else {
            status = try decode("status")
            catalogueVersion = nil
            routedItem = nil
        }
        channel = try decode("channel")
        kind = try decode("kind")
        urgency = try decode("urgency")
        category = try row.decodeIfPresent("category")
        title = try row.decodeIfPresent("title")
        description = try row.decode("description")
        location = try row.decodeIfPresent("location", as: String.self)
            .map { try HotlineJSON.decode(Location.self, from: Data($0.utf8)) }
        citizen = try HotlineJSON.decode(Citizen.self, from: Data(try row.decode("citizen", as: String.self).utf8))
        receivedAt = try row.decode("received_at")
        superiorResolveBy = try row.decodeIfPresent("superior_resolve_by")
    }
}
