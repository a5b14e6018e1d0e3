import Foundation

/// Everything the SLA timer remembers about one assignment's deadlines, and how the events of
/// docs/rules.md "SLA timer" move them. Pure: the sla-timer loads a clock, applies an event, takes over
/// the dispatcher's row (`absorb`), stores it, and arms exactly the timers `timers(_:now:)` returns.
///
/// The dispatcher plans every deadline but an extended `resolve_by`; the clock takes them from its row
/// and its events, and keeps what its timers need besides.
/// - Signing ends the sign deadline (daye: the resolve period starts then).
/// - The acceptance notice ends the `notify` deadline, a progress notice the `feedback` one.
/// - A return under the center's review stops every timer; a denial resumes them (the dispatcher has
///   moved the deadlines by the review time); an approval ends the assignment (the re-dispatch makes
///   a new one whose clock starts from the re-dispatch).
/// - An approved extension adds working days to `resolve_by`.
/// - A submitted resolution suspends the `resolve` and `feedback` timers while the center reviews;
///   a rejection re-arms them unchanged (the deadline is neither paused nor reset, PS §16).
/// - A stage resolution replaces the `resolve` deadline with the follow-up date.
/// - A reopen (`assignment.replanned`) starts a re-handling with the dispatcher's deadlines.
public struct AssignmentClock: Codable, Sendable, Hashable {
    public var assignmentID: String
    public var ticketNo: String
    public var unit: String
    public var role: AssignmentRole?
    public var kind: TicketKind
    public var urgency: Urgency
    public var channel: Channel
    /// The ticket's acceptance (`received_at`), where limits counted from acceptance start.
    public var acceptedAt: Date
    /// The catalogue item's `handle_working_days`, overriding the profile's limit.
    public var itemWorkingDays: Int?
    /// When the unit received the assignment.
    public var dispatchedAt: Date
    /// The current deadlines (what the unit was told last).
    public var deadlines: AssignmentDeadlines
    public var signedAt: Date?
    /// The acceptance notice (受理告知).
    public var notifiedAt: Date?
    /// The first progress notice (feedback, urgent and fast tickets).
    public var feedbackAt: Date?
    /// Where the current resolve period started (warning fractions are measured from here).
    public var resolveStart: Date
    /// A return request under the center's review since then: every timer stops.
    public var pausedAt: Date?
    /// A resolution (final, stage or a co-unit's part) under review since then.
    public var resolutionSubmittedAt: Date?
    /// A stage resolution's follow-up period.
    public var followUpStart: Date?
    public var followUpBy: Date?
    public var extensionsGranted: Int
    public var extensionDaysGranted: Int
    /// Ended (returned, resolved, closed, cancelled): no timers.
    public var endedAt: Date?
    public var endReason: String?

    public init(
        assignmentID: String, ticketNo: String, unit: String, role: AssignmentRole?, kind: TicketKind,
        urgency: Urgency, channel: Channel, acceptedAt: Date, itemWorkingDays: Int?, dispatchedAt: Date,
        deadlines: AssignmentDeadlines, signedAt: Date? = nil, profile: RuleProfile
    ) {
        self.assignmentID = assignmentID
        self.ticketNo = ticketNo
        self.unit = unit
        self.role = role
        self.kind = kind
        self.urgency = urgency
        self.channel = channel
        self.acceptedAt = acceptedAt
        self.itemWorkingDays = itemWorkingDays
        self.dispatchedAt = dispatchedAt
        self.deadlines = deadlines
        self.signedAt = signedAt
        self.extensionsGranted = 0
        self.extensionDaysGranted = 0
        self.resolveStart = dispatchedAt
        self.resolveStart = start(profile.handling.from)
    }

    enum CodingKeys: String, CodingKey {
        case assignmentID = "assignment_id"
        case ticketNo = "ticket_no"
        case unit, role, kind, urgency, channel
        case acceptedAt = "accepted_at"
        case itemWorkingDays = "item_working_days"
        case dispatchedAt = "dispatched_at"
        case deadlines
        case signedAt = "signed_at"
        case notifiedAt = "notified_at"
        case feedbackAt = "feedback_at"
        case resolveStart = "resolve_start"
        case pausedAt = "paused_at"
        case resolutionSubmittedAt = "resolution_submitted_at"
        case followUpStart = "follow_up_start"
        case followUpBy = "follow_up_by"
        case extensionsGranted = "extensions_granted"
        case extensionDaysGranted = "extension_days_granted"
        case endedAt = "ended_at"
        case endReason = "end_reason"
    }

    /// The ticket facts deadlines depend on.
    public var facts: DeadlinePlanner.TicketFacts {
        DeadlinePlanner.TicketFacts(kind: kind, urgency: urgency, channel: channel, acceptedAt: acceptedAt)
    }

