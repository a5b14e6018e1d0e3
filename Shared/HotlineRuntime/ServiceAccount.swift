import HotlineDomain
import HotlineMessaging

/// What one service does on the broker, from which its broker user `svc.<service>` gets exactly the
/// permissions it needs (docs/security.md "Least privilege"): it declares and consumes its own queues,
/// and publishes its own events, and its other messages to the exchanges named here. Each service's
/// outbox relay publishes only that service's rows (`OutboxRelay`).
public struct ServiceAccount: Sendable {
    public let service: String
    /// The queues it consumes, with their bindings.
    public let topology: AMQPTopology
    /// The event types it publishes on `hotline.events` (its outcomes, `command.rejected` included).
    public let events: [EventType]
    /// The exchanges it publishes to besides `hotline.events`.
    public let exchanges: [String]
    /// Whether it republishes other users' messages (the console's dead-letter requeue) and sends
    /// the center's commands as `center`: the broker's `impersonator` tag, which lets it set any
    /// `user_id`, with write on the exchanges named here for any routing key, and read on
    /// `hotline.dead` (docs/security.md "The console").
    public let impersonates: Bool

    public var user: String { "svc.\(service)" }

    init(_ service: String, events: [EventType], exchanges: [String], impersonates: Bool = false, topology: AMQPTopology? = nil) {
        self.service = service
        self.impersonates = impersonates
        self.events = events
        self.exchanges = exchanges
        self.topology = topology ?? ServiceQueue.all.filter { $0.service == service }
            .reduce(AMQPTopology(exchanges: [], queues: [], bindings: [])) { $0 + $1.topology }
    }

    /// The eight services, as docs/architecture.md "Events" lists what each publishes.
    public static let all: [ServiceAccount] = [
        ServiceAccount(
            "intake",
            events: [
                .ticketAccepted, .ticketAnswered, .ticketRejected, .ticketMerged, .ticketSplit,
                .submissionInvalid, .ticketConcluded, .submissionVerificationRequested, .submissionVerificationReported,
                .submissionVerificationLapsed, .commandRejected,
            ],
            exchanges: [Exchange.assignments, Exchange.direct],
            topology: HotlineTopology.submissions + ServiceQueue.intakeCommands.topology),
        ServiceAccount(
            "dispatcher",
            events: [
                .ticketDispatched, .ticketDispatchManual, .assignmentSigned, .assignmentCitizenNotified,
                .assignmentReturnRequested, .assignmentReturned, .assignmentReturnDenied, .assignmentResolutionSubmitted,
                .assignmentReplanned, .assignmentTransferred, .ticketResolutionRejected, .ticketResolved, .ticketStageResolved, .commandRejected,
            ],
            exchanges: [Exchange.assignments, Exchange.direct]),
        ServiceAccount(
            "sla-timer",
            events: [
                .assignmentExtensionRequested, .assignmentExtended, .assignmentExtensionDenied, .slaWarning, .slaBreached,
                .commandRejected,
            ],
            exchanges: [Exchange.assignments, Exchange.notifications, Exchange.direct]),
        ServiceAccount(
            "escalation-notifier",
            events: [
                .escalationRaised, .alertRaised, .cardIssued, .cardsComputed, .assessmentAppealed, .assessmentAppealDecided,
                .assessmentPointsAwarded, .supervisionOpened, .supervisionAnswered, .supervisionEscalated, .supervisionClosed,
                .commandRejected,
            ],
            exchanges: [Exchange.assignments, Exchange.notifications, Exchange.direct]),
        ServiceAccount(
            "survey", events: [.ticketReopened, .ticketClosed, .surveySent, .surveyCompleted, .commandRejected],
            exchanges: [Exchange.notifications, Exchange.direct]),
        ServiceAccount(
            "knowledge",
            events: [
                .knowledgeDrafted, .knowledgePublished, .knowledgeDraftRejected, .knowledgeWithdrawn, .knowledgeFlagged,
                .commandRejected,
            ],
            exchanges: [Exchange.assignments, Exchange.direct]),
        // Publishes nothing of its own: submissions go out as each Open311 client's broker user.
        ServiceAccount("open311", events: [], exchanges: []),
        // Publishes nothing of its own: the center's commands as `center`, dead letters as their senders.
        ServiceAccount(
            "console", events: [],
            exchanges: [Exchange.intake, Exchange.commands, Exchange.assignments, Exchange.notifications, Exchange.direct],
            impersonates: true),
    ]
}
