import Foundation

/// What a due timer does when the poller claims it.
public enum TimerFiring {
    /// A claimed timer, as stored.
    public struct DueTimer: Sendable, Hashable {
        public var id: Int64
        public var ticketNo: String?
        public var assignmentID: String?
        public var unit: String?
        public var deadline: DeadlineKind
        public var action: TimerAction
        public var dueAt: Date
        public var deadlineAt: Date
        public var daysOverdue: Int?
        /// The assignment's current state in `assignments` (nil: no such row, or a ticket timer).
        public var assignmentState: AssignmentState?
        /// What the timer is about (`sla_timers.subject`): the correction id of a `knowledge_correction`.
        public var subject: String?
        /// For a `knowledge_correction`: whether the correction is still open (nil: not known).
        public var correctionOpen: Bool?

        public init(
            id: Int64, ticketNo: String?, assignmentID: String?, unit: String?, deadline: DeadlineKind,
            action: TimerAction, dueAt: Date, deadlineAt: Date, daysOverdue: Int?, assignmentState: AssignmentState?,
            subject: String? = nil, correctionOpen: Bool? = nil
        ) {
            self.subject = subject
            self.correctionOpen = correctionOpen
            self.id = id
            self.ticketNo = ticketNo
            self.assignmentID = assignmentID
            self.unit = unit
            self.deadline = deadline
            self.action = action
            self.dueAt = dueAt
            self.deadlineAt = deadlineAt
            self.daysOverdue = daysOverdue
            self.assignmentState = assignmentState
        }
    }

    /// The event a firing publishes.
    public enum Event: Sendable, Hashable {
        case warning(SLAWarning)
        case breached(SLABreached)

        public var eventID: String {
            switch self {
            case .warning(let event): return event.eventID
            case .breached(let event): return event.eventID
            }
        }

        public var type: EventType {
            switch self {
            case .warning: return .slaWarning
            case .breached: return .slaBreached
            }
        }

        /// The body as `HotlineJSON` writes it; pass an `EventTime.encoder()` to encode many quickly.
        public func encodedBody(using encoder: JSONEncoder = HotlineJSON.encoder()) throws -> Data {
            switch self {
            case .warning(let event): return try encoder.encode(event)
            case .breached(let event): return try encoder.encode(event)
            }
        }
    }

    /// The decision for one claimed timer.
    public enum Outcome: Sendable, Hashable {
        /// Publish the event; the timer is done.
        case fire(Event)
        /// Publish the event and fire again at `nextDueAt` reporting `nextDays` (the overdue tick).
        case fireAndReschedule(Event, nextDueAt: Date, nextDays: Int)
        /// The assignment has moved on (the event that disarms the timer is on its way): drop it,
        /// with the later firings it carries, without publishing; that event re-arms what the
        /// assignment's clock still needs.
        case drop
    }

    /// States in which every timer of the assignment is suspended (a review by the center).
    public static let reviewStates: Set<AssignmentState> = [.returnRequested]

    /// Decides what a claimed timer does at `now`; `eventID` names the event it publishes.
    public static func decide(_ timer: DueTimer, now: Date, eventID: String) -> Outcome {
        if let state = timer.assignmentState {
            if AssignmentLifecycle.endedStates.contains(state) || reviewStates.contains(state) { return .drop }
            if timer.deadline == .sign && state != .pending { return .drop }
            if state == .resolutionSubmitted && [.resolve, .feedback, .followUp].contains(timer.deadline) {
                return .drop
            }
        }
        // A correction made meanwhile (its disarming event crossed the flag's) fires nothing.
        if timer.deadline == .knowledgeCorrection, timer.correctionOpen == false { return .drop }
        let correctionID = timer.deadline == .knowledgeCorrection ? timer.subject : nil
        let knowledgeID = correctionID.flatMap(KnowledgeNaming.knowledgeID(ofCorrection:))
        switch timer.action {
        case .warning:
            var event = SLAWarning(
                eventID: eventID, occurredAt: now, ticketNo: timer.ticketNo, assignmentID: timer.assignmentID,
                unit: timer.unit, deadline: timer.deadline, dueAt: timer.deadlineAt)
            (event.correctionID, event.knowledgeID) = (correctionID, knowledgeID)
            return .fire(.warning(event))
        case .breach:
            var event = SLABreached(
                eventID: eventID, occurredAt: now, ticketNo: timer.ticketNo, assignmentID: timer.assignmentID,
                unit: timer.unit, deadline: timer.deadline, dueAt: timer.deadlineAt,
                daysOverdue: OverdueDays.whole(since: timer.deadlineAt, now: now))
            (event.correctionID, event.knowledgeID) = (correctionID, knowledgeID)
            return .fire(.breached(event))
        case .overdue:
            let tick = OverdueDays.firing(deadline: timer.deadlineAt, scheduledDays: timer.daysOverdue ?? 1, now: now)
            let event = SLABreached(
                eventID: eventID, occurredAt: now, ticketNo: timer.ticketNo, assignmentID: timer.assignmentID,
                unit: timer.unit, deadline: timer.deadline, dueAt: timer.deadlineAt, daysOverdue: tick.reported)
            return .fireAndReschedule(.breached(event), nextDueAt: tick.nextDueAt, nextDays: tick.next)
        }
    }
}