    public var hasEnded: Bool { endedAt != nil }
    /// Whether an extension was ever granted (an extended assignment cannot be returned, PS §14).
    public var isExtended: Bool { extensionsGranted > 0 }

    /// Where a limit counted `from` starts for this assignment.
    public func start(_ from: LimitStart) -> Date {
        switch from {
        case .acceptance: return acceptedAt
        case .dispatch: return dispatchedAt
        case .signing: return signedAt ?? dispatchedAt
        }
    }

    // MARK: - Events

    /// The unit signed (or was signed automatically) at `at`. Where the profile counts handling from
    /// signing, the resolve period (the warnings' base) starts then.
    public mutating func sign(at: Date, profile: RuleProfile) {
        guard signedAt == nil else { return }
        signedAt = at
        if profile.handling.from == .signing { resolveStart = at }
    }

    /// The unit told the citizen (`assignment.citizen-notified`), counted from the notice's arrival.
    public mutating func notify(stage: CitizenNoticeStage, at: Date) {
        switch stage {
        case .acceptance: if notifiedAt == nil { notifiedAt = at }
        case .progress: if feedbackAt == nil { feedbackAt = at }
        }
    }

    /// A return request went to the center: the clock stops unless the profile counts review time.
    public mutating func requestReturn(at: Date, profile: RuleProfile) {
        guard !hasEnded, pausedAt == nil, !profile.returns.reviewTimeCounts else { return }
        pausedAt = at
    }

    /// The center denied the return: the timers run again.
    public mutating func denyReturn() {
        pausedAt = nil
    }

    /// An approved extension of `workingDays`, counted from the current resolve deadline.
    public mutating func extend(workingDays: Int, planner: DeadlinePlanner) throws {
        deadlines.resolveBy = try planner.extendedResolveBy(deadlines.resolveBy, workingDays: workingDays)
        extensionsGranted += 1
        extensionDaysGranted += workingDays
    }

    /// A resolution (or stage resolution, or a co-unit's part) was submitted for review.
    public mutating func submitResolution(at: Date) {
        if resolutionSubmittedAt == nil { resolutionSubmittedAt = at }
    }

    /// The center rejected the resolution: the deadlines stand as they were.
    public mutating func rejectResolution() {
        resolutionSubmittedAt = nil
    }

    /// The center approved a stage resolution: the follow-up date replaces the resolve deadline.
    public mutating func stageResolve(at: Date, followUpBy: Date) {
        resolutionSubmittedAt = nil
        followUpStart = at
        self.followUpBy = followUpBy
    }

    /// The ticket was reopened for re-handling at `at` with the dispatcher's `deadlines`: the resolve
    /// period starts again then.
    public mutating func reopen(at: Date, deadlines: AssignmentDeadlines) {
        self.deadlines = deadlines
        resolveStart = at
        endedAt = nil
        endReason = nil
        pausedAt = nil
        resolutionSubmittedAt = nil
        followUpStart = nil
        followUpBy = nil
        if signedAt == nil { signedAt = at }
    }

    /// The assignment ended (returned, resolved, closed, cancelled).
    public mutating func end(at: Date, reason: String) {
        guard endedAt == nil else { return }
        endedAt = at
        endReason = reason
    }

    // MARK: - Timers

    /// The timers this assignment needs now: none once ended or while a return is under review.
    public func timers(_ planner: TimerPlanner, now: Date) -> [TimerSpec] {
        guard endedAt == nil, pausedAt == nil else { return [] }
        let profile = planner.profile
        func working(_ kind: DeadlineKind) -> Bool {
            planner.isWorkingTime(kind, ticket: self.kind, urgency: urgency, itemWorkingDays: itemWorkingDays)
        }
        var timers: [TimerSpec] = []
        if signedAt == nil {
            timers += planner.timers(
                for: .sign, start: start(profile.sign.from), deadline: deadlines.signBy, workingTime: working(.sign),
                now: now)
        }
        if notifiedAt == nil {
            timers += planner.timers(
                for: .notify, start: start(profile.acceptanceNotice.from), deadline: deadlines.notifyBy,
                workingTime: working(.notify), now: now)
        }
        if resolutionSubmittedAt == nil {
            if feedbackAt == nil, let feedbackBy = deadlines.feedbackBy {
                timers += planner.timers(
                    for: .feedback, start: start(profile.feedback.from), deadline: feedbackBy,
                    workingTime: working(.feedback), now: now)
            }
            if let followUpBy {
                timers += planner.timers(
                    for: .followUp, start: followUpStart, deadline: followUpBy, workingTime: false, now: now)
            } else {
                timers += planner.timers(
                    for: .resolve, start: resolveStart, deadline: deadlines.resolveBy, workingTime: working(.resolve),
                    now: now)
            }
        }
        return timers
    }
}

