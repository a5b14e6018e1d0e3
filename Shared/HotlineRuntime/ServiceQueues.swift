import HotlineMessaging

/// The services' own queues on `hotline.events` and `hotline.commands`, with their bindings, in
/// one place: each service consumes them, and `hotlinectl broker setup` and the broker definitions
/// declare them too, so that nothing published before a service first starts is unroutable.
public struct ServiceQueue: Sendable {
    public let service: String
    public let purpose: String
    public let exchange: String
    public let routingKeys: [String]
    /// Nobody awaits what its deliveries cause (timers armed, alerts recorded): its consumer lingers
    /// `HOTLINE_BACKGROUND_LINGER_MS` for fuller batches, which saves a commit and the broker's work
    /// per delivery at moderate load (docs/benchmark.md "Background queues").
    public let isBackground: Bool

    init(service: String, purpose: String, exchange: String, routingKeys: [String], isBackground: Bool = false) {
        self.service = service
        self.purpose = purpose
        self.exchange = exchange
        self.routingKeys = routingKeys
        self.isBackground = isBackground
    }

    public var name: String { HotlineTopology.serviceQueue(service, purpose) }

    /// The queue and its bindings.
    public var topology: AMQPTopology {
        HotlineTopology.serviceQueue(service: service, purpose: purpose, exchange: exchange, routingKeys: routingKeys).topology
    }

    /// Intake's commands: the units' conclusion notices and the street offices' on-site verifications.
    public static let intakeCommands = ServiceQueue(
        service: "intake", purpose: "commands", exchange: Exchange.commands,
        routingKeys: ["unit.conclude-matter", "unit.report-verification"])
    public static let dispatcherEvents = ServiceQueue(
        service: "dispatcher", purpose: "events", exchange: Exchange.events,
        routingKeys: ["ticket.accepted", "ticket.split", "sla.breached", "ticket.reopened", "ticket.closed", "assignment.extended"])
    /// Every command: the dispatcher answers its own, and unknown types with `command.rejected`.
    public static let dispatcherCommands = ServiceQueue(
        service: "dispatcher", purpose: "commands", exchange: Exchange.commands,
        routingKeys: ["unit.#", "center.#", "survey.#"])
    public static let slaTimerEvents = ServiceQueue(
        service: "sla-timer", purpose: "events", exchange: Exchange.events,
        routingKeys: [
            "ticket.accepted", "ticket.dispatched", "assignment.signed", "assignment.citizen-notified",
            "assignment.return-requested", "assignment.returned", "assignment.return-denied",
            "assignment.resolution-submitted", "assignment.replanned", "assignment.transferred",
            "ticket.resolution-rejected", "ticket.resolved", "ticket.stage-resolved", "ticket.closed",
            "knowledge.flagged", "knowledge.published", "knowledge.withdrawn",
        ],
        isBackground: true)
    public static let slaTimerCommands = ServiceQueue(
        service: "sla-timer", purpose: "commands", exchange: Exchange.commands,
        routingKeys: ["unit.request-extension", "center.decide-extension"])
    public static let escalationEvents = ServiceQueue(
        service: "escalation-notifier", purpose: "events", exchange: Exchange.events,
        routingKeys: [
            "ticket.accepted", "sla.#", "ticket.resolved", "ticket.closed", "ticket.merged", "ticket.split",
            "ticket.reopened",
        ],
        isBackground: true)
    /// The notifier's commands: the center's on-demand quarter cards, the assessment's appeals and awards,
    /// and supervision.
    public static let escalationCommands = ServiceQueue(
        service: "escalation-notifier", purpose: "commands", exchange: Exchange.commands,
        routingKeys: [
            "center.compute-cards", "unit.appeal-assessment", "center.decide-appeal", "center.award-points",
            "center.open-supervision", "unit.answer-supervision", "center.escalate-supervision", "center.close-supervision",
        ])
    public static let surveyEvents = ServiceQueue(
        service: "survey", purpose: "events", exchange: Exchange.events, routingKeys: ["ticket.resolved", "ticket.closed"])
    /// The survey's commands: the citizen's answers and the center's exclusions (核减).
    public static let surveyCommands = ServiceQueue(
        service: "survey", purpose: "commands", exchange: Exchange.commands,
        routingKeys: ["survey.response", "center.exclude-dissatisfaction"])

    /// The knowledge base's commands: the units' entries and the center's flags.
    public static let knowledgeCommands = ServiceQueue(
        service: "knowledge", purpose: "commands", exchange: Exchange.commands,
        routingKeys: ["unit.draft-knowledge", "unit.review-knowledge", "unit.withdraw-knowledge", "center.flag-knowledge"])
    /// The gateways' searches, on a queue of their own: a query never waits behind a batch of commands.
    public static let knowledgeQueries = ServiceQueue(
        service: "knowledge", purpose: "queries", exchange: Exchange.commands, routingKeys: ["gateway.search-knowledge"])
    /// Consultations answered on the call, which record the entry they used.
    public static let knowledgeEvents = ServiceQueue(
        service: "knowledge", purpose: "events", exchange: Exchange.events, routingKeys: ["ticket.answered"],
        isBackground: true)

    public static let all: [ServiceQueue] = [
        intakeCommands, dispatcherEvents, dispatcherCommands, slaTimerEvents, slaTimerCommands, escalationEvents, escalationCommands,
        surveyEvents, surveyCommands, knowledgeCommands, knowledgeQueries, knowledgeEvents,
    ]
}

extension ServiceRuntime {
    /// A consumer of one of the services' own queues, which it declares and binds on every connect (the
    /// exchanges are the broker set-up's: a service user may not declare them).
    public func consumer(
        of queue: ServiceQueue, handler: @escaping @Sendable (Delivery) async -> Disposition
    ) -> ConsumerService {
        let milliseconds = queue.isBackground ? configuration.backgroundLingerMilliseconds : configuration.batchLingerMilliseconds
        return consumer(queue: queue.name, topology: queue.topology, linger: .milliseconds(milliseconds), handler: handler)
    }
}
