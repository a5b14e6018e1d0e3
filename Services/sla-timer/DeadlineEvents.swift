import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage
import Synchronization

/// Arms, moves and disarms timers as the platform's events say (docs/rules.md "SLA timer"): each event moves
/// the assignment's clock (`AssignmentClock`), the clock takes over the row of `assignments` (the
/// dispatcher plans the deadlines there), and the subject's timers are reconciled with the clock, all in
/// the transaction that records the event as processed.
struct DeadlineEvents: Sendable {
    static let consumer = "sla-timer"
    /// The events the timer follows.
    static let eventTypes = Set(ServiceQueue.slaTimerEvents.routingKeys.compactMap(EventType.init(rawValue:)))

    let runtime: ServiceRuntime
    let reference: ReferenceDataCache
    let poller: TimerPoller
    let settings: TimerSettings

    func handle(_ delivery: Delivery) async -> Disposition {
        let event: any HotlineEvent
        switch runtime.decodeEvent(delivery, accepting: Self.eventTypes) {
        case .ignored: return .ack
        case .unreadable: return .retry
        case .event(let decoded): event = decoded
        }
        guard let reference = await runtime.current(self.reference) else { return .retry }
        let earliest = Mutex<Date?>(nil)
        let disposition = await runtime.apply(delivery, consumer: Self.consumer) { connection, now in
            var arming = Arming(reference: reference, connection: connection, now: now)
            try arming.apply(event)
            let soonest = arming.earliest
            earliest.withLock { $0 = soonest }
            return arming.messages
        }
        if let due = earliest.withLock({ $0 }), due.timeIntervalSince(runtime.clock.now()) < settings.pollInterval {
            poller.nudge()
        }
        return disposition
    }
}

/// One event's effect on the clocks and timers, inside the handling transaction.
struct Arming {
    let reference: ReferenceData
    let connection: PostgresConnection
    let now: Date
    let planner: DeadlinePlanner
    let timers: TimerPlanner
    /// The earliest due time armed.
    private(set) var earliest: Date?
    private(set) var messages: [OutboxMessage] = []

    init(reference: ReferenceData, connection: PostgresConnection, now: Date) {
        self.reference = reference
        self.connection = connection
        self.now = now
        planner = DeadlinePlanner(profile: reference.profile, calendar: reference.calendar)
        timers = TimerPlanner(planner)
    }

    mutating func apply(_ event: any HotlineEvent) throws {
        let planner = self.planner
        let at = event.occurredAt
        switch event {
        case let accepted as TicketAccepted:
            guard let ticketNo = accepted.ticketNo else { return }
            let clearCase = reference.jurisdiction.isClearCase(category: accepted.category, street: accepted.street)
            try withDispatchClock(ticketNo, .start) { clock in
                if clock.acceptedAt == nil, clock.dispatchedAt == nil {
                    try clock.accept(
                        urgency: accepted.urgency, acceptedAt: accepted.receivedAt, clearCase: clearCase, planner: planner)
                }
            }
        case let dispatched as TicketDispatched:
            guard let ticketNo = dispatched.ticketNo else { return }
            try withDispatchClock(ticketNo, .move) { clock in
                if clock.dispatchedAt == nil { clock.dispatchedAt = at }
            }
            for assignment in dispatched.assignments {
                try withAssignment(assignment.assignmentID) { _ in }
            }
        case let signed as AssignmentSigned:
            let profile = reference.profile
            try withAssignment(signed.assignmentID) { $0.sign(at: at, profile: profile) }
            if signed.role == .parallel, let ticketNo = signed.ticketNo {
                // The other candidates of a parallel ticket were cancelled with this claim.
                for other in try ClockStore.assignmentIDs(ofTicket: ticketNo, on: connection)
                where other != signed.assignmentID {
                    try withAssignment(other) { _ in }
                }
            }
        case let notified as AssignmentCitizenNotified:
            try withAssignment(notified.assignmentID) { $0.notify(stage: notified.stage, at: at) }
        case let requested as AssignmentReturnRequested:
            let profile = reference.profile
            try withAssignment(requested.assignmentID) { $0.requestReturn(at: at, profile: profile) }
        case let denied as AssignmentReturnDenied:
            try withAssignment(denied.assignmentID) { $0.denyReturn() }
        case let returned as AssignmentReturned:
            try withAssignment(returned.assignmentID) { $0.end(at: at, reason: "returned") }
        case let transferred as AssignmentTransferred:
            try withAssignment(transferred.assignmentID) { $0.end(at: at, reason: transferred.reason) }
        case let submitted as AssignmentResolutionSubmitted:
            try withAssignment(submitted.assignmentID) { $0.submitResolution(at: at) }
        case let rejected as TicketResolutionRejected:
            try forAssignments(of: rejected.ticketNo, named: rejected.assignmentID) { $0.rejectResolution() }
        case let resolved as TicketResolved:
            try endTicket(resolved.ticketNo, reason: "resolved", at: at)
        case let closed as TicketClosed:
            try endTicket(closed.ticketNo, reason: closed.reason ?? "closed", at: at)
        case let stage as TicketStageResolved:
            try forAssignmentsRow(of: stage.ticketNo, named: stage.assignmentID) { clock, row in
                guard let followUp = stage.followUpBy ?? row?.followUpBy else { return }
                clock.stageResolve(at: at, followUpBy: followUp)
            }
        case let replanned as AssignmentReplanned where replanned.reason == AssignmentReplanned.reopened:
            try withAssignment(replanned.assignmentID) {
                $0.reopen(at: replanned.reopenedAt ?? at, deadlines: replanned.deadlines)
            }
        case let replanned as AssignmentReplanned:
            // Another reason: the new deadlines are the row's, which the clock takes over on every event.
            try withAssignment(replanned.assignmentID) { _ in }
        case let flagged as KnowledgeFlagged:
            try armCorrection(flagged)
        case let published as KnowledgePublished:
            if let correctionID = published.correctionID { try disarmCorrection(correctionID) }
        case let withdrawn as KnowledgeWithdrawn:
            if let correctionID = withdrawn.correctionID { try disarmCorrection(correctionID) }
        default:
            return
        }
    }

