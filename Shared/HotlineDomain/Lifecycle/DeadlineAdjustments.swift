import Foundation

/// How an assignment's deadlines move along its lifecycle: at signing, after a return's review,
/// when the ticket is re-dispatched after an approved return, and when it is reopened.
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

    /// The working time a return spent under the center's review, which does not count against the
    /// unit unless the profile says it does (ZS §17); 0 then.
    public func pausedForReturnReview(from start: Date?, to end: Date) throws -> TimeInterval {
        guard let start, !profile.returns.reviewTimeCounts else { return 0 }
        return try calendar.workingSeconds(from: start, to: end)
    }

    /// The deadlines after a denied return: the resolve deadline moves later by the working time the
    /// request spent under review (the unit keeps the assignment; its limit runs from first receipt).
    public func afterDeniedReturn(
        _ deadlines: AssignmentDeadlines, reviewStartedAt: Date?, decidedAt: Date
    ) throws -> AssignmentDeadlines {
        let paused = try pausedForReturnReview(from: reviewStartedAt, to: decidedAt)
        guard paused > 0 else { return deadlines }
        var result = deadlines
        result.resolveBy = try calendar.addingWorkingTime(paused, to: deadlines.resolveBy)
        return result
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
            let paused = try pausedForReturnReview(from: reviewStartedAt, to: redispatchedAt)
            fresh.resolveBy = try calendar.addingWorkingTime(paused, to: previous.resolveBy)
        }
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
