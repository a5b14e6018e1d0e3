import Foundation

/// Every event type of the contract; the raw value is the `type` field and the routing key on
/// `hotline.events`.
public enum EventType: String, Codable, Sendable, CaseIterable {
    // Intake outcomes.
    case ticketAccepted = "ticket.accepted"
    case ticketAnswered = "ticket.answered"
    case ticketRejected = "ticket.rejected"
    case ticketMerged = "ticket.merged"
    case ticketSplit = "ticket.split"
    case submissionInvalid = "submission.invalid"
    // On-site verification before acceptance.
    case submissionVerificationRequested = "submission.verification-requested"
    case submissionVerificationReported = "submission.verification-reported"
    case submissionVerificationLapsed = "submission.verification-lapsed"
    // Dispatch.
    case ticketDispatched = "ticket.dispatched"
    case ticketDispatchManual = "ticket.dispatch-manual"
    // Assignments.
    case assignmentSigned = "assignment.signed"
    case assignmentCitizenNotified = "assignment.citizen-notified"
    case assignmentReturnRequested = "assignment.return-requested"
    case assignmentReturned = "assignment.returned"
    case assignmentReturnDenied = "assignment.return-denied"
    case assignmentExtensionRequested = "assignment.extension-requested"
    case assignmentExtended = "assignment.extended"
    case assignmentExtensionDenied = "assignment.extension-denied"
    case assignmentResolutionSubmitted = "assignment.resolution-submitted"
    case assignmentReplanned = "assignment.replanned"
    case assignmentTransferred = "assignment.transferred"
    // Ticket lifecycle.
    case ticketResolutionRejected = "ticket.resolution-rejected"
    case ticketResolved = "ticket.resolved"
    case ticketStageResolved = "ticket.stage-resolved"
    case ticketReopened = "ticket.reopened"
    case ticketClosed = "ticket.closed"
    case ticketConcluded = "ticket.concluded"
    // Deadlines, escalation, warnings.
    case slaWarning = "sla.warning"
    case slaBreached = "sla.breached"
    case escalationRaised = "escalation.raised"
    case alertRaised = "alert.raised"
    // Surveys and cards.
    case surveySent = "survey.sent"
    case surveyCompleted = "survey.completed"
    case cardIssued = "card.issued"
    case cardsComputed = "cards.computed"
    // Assessment.
    case assessmentAppealed = "assessment.appealed"
    case assessmentAppealDecided = "assessment.appeal-decided"
    case assessmentPointsAwarded = "assessment.points-awarded"
    // Supervision.
    case supervisionOpened = "supervision.opened"
    case supervisionAnswered = "supervision.answered"
    case supervisionEscalated = "supervision.escalated"
    case supervisionClosed = "supervision.closed"
    // Reference data.
    case referenceChanged = "reference.changed"
    // The knowledge base.
    case knowledgeDrafted = "knowledge.drafted"
    case knowledgePublished = "knowledge.published"
    case knowledgeDraftRejected = "knowledge.draft-rejected"
    case knowledgeWithdrawn = "knowledge.withdrawn"
    case knowledgeFlagged = "knowledge.flagged"
    // Command outcomes.
    case commandRejected = "command.rejected"

    /// The routing key on `hotline.events` (the raw value).
    public var routingKey: String { rawValue }

    /// Whether this is one of the outcomes of a `ticket.submit`.
    public var isIntakeOutcome: Bool {
        switch self {
        case .ticketAccepted, .ticketAnswered, .ticketRejected, .ticketMerged, .ticketSplit, .submissionInvalid:
            return true
        default:
            return false
        }
    }

    /// The struct that carries this event type.
    public var eventStruct: any HotlineEvent.Type {
        switch self {
        case .ticketAccepted: return TicketAccepted.self
        case .ticketAnswered: return TicketAnswered.self
        case .ticketRejected: return TicketRejected.self
        case .ticketMerged: return TicketMerged.self
        case .ticketSplit: return TicketSplit.self
        case .submissionInvalid: return SubmissionInvalid.self
        case .submissionVerificationRequested: return SubmissionVerificationRequested.self
        case .submissionVerificationReported: return SubmissionVerificationReported.self
        case .submissionVerificationLapsed: return SubmissionVerificationLapsed.self
        case .ticketDispatched: return TicketDispatched.self
        case .ticketDispatchManual: return TicketDispatchManual.self
        case .assignmentSigned: return AssignmentSigned.self
        case .assignmentCitizenNotified: return AssignmentCitizenNotified.self
        case .assignmentReturnRequested: return AssignmentReturnRequested.self
        case .assignmentReturned: return AssignmentReturned.self
        case .assignmentReturnDenied: return AssignmentReturnDenied.self
        case .assignmentExtensionRequested: return AssignmentExtensionRequested.self
        case .assignmentExtended: return AssignmentExtended.self
        case .assignmentExtensionDenied: return AssignmentExtensionDenied.self
        case .assignmentResolutionSubmitted: return AssignmentResolutionSubmitted.self
        case .assignmentReplanned: return AssignmentReplanned.self
        case .assignmentTransferred: return AssignmentTransferred.self
        case .ticketResolutionRejected: return TicketResolutionRejected.self
        case .ticketResolved: return TicketResolved.self
        case .ticketStageResolved: return TicketStageResolved.self
        case .ticketReopened: return TicketReopened.self
        case .ticketClosed: return TicketClosed.self
        case .ticketConcluded: return TicketConcluded.self
        case .slaWarning: return SLAWarning.self
        case .slaBreached: return SLABreached.self
        case .escalationRaised: return EscalationRaised.self
        case .alertRaised: return AlertRaised.self
        case .surveySent: return SurveySent.self
        case .surveyCompleted: return SurveyCompleted.self
        case .cardIssued: return CardIssued.self
        case .cardsComputed: return CardsComputed.self
        case .assessmentAppealed: return AssessmentAppealed.self
        case .assessmentAppealDecided: return AssessmentAppealDecided.self
        case .assessmentPointsAwarded: return AssessmentPointsAwarded.self
        case .supervisionOpened: return SupervisionOpened.self
        case .supervisionAnswered: return SupervisionAnswered.self
        case .supervisionEscalated: return SupervisionEscalated.self
        case .supervisionClosed: return SupervisionClosed.self
        case .referenceChanged: return ReferenceChanged.self
        case .knowledgeDrafted: return KnowledgeDrafted.self
        case .knowledgePublished: return KnowledgePublished.self
        case .knowledgeDraftRejected: return KnowledgeDraftRejected.self
        case .knowledgeWithdrawn: return KnowledgeWithdrawn.self
        case .knowledgeFlagged: return KnowledgeFlagged.self
        case .commandRejected: return CommandRejected.self
        }
    }
}
