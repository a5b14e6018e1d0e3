import Foundation

/// Where an assignment stands, as reported in `assignment.created`'s `history`.
public enum AssignmentState: String, Codable, Sendable, CaseIterable {
    /// Dispatched, not yet signed.
    case pending
    /// Signed and being handled.
    case signed
    /// A return was asked and awaits the center.
    case returnRequested = "return_requested"
    /// Returned (ended).
    case returned
    /// A resolution awaits the center's review.
    case resolutionSubmitted = "resolution_submitted"
    /// Resolved (ended).
    case resolved
    /// Stage-resolved, awaiting follow-up.
    case stageResolved = "stage_resolved"
    /// Cancelled (ended), e.g. another unit claimed a parallel ticket.
    case cancelled
    /// Closed with the ticket (ended).
    case closed
}
