import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage
import Logging

/// Decides one extension command inside its transaction: returns the outcome event (with the
/// command's id as `correlation_id`) and collects the other messages it causes.
struct ExtensionDecider {
    /// States under the center's review, in which no extension is asked or decided.
    static let reviewStates: Set<AssignmentState> = [.returnRequested, .resolutionSubmitted]

    let reference: ReferenceData
    let connection: PostgresConnection
    let now: Date
    let commandID: String
    let logger: Logger
    private(set) var sideMessages: [OutboxMessage] = []

    init(reference: ReferenceData, connection: PostgresConnection, now: Date, commandID: String, logger: Logger) {
        self.reference = reference
        self.connection = connection
        self.now = now
        self.commandID = commandID
        self.logger = logger
    }

    private var planner: DeadlinePlanner { DeadlinePlanner(profile: reference.profile, calendar: reference.calendar) }

    /// The outcome of the command (a rejection when it is malformed, forbidden or refused).
    mutating func decide(_ received: ReceivedCommand) throws -> OutboxMessage {
        switch received.command {
        case .unitRequestExtension(let request): return try requestExtension(request, issuer: received.issuer)
        case .centerDecideExtension(let decision): return try decideExtension(decision)
        default: throw received.notAnsweredHere
        }
    }

    // MARK: - unit.request-extension

    private mutating func requestExtension(_ request: UnitRequestExtension, issuer: CommandIssuer) throws -> OutboxMessage {
        let assignmentID = request.assignmentID
        guard let loaded = try ClockStore.assignment(assignmentID, reference: reference, on: connection, now: now)
        else {
            throw CommandRefused(.notFound, "no assignment \(assignmentID)", assignmentID: assignmentID)
        }
        var clock = loaded.clock
        let row = loaded.row
        if let refusal = CommandAuthorization.check(issuer, actsOnAssignmentOf: clock.unit, type: .unitRequestExtension) {
            throw CommandRefused(refusal, ticketNo: clock.ticketNo, assignmentID: assignmentID)
        }
        if let row { clock.absorb(row, now: now) }
        if let state = row?.state, Self.reviewStates.contains(state) {
            throw CommandRefused(
                .wrongState, "assignment \(assignmentID) is \(state.rawValue.replacingOccurrences(of: "_", with: " ")): no extension now",
                ticketNo: clock.ticketNo, assignmentID: assignmentID)
        }
        let pending = !(try connection.query(
            "SELECT 1 AS n FROM sla_extension_requests WHERE assignment_id = $1 AND state = $2",
            [assignmentID, ExtensionRequestState.pending.rawValue]
        ).isEmpty)
        switch ExtensionDecision.check(
            clock: clock, workingDays: request.workingDays, now: now, extensionAllowed: row?.extensionAllowed ?? true,
            pendingRequest: pending, planner: planner)
        {
        case .failure(let refusal):
            throw CommandRefused(refusal, ticketNo: clock.ticketNo, assignmentID: assignmentID)
        case .success(let grantDays):
            let requestID = "EXT-\(UUID().uuidString)"
            connection.write(
                """
                INSERT INTO sla_extension_requests (request_id, assignment_id, ticket_no, unit, working_days, grant_days, reason,
                                                    state, command_id, requested_at, resolve_by_before)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $11, $8, $9, $10)
                """,
                [requestID, assignmentID, clock.ticketNo, clock.unit, request.workingDays, grantDays, request.reason,
                 commandID, now, clock.deadlines.resolveBy, ExtensionRequestState.pending.rawValue])
            try TicketHistory.record(
                clock.ticketNo, actor: issuer.userID, action: "extension_requested",
                detail: ["assignment_id": assignmentID, "request_id": requestID, "working_days": "\(request.workingDays)"],
                on: connection, now: now)
            let event = AssignmentExtensionRequested(
                eventID: UUID().uuidString, occurredAt: now, ticketNo: clock.ticketNo, assignmentID: assignmentID,
                unit: clock.unit, requestID: requestID, workingDays: request.workingDays, reason: request.reason,
                commandID: commandID)
            return try OutboxMessage.event(event, correlationID: commandID)
        }
    }

    // MARK: - center.decide-extension

    private mutating func decideExtension(_ decision: CenterDecideExtension) throws -> OutboxMessage {
        guard let request = try connection.query(
            """
            SELECT request_id, assignment_id, ticket_no, unit, working_days, grant_days, reason, state
            FROM sla_extension_requests WHERE request_id = $1 FOR UPDATE
            """, [decision.requestID]).first
        else {
            throw CommandRefused(.notFound, "no extension request \(decision.requestID)")
        }
        let assignmentID: String = try request.decode("assignment_id")
        let ticketNo: String = try request.decode("ticket_no")
        let state: String = try request.decode("state")
        guard ExtensionRequestState(rawValue: state) == .pending else {
            throw CommandRefused(
                .wrongState, "extension request \(decision.requestID) is already \(state)",
                ticketNo: ticketNo, assignmentID: assignmentID)
        }
        guard var loaded = try ClockStore.assignment(assignmentID, reference: reference, on: connection, now: now)
        else {
            throw CommandRefused(.notFound, "no assignment \(assignmentID)", ticketNo: ticketNo, assignmentID: assignmentID)
        }
        if let row = loaded.row { loaded.clock.absorb(row, now: now) }
        guard decision.approve else { return try deny(decision, ticketNo: ticketNo, clock: loaded.clock) }
        if loaded.clock.hasEnded {
            connection.write(
                "UPDATE sla_extension_requests SET state = $4, decided_at = $2, decision_id = $3 WHERE request_id = $1",
                [decision.requestID, now, commandID, ExtensionRequestState.void.rawValue])
            // The lapse is kept: answered, not refused (a refusal would roll the mark back).
            return try CommandRefused(
                .wrongState, "assignment \(assignmentID) has ended (\(loaded.clock.endReason ?? "ended")); the request lapsed",
                ticketNo: ticketNo, assignmentID: assignmentID
            ).outcome(commandID: commandID, commandType: CommandType.centerDecideExtension.rawValue, body: [], now: now)
        }
        if let state = loaded.row?.state, Self.reviewStates.contains(state) {
            throw CommandRefused(
                .wrongState, "assignment \(assignmentID) is \(state.rawValue.replacingOccurrences(of: "_", with: " ")); decide later",
                ticketNo: ticketNo, assignmentID: assignmentID)
        }
        return try grant(
            decision, grantDays: try request.decode("grant_days"), reason: try request.decode("reason"), ticketNo: ticketNo,
            loaded: loaded)
    }