    // MARK: - Clocks

    /// Loads (or makes) the assignment's clock, applies `change`, takes over the row's deadlines,
    /// saves it and reconciles its timers. An assignment unknown to the database is skipped.
    mutating func withAssignment(_ assignmentID: String, _ change: (inout AssignmentClock) throws -> Void) throws {
        try withAssignmentRow(assignmentID) { clock, _ in try change(&clock) }
    }

    /// `withAssignment`, with the row as it was before the change.
    mutating func withAssignmentRow(
        _ assignmentID: String, _ change: (inout AssignmentClock, AssignmentSnapshot?) throws -> Void
    ) throws {
        guard let loaded = try ClockStore.assignment(assignmentID, reference: reference, on: connection, now: now)
        else { return }
        var clock = loaded.clock
        try change(&clock, loaded.row)
        if let row = loaded.row { clock.absorb(row, now: now) }
        try ClockStore.store(clock, isNew: loaded.isNew, on: connection, now: now)
        note(try TimerStore.arm(clock, planner: timers, stored: loaded.timers, on: connection, now: now))
    }

    /// Applies `change` to the named assignment, or to every assignment of the ticket when none is named.
    mutating func forAssignments(
        of ticketNo: String?, named assignmentID: String?, _ change: (inout AssignmentClock) throws -> Void
    ) throws {
        try forAssignmentsRow(of: ticketNo, named: assignmentID) { clock, _ in try change(&clock) }
    }

    mutating func forAssignmentsRow(
        of ticketNo: String?, named assignmentID: String?,
        _ change: (inout AssignmentClock, AssignmentSnapshot?) throws -> Void
    ) throws {
        if let assignmentID {
            try withAssignmentRow(assignmentID, change)
        } else if let ticketNo {
            for id in try ClockStore.assignmentIDs(ofTicket: ticketNo, on: connection) {
                try withAssignmentRow(id, change)
            }
        }
    }

    /// The ticket is resolved or closed: every assignment clock and the dispatch clock end.
    mutating func endTicket(_ ticketNo: String?, reason: String, at: Date) throws {
        guard let ticketNo else { return }
        for id in try ClockStore.assignmentIDs(ofTicket: ticketNo, on: connection) {
            try withAssignment(id) { $0.end(at: at, reason: reason) }
        }
        try withDispatchClock(ticketNo, .moveExisting) { clock in
            if clock.endedAt == nil { clock.endedAt = at }
        }
    }

    /// How an event meets the ticket's dispatch clock.
    enum DispatchClockUse {
        /// The event starts the clock (`ticket.accepted`): stored without a read, unless it exists.
        case start
        /// The event moves the clock, which it starts when the ticket has none yet.
        case move
        /// The event moves the clock only if the ticket has one.
        case moveExisting
    }

    /// Applies `change` to the ticket's dispatch clock and reconciles its timers.
    mutating func withDispatchClock(
        _ ticketNo: String, _ use: DispatchClockUse, _ change: (inout DispatchClock) throws -> Void
    ) throws {
        if use == .start {
            var clock = DispatchClock(ticketNo: ticketNo)
            try change(&clock)
            if try ClockStore.insertIfAbsent(clock, on: connection, now: now) {
                note(try TimerStore.arm(clock, planner: timers, stored: [], on: connection, now: now))
                return
            }
        }
        let loaded = try ClockStore.dispatch(ticketNo, on: connection)
        if loaded == nil, use == .moveExisting { return }
        var clock = loaded?.clock ?? DispatchClock(ticketNo: ticketNo)
        try change(&clock)
        try ClockStore.store(clock, isNew: loaded == nil, on: connection, now: now)
        note(try TimerStore.arm(clock, planner: timers, stored: loaded?.timers ?? [], on: connection, now: now))
    }

    // MARK: - Knowledge-base corrections

    /// A flagged entry's correction deadline (PS §22(五)): warnings at the profile's points and the
    /// breach at `due_at`, as for any deadline; the escalation notifier turns them into the unit's
    /// reminder and overdue notice.
    /// A correction made before its timers fall due (its closing event may even overtake this one) is
    /// dropped then, in one place: `TimerFiring.decide` reads whether it is still open.
    mutating func armCorrection(_ flagged: KnowledgeFlagged) throws {
        let workingTime = reference.profile.knowledgeRules.correctionWithin.isWorkingTime
        let desired = timers.timers(
            for: .knowledgeCorrection, start: flagged.occurredAt, deadline: flagged.dueAt, workingTime: workingTime, now: now)
        note(try TimerStore.reconcile(correctionSubject(flagged.correctionID, unit: flagged.unit), desired: desired,
                                      on: connection, now: now))
    }

    /// The correction was made (a revision published, or the entry withdrawn): its timers end.
    mutating func disarmCorrection(_ correctionID: String) throws {
        try TimerStore.reconcile(correctionSubject(correctionID, unit: nil), desired: [], on: connection, now: now)
    }

    private func correctionSubject(_ correctionID: String, unit: String?) -> TimerStore.Subject {
        TimerStore.Subject(subject: correctionID, ticketNo: nil, assignmentID: nil, unit: unit)
    }

    private mutating func note(_ due: Date?) {
        guard let due else { return }
        earliest = earliest.map { min($0, due) } ?? due
    }
}
