import Foundation

/// How an assignment's deadlines move along its lifecycle: at signing, after a return's review,
/// when the ticket is re-dispatched after an approved return, and when it is reopened. The dispatcher
/// plans them all and keeps them in its row; the sla-timer takes them from there.
extension DeadlinePlanner {
    /// The deadlines once the unit signs: every limit the profile counts from signing starts at
    /// `signedAt` (pingshan: the acceptance notice; daye: handling too); the others stay.
    public func afterSigning(
        _ deadlines: AssignmentDeadlines, ticket: TicketFacts, dispatchedAt: Date, signedAt: Date,
        itemWorkingDays: Int? = nil, returnAllowed: Bool
    ) throws -> AssignmentDeadlines {
        let replanned = try plan(
            ticket: ticket, dispatchedAt: dispatchedAt, itemWorkingDays: itemWorkingDays, signedAt: signedAt,
            returnAllowed: returnAllowed)
        var result = deadlines
        if profile.acceptanceNotice.from == .signing { result.notifyBy = replanned.notifyBy }
        if profile.handling.from == .signing { result.resolveBy = replanned.resolveBy }
        if profile.feedback.from == .signing { result.feedbackBy = replanned.feedbackBy }
        if profile.returns.from == .signing, returnAllowed { result.returnBy = replanned.returnBy }
        return result
    }

    /// The deadlines after a denied return (the unit keeps the assignment; its limits run from first
    /// receipt, ZS §17): each one the unit has not met yet moves later by the time the request spent
    /// under review — sign, the acceptance notice, the feedback, and the resolve deadline, or instead
    /// the stage resolution's follow-up date when there is one. Nothing moves when the profile counts
    /// review time.
    /// - Parameters:
    ///   - met: the deadlines the unit has met (`sign`, `notify`, `feedback`); they stay.
    ///   - reviewStartedAt: when the request went to the center (nil: no review, nothing moves).
    public func afterDeniedReturn(
        _ deadlines: AssignmentDeadlines, followUpBy: Date? = nil, met: Set<DeadlineKind>, ticket: TicketFacts,
        itemWorkingDays: Int? = nil, reviewStartedAt: Date?, decidedAt: Date
    ) throws -> (deadlines: AssignmentDeadlines, followUpBy: Date?) {
        guard let review = try returnReview(
            from: reviewStartedAt, to: decidedAt, ticket: ticket, itemWorkingDays: itemWorkingDays)
        else { return (deadlines, followUpBy) }
        var moved = deadlines
        if !met.contains(.sign) { moved.signBy = try review.moved(deadlines.signBy, .sign) }
        if !met.contains(.notify) { moved.notifyBy = try review.moved(deadlines.notifyBy, .notify) }
        if !met.contains(.feedback), let feedbackBy = deadlines.feedbackBy {
            moved.feedbackBy = try review.moved(feedbackBy, .feedback)
        }
        guard let followUpBy else {
            moved.resolveBy = try review.moved(deadlines.resolveBy, .resolve)
            return (moved, nil)
        }
        return (moved, try review.moved(followUpBy, .followUp))
    }

    /// The deadlines of the assignment that takes the ticket over after an approved return: planned
    /// afresh from the re-dispatch where the profile restarts them (ZS §17); otherwise the returned
    /// assignment's resolve deadline carries over, moved by the time under review.
    public func afterApprovedReturn(
        ticket: TicketFacts, redispatchedAt: Date, itemWorkingDays: Int? = nil, returnAllowed: Bool,
        previous: AssignmentDeadlines, reviewStartedAt: Date?
    ) throws -> AssignmentDeadlines {
        var fresh = try plan(
            ticket: ticket, dispatchedAt: redispatchedAt, itemWorkingDays: itemWorkingDays,
            returnAllowed: returnAllowed)
        if !profile.returns.approvedRestartsDeadline {
            let review = try returnReview(
                from: reviewStartedAt, to: redispatchedAt, ticket: ticket, itemWorkingDays: itemWorkingDays)
            fresh.resolveBy = try review?.moved(previous.resolveBy, .resolve) ?? previous.resolveBy
        }
        return fresh
    }

    /// The deadlines of the successor's assignment when a retired unit's work is handed over: signing,
    /// the acceptance notice and the return window run afresh from the handover, while the resolve
    /// deadline the citizen was given stays as it was (a reorganisation moves no promise).
    public func afterHandover(
        ticket: TicketFacts, handedOverAt: Date, itemWorkingDays: Int? = nil, returnAllowed: Bool,
        previous: AssignmentDeadlines
    ) throws -> AssignmentDeadlines {
        var fresh = try plan(
            ticket: ticket, dispatchedAt: handedOverAt, itemWorkingDays: itemWorkingDays, returnAllowed: returnAllowed)
        fresh.resolveBy = previous.resolveBy
        return fresh
    }

    /// The deadlines of a reopened assignment (重办): the profile's re-handling limit from the
    /// reopening replaces the resolve deadline.
    public func afterReopen(
        _ deadlines: AssignmentDeadlines, kind: TicketKind, reopenedAt: Date, itemWorkingDays: Int? = nil
    ) throws -> AssignmentDeadlines {
        var result = deadlines
        result.resolveBy = try rehandlingResolveBy(kind: kind, reopenedAt: reopenedAt, itemWorkingDays: itemWorkingDays)
        return result
    }
}

/// The time a return spent under the center's review, which does not count against the unit
/// (ZS §17): the deadlines it pauses move later by it.
private struct ReturnReview {
    let planner: DeadlinePlanner
    let ticket: DeadlinePlanner.TicketFacts
    let itemWorkingDays: Int?
    let clockTime: TimeInterval
    let workingTime: TimeInterval

    /// `deadline` moved by the review: by its working time where the limit counts working time, by its
    /// clock time otherwise.
    func moved(_ deadline: Date, _ kind: DeadlineKind) throws -> Date {
        guard planner.isWorkingTime(kind, ticket: ticket.kind, urgency: ticket.urgency, itemWorkingDays: itemWorkingDays)
        else { return deadline.addingTimeInterval(clockTime) }
        return try planner.calendar.addingWorkingTime(workingTime, to: deadline)
    }
}

extension DeadlinePlanner {
    /// The review of a return from `start` to `end`; nil when it moves nothing (no review, or the
    /// profile counts review time).
    private func returnReview(
        from start: Date?, to end: Date, ticket: TicketFacts, itemWorkingDays: Int?
    ) throws -> ReturnReview? {
        guard let start, end > start, !profile.returns.reviewTimeCounts else { return nil }
        return ReturnReview(
            planner: self, ticket: ticket, itemWorkingDays: itemWorkingDays, clockTime: end.timeIntervalSince(start),
            workingTime: try calendar.workingSeconds(from: start, to: end))
    }
}