/// The center's dispatch deadline of a ticket (subject: the ticket number): armed on
/// `ticket.accepted`, ended by `ticket.dispatched` or the ticket's end.
public struct DispatchClock: Codable, Sendable, Hashable {
    public var ticketNo: String
    public var urgency: Urgency?
    public var acceptedAt: Date?
    public var dispatchBy: Date?
    public var dispatchedAt: Date?
    public var endedAt: Date?

    public init(
        ticketNo: String, urgency: Urgency? = nil, acceptedAt: Date? = nil, dispatchBy: Date? = nil,
        dispatchedAt: Date? = nil, endedAt: Date? = nil
    ) {
        self.ticketNo = ticketNo
        self.urgency = urgency
        self.acceptedAt = acceptedAt
        self.dispatchBy = dispatchBy
        self.dispatchedAt = dispatchedAt
        self.endedAt = endedAt
    }

    enum CodingKeys: String, CodingKey {
        case ticketNo = "ticket_no"
        case urgency
        case acceptedAt = "accepted_at"
        case dispatchBy = "dispatch_by"
        case dispatchedAt = "dispatched_at"
        case endedAt = "ended_at"
    }

    /// The ticket was accepted at `acceptedAt` (its `received_at`): the dispatch limit runs from then.
    public mutating func accept(urgency: Urgency, acceptedAt: Date, clearCase: Bool = false, planner: DeadlinePlanner) throws {
        self.urgency = urgency
        self.acceptedAt = acceptedAt
        dispatchBy = try planner.dispatchBy(urgency: urgency, acceptedAt: acceptedAt, clearCase: clearCase)
    }

    /// The dispatch warning and breach timers while the ticket waits for dispatch.
    public func timers(_ planner: TimerPlanner, now: Date) -> [TimerSpec] {
        guard dispatchedAt == nil, endedAt == nil, let urgency, let acceptedAt, let dispatchBy else { return [] }
        return planner.timers(
            for: .dispatch, start: acceptedAt, deadline: dispatchBy,
            workingTime: planner.isWorkingTime(.dispatch, ticket: .complaint, urgency: urgency, itemWorkingDays: nil),
            now: now)
    }
}

/// What `assignments` says about an assignment now, as the sla-timer reads it: the dispatcher keeps
/// the deadlines it plans (signing, a denied return, a reopen), the notices and the extensions granted
/// (from `assignment.extended`) in the row, and the row wins once it has caught up with the clock's
/// extensions.
public struct AssignmentSnapshot: Sendable, Hashable {
    /// Nil when the row has no state the platform knows.
    public var state: AssignmentState?
    public var deadlines: AssignmentDeadlines?
    public var signedAt: Date?
    public var notifiedAt: Date?
    /// The first progress notice (feedback).
    public var feedbackAt: Date?
    public var endedAt: Date?
    /// A stage resolution's follow-up date, while it is followed up.
    public var followUpBy: Date?
    /// The assignment's `extension_allowed` as dispatched.
    public var extensionAllowed: Bool?
    /// The extensions the dispatcher has recorded (`assignment.extended` applied).
    public var extensions: Int?

    public init(
        state: AssignmentState? = nil, deadlines: AssignmentDeadlines? = nil, signedAt: Date? = nil, notifiedAt: Date? = nil,
        feedbackAt: Date? = nil, endedAt: Date? = nil, followUpBy: Date? = nil, extensionAllowed: Bool? = nil,
        extensions: Int? = nil
    ) {
        self.extensionAllowed = extensionAllowed
        self.extensions = extensions
        self.state = state
        self.deadlines = deadlines
        self.signedAt = signedAt
        self.notifiedAt = notifiedAt
        self.feedbackAt = feedbackAt
        self.endedAt = endedAt
        self.followUpBy = followUpBy
    }
}

extension AssignmentClock {
    /// Takes over what the row knows: its deadlines and the follow-up date of a follow-up under way (the
    /// dispatcher plans both), the signing and the notices, and its end. A row that has not recorded
    /// this clock's latest extension yet (the dispatcher applies `assignment.extended` after the
    /// sla-timer granted it) keeps the clock's resolve deadline.
    public mutating func absorb(_ row: AssignmentSnapshot, now: Date) {
        if var stored = row.deadlines {
            if (row.extensions ?? 0) < extensionsGranted { stored.resolveBy = deadlines.resolveBy }
            deadlines = stored
        }
        if followUpBy != nil, let followUp = row.followUpBy { followUpBy = followUp }
        if signedAt == nil, let signed = row.signedAt { signedAt = signed }
        if notifiedAt == nil, let notified = row.notifiedAt { notifiedAt = notified }
        if feedbackAt == nil, let feedback = row.feedbackAt { feedbackAt = feedback }
        if let state = row.state, AssignmentLifecycle.endedStates.contains(state) {
            end(at: row.endedAt ?? now, reason: state.rawValue)
        }
    }
}