    private func deny(_ decision: CenterDecideExtension, ticketNo: String, clock: AssignmentClock) throws -> OutboxMessage {
        connection.write(
            "UPDATE sla_extension_requests SET state = $5, decided_at = $2, decision_id = $3, note = $4 WHERE request_id = $1",
            [decision.requestID, now, commandID, decision.note, ExtensionRequestState.denied.rawValue])
        try TicketHistory.record(
            ticketNo, actor: "center", operatorName: decision.operatorName, action: "extension_denied",
            detail: ["assignment_id": clock.assignmentID, "request_id": decision.requestID], on: connection, now: now)
        let event = AssignmentExtensionDenied(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: ticketNo, assignmentID: clock.assignmentID, unit: clock.unit,
            requestID: decision.requestID, note: decision.note, commandID: commandID)
        return try OutboxMessage.event(event, correlationID: commandID)
    }

    /// The approval: the clock's resolve deadline moves by `grantDays` working days; the unit and the
    /// citizen are told. The dispatcher records it in `assignments` from `assignment.extended`.
    private mutating func grant(
        _ decision: CenterDecideExtension, grantDays: Int, reason: String, ticketNo: String, loaded: ClockStore.LoadedAssignment
    ) throws -> OutboxMessage {
        var clock = loaded.clock
        let assignmentID = clock.assignmentID
        do {
            try clock.extend(workingDays: grantDays, planner: planner)
        } catch {
            throw CommandRefused(
                .notAllowed, "the new deadline cannot be computed: \(error)", ticketNo: ticketNo, assignmentID: assignmentID)
        }
        let resolveBy = clock.deadlines.resolveBy
        try ClockStore.store(clock, isNew: loaded.isNew, on: connection, now: now)
        try TimerStore.arm(clock, planner: TimerPlanner(planner), stored: loaded.timers, on: connection, now: now)
        connection.write(
            """
            UPDATE sla_extension_requests SET state = $6, decided_at = $2, decision_id = $3, note = $4,
                                              resolve_by_after = $5
            WHERE request_id = $1
            """, [decision.requestID, now, commandID, decision.note, resolveBy, ExtensionRequestState.approved.rawValue])
        try TicketHistory.record(
            ticketNo, actor: "center", operatorName: decision.operatorName, action: "extended",
            detail: [
                "assignment_id": assignmentID, "request_id": decision.requestID, "working_days": "\(grantDays)",
                "resolve_by": RFC3339.string(from: resolveBy),
            ], on: connection, now: now)

        let update = AssignmentUpdated(
            assignmentID: assignmentID, ticketNo: ticketNo, reason: "extended", note: decision.note,
            deadlines: clock.deadlines, returnAllowed: reference.profile.returns.afterExtension ? nil : false,
            extensionAllowed: ExtensionDecision.furtherExtensionPossible(
                clock: clock, extensionAllowed: loaded.row?.extensionAllowed ?? true, planner: planner))
        sideMessages.append(try .toUnit(.updated(update), unit: clock.unit))
        if let notice = try citizenNotice(decision, reason: reason, ticketNo: ticketNo, resolveBy: resolveBy) {
            sideMessages.append(notice)
        }
        logger.info("extension granted", metadata: [
            "assignment_id": "\(assignmentID)", "working_days": "\(grantDays)", "resolve_by": "\(RFC3339.string(from: resolveBy))",
        ])
        let event = AssignmentExtended(
            eventID: UUID().uuidString, occurredAt: now, ticketNo: ticketNo, assignmentID: assignmentID, unit: clock.unit,
            resolveBy: resolveBy, requestID: decision.requestID, workingDays: grantDays, note: decision.note,
            extensionsGranted: clock.extensionsGranted, commandID: commandID)
        return try OutboxMessage.event(event, correlationID: commandID)
    }

    /// The SMS telling the citizen of the later deadline, when the ticket has a citizen to tell.
    private func citizenNotice(
        _ decision: CenterDecideExtension, reason: String, ticketNo: String, resolveBy: Date
    ) throws -> OutboxMessage? {
        guard let citizenText = try connection.query(
            "SELECT citizen::text AS citizen FROM tickets WHERE ticket_no = $1", [ticketNo]).first?
            .decodeIfPresent("citizen", as: String.self),
            let citizen = try? HotlineJSON.decode(Citizen.self, from: Data(citizenText.utf8)),
            let notice = ExtensionNotice.notification(
                id: UUID().uuidString, requestID: decision.requestID, ticketNo: ticketNo, citizen: citizen, reason: reason,
                resolveBy: resolveBy, timeZone: reference.calendar.timeZone)
        else { return nil }
        return try .notification(notice)
    }
}
