import Foundation
import HotlineMessaging
import HotlineRuntime
import Synchronization

/// The lifecycle phase: fresh submissions (`CG-001`, one sole assignment each, unit CG) driven through
/// their whole life as in production. The unit answers each `assignment.created` with `unit.sign`,
/// `unit.notify-citizen` (stage acceptance) and `unit.submit-resolution` (outcome resolved), each once
/// the previous one's outcome came; the center answers each `assignment.resolution-submitted` with
/// `center.decide-resolution` (approve); the survey channel answers each `survey.sent` with a satisfied
/// `survey.response` (five stars on each pingshan dimension). A ticket is finished at its
/// `ticket.closed`. The center and the survey channel learn of the events from a queue of the
/// benchmark's own on `hotline.events`; every command's outcome comes on the sender's reply queue.
final class LifecyclePhase: Sendable {
    /// The benchmark's queue on `hotline.events` (deleted afterwards).
    static let eventQueue = "hotline.bench.lifecycle"
    static let commandTypes = [
        "unit.sign", "unit.notify-citizen", "unit.submit-resolution", "center.decide-resolution", "survey.response",
    ]
    /// A ticket's life, in order: what it waits for after each stage is the next one.
    static let stages = [
        "submitted", "assignment.created", "assignment.signed", "assignment.citizen-notified",
        "assignment.resolution-submitted", "ticket.resolved", "survey.completed", "ticket.closed",
    ]

    struct Ticket: Sendable {
        var submitted = Date()
        var ticketNo: String?
        /// The last outcome or event of its life seen so far.
        var stage = "submitted"
        var problem: String?
        var closed: Date?

        /// Moves `stage` forward (outcomes of one ticket may arrive out of order).
        mutating func reached(_ next: String) {
            let stages = LifecyclePhase.stages
            if (stages.firstIndex(of: next) ?? 0) > (stages.firstIndex(of: stage) ?? 0) { stage = next }
        }
    }

    struct State: Sendable {
        var tickets: [String: Ticket] = [:]
        var byTicketNo: [String: String] = [:]
        var byAssignment: [String: String] = [:]
        /// Deliveries already answered (by assignment, event or survey id): a redelivery is not answered twice.
        var answered: Set<String> = []
        var latencies: [String: [Double]] = [:]
        var rejected: [String: Int] = [:]
        var noOutcome: [String: Int] = [:]
        var lastChange = Date()
    }

    struct Result: Sendable {
        var count: Int
        var closed: Int
        var seconds: Double
        var lifeSeconds: Percentiles
        var latencies: [(type: String, ms: Percentiles)]
        var rejected: [String: Int]
        var noOutcome: [String: Int]
        var unfinished: [String]
        var unmatchedReplies: Int
        var inFlight: Int
    }

    private let environment: BenchEnvironment
    private let admin: AMQPAdmin
    private let run: String
    private let inFlight: Int
    private let commandTimeout: TimeInterval
    private let state = Mutex(State())
    private let clients = Mutex<[String: Task<CommandClient, any Error>]>([:])
    private let window: CommandWindow

    init(environment: BenchEnvironment, admin: AMQPAdmin, inFlight: Int, commandTimeout: TimeInterval = 120) {
        self.environment = environment
        self.admin = admin
        run = "BENCH-\(String(UUID().uuidString.prefix(6)))-L-"
        self.inFlight = inFlight
        self.commandTimeout = commandTimeout
        window = CommandWindow(limit: inFlight)
    }

    /// Submits `count` tickets as the gateway and drives them until each is closed or stuck; gives up
    /// waiting after `stallTimeout` seconds without any ticket moving, or `limit` seconds in all.
    func drive(
        count: Int, gateway: RetryingPublisher, receivers: UnitReceivers, stallTimeout: TimeInterval = 300,
        limit: TimeInterval = 1800
    ) async throws -> Result {
        try? await admin.deleteQueue(Self.eventQueue)
        try await admin.declareObserver(
            queue: Self.eventQueue, exchange: Exchange.events,
            routingKeys: ["assignment.resolution-submitted", "survey.sent", "ticket.closed"])
        let events = AMQPConsumer(
            configuration: try AMQPConfiguration(url: environment.adminAMQPURL), queue: Self.eventQueue,
            topology: AMQPTopology(), prefetch: 500, logger: BenchEnvironment.logger)
        let watching = Task { [self] in
            for await delivery in events.deliveries {
                events.ack(delivery)
                handleEvent(delivery)
            }
        }
        _ = try await client("center")
        _ = try await client("survey")
        receivers.listen { [self] unit, delivery in
            guard delivery.properties.type == "assignment.created",
                  let submission = BenchSubmission.submissionID(ofAssignment: delivery.body), submission.hasPrefix(run)
            else { return }
            let fields = CommandClient.fields(delivery.body)
            guard let assignmentID = fields["assignment_id"], let ticketNo = fields["ticket_no"] else { return }
            Task { await actAsUnit(unit, submission: submission, assignmentID: assignmentID, ticketNo: ticketNo) }
        }

        let ids = (0..<count).map { String(format: "%@%06d", run, $0) }
        let started = Date()
        state.withLock { state in
            for id in ids { state.tickets[id] = Ticket(submitted: started) }
            state.lastChange = started
        }
        for chunk in stride(from: 0, to: ids.count, by: 100) {
            let messages = ids[chunk..<min(ids.count, chunk + 100)].map {
                BenchSubmission.message(id: $0, messageID: UUID().uuidString)
            }
            try await gateway.publish(messages)
        }
        say("lifecycle: \(count) submissions published; driving them to ticket.closed (\(inFlight) commands in flight at most)")

        while true {
            try await Task.sleep(for: .milliseconds(250))
            let (open, lastChange) = state.withLock { state in
                (state.tickets.values.filter { $0.closed == nil && $0.problem == nil }.count, state.lastChange)
            }
            if open == 0 { break }
            if Date().timeIntervalSince(lastChange) > stallTimeout || Date().timeIntervalSince(started) > limit {
                say("lifecycle: \(open) tickets still open; giving up waiting")
                break
            }
        }
        receivers.listen(nil)
        events.pause()
        await events.stop()
        watching.cancel()
        try? await admin.deleteQueue(Self.eventQueue)
        var unmatched = 0
        for task in clients.withLock({ Array($0.values) }) {
            guard let client = try? await task.value else { continue }
            unmatched += client.unmatched.load(ordering: .relaxed)
            await client.stop()
        }

        let final = state.withLock { $0 }
        let tickets = final.tickets
        let closedTimes = tickets.values.compactMap(\.closed)
        let end = closedTimes.max() ?? Date()
        let unfinished = tickets.filter { $0.value.closed == nil }.sorted { $0.key < $1.key }.map { id, ticket in
            "\(id) \(ticket.ticketNo ?? "(no ticket number)"): after \(ticket.stage); " + (ticket.problem ?? "no answer yet")
        }
        return Result(
            count: count, closed: closedTimes.count, seconds: end.timeIntervalSince(started),
            lifeSeconds: Percentiles(tickets.values.compactMap { ticket in ticket.closed.map { $0.timeIntervalSince(ticket.submitted) } }),
            latencies: Self.commandTypes.map { ($0, Percentiles(final.latencies[$0] ?? [])) }, rejected: final.rejected,
            noOutcome: final.noOutcome, unfinished: unfinished, unmatchedReplies: unmatched, inFlight: inFlight)
    }

    // MARK: - The actors

    /// The unit: sign, notify the citizen of the acceptance, submit the resolution.
    private func actAsUnit(_ unit: String, submission: String, assignmentID: String, ticketNo: String) async {
        let first = state.withLock { state -> Bool in
            guard state.answered.insert("assignment:\(assignmentID)").inserted else { return false }
            state.byTicketNo[ticketNo] = submission
            state.byAssignment[assignmentID] = submission
            state.tickets[submission]?.ticketNo = ticketNo
            state.tickets[submission]?.reached("assignment.created")
            state.lastChange = Date()
            return true
        }
        guard first else { return }
        let user = "unit.\(unit)"
        guard await command(user, "unit.sign", ["assignment_id": assignmentID], expecting: "assignment.signed", for: submission)
        else { return }
        let notice: [String: Any] = [
            "assignment_id": assignmentID, "stage": "acceptance", "method": "phone", "at": ISO8601DateFormatter().string(from: Date()),
        ]
        guard await command(user, "unit.notify-citizen", notice, expecting: "assignment.citizen-notified", for: submission)
        else { return }
        let resolution: [String: Any] = [
            "assignment_id": assignmentID, "outcome": "resolved", "reply": "已现场处置并回复诉求人", "handler": "王工",
            "handled_at": ISO8601DateFormatter().string(from: Date()),
        ]
        _ = await command(
            user, "unit.submit-resolution", resolution, expecting: "assignment.resolution-submitted", for: submission)
    }

    /// The center and the survey channel answer the events that ask for them; `ticket.closed` ends a life.
    private func handleEvent(_ delivery: Delivery) {
        let fields = CommandClient.fields(delivery.body)
        let type = fields["type"] ?? delivery.properties.type ?? delivery.routingKey
        let key = "event:\(fields["event_id"] ?? delivery.properties.messageID ?? UUID().uuidString)"
        let submission = state.withLock { state -> String? in
            let submission: String? = switch type {
            case "assignment.resolution-submitted": fields["assignment_id"].flatMap { state.byAssignment[$0] }
            default: fields["ticket_no"].flatMap { state.byTicketNo[$0] }
            }
            guard let submission, state.answered.insert(key).inserted else { return nil }
            if type == "ticket.closed" {
                state.tickets[submission]?.closed = Date()
                state.tickets[submission]?.reached("ticket.closed")
                state.lastChange = Date()
            }
            return submission
        }
        guard let submission else { return }
        switch type {
        case "assignment.resolution-submitted":
            guard let assignmentID = fields["assignment_id"] else { return }
            Task {
                await command(
                    "center", "center.decide-resolution", ["assignment_id": assignmentID, "approve": true, "note": "同意办结"],
                    expecting: "ticket.resolved", for: submission)
            }
        case "survey.sent":
            guard let surveyID = fields["survey_id"], let ticketNo = fields["ticket_no"] else { return }
            let stars = ["speed": 5, "effect": 5, "experience": 5, "feedback": 5]
            Task {
                await command(
                    "survey", "survey.response", ["survey_id": surveyID, "ticket_no": ticketNo, "ratings": stars],
                    expecting: "survey.completed", for: submission)
            }
        default: break
        }
    }

    /// Sends a command as `user` within the window of commands in flight and records its outcome;
    /// false unless it is `expected`.
    @discardableResult
    private func command(
        _ user: String, _ type: String, _ body: [String: Any], expecting expected: String, for submission: String
    ) async -> Bool {
        func stop(_ problem: String) {
            state.withLock { state in
                if state.tickets[submission]?.problem == nil { state.tickets[submission]?.problem = problem }
                state.lastChange = Date()
            }
        }
        let sender: CommandClient
        do { sender = try await client(user) } catch {
            stop("\(type): no client for \(user): \(error)")
            return false
        }
        await window.acquire()
        let outcome = await sender.send(type, body, timeout: commandTimeout)
        await window.release()
        guard let outcome else {
            state.withLock { $0.noOutcome[type, default: 0] += 1 }
            stop(String(format: "%@: no outcome within %.0f s", type, commandTimeout))
            return false
        }
        let answer = outcome.string("type") ?? outcome.type
        state.withLock { $0.latencies[type, default: []].append(outcome.milliseconds) }
        if answer == "command.rejected" {
            let reason = outcome.string("reason") ?? "?"
            state.withLock { $0.rejected["\(type) \(reason)", default: 0] += 1 }
            stop("\(type): command.rejected \(reason): \(outcome.string("message") ?? "")")
            return false
        }
        guard answer == expected else {
            stop("\(type): \(answer), expected \(expected)")
            return false
        }
        state.withLock { state in
            state.tickets[submission]?.reached(expected)
            state.lastChange = Date()
        }
        return true
    }

    /// The client of a broker user, made on first use.
    private func client(_ user: String) async throws -> CommandClient {
        let task = clients.withLock { clients in
            if let task = clients[user] { return task }
            let task = Task { [environment, admin] in try await CommandClient(user: user, environment: environment, admin: admin) }
            clients[user] = task
            return task
        }
        return try await task.value
    }
}

extension LifecyclePhase.Result {
    /// The figures, indented.
    func lines() -> [String] {
        var lines = [
            String(
                format: "  %d/%d tickets closed (ticket.closed) in %.1f s: %.2f tickets/s; submission → ticket.closed s: p50 %.1f  p99 %.1f  max %.1f",
                closed, count, seconds, Double(closed) / max(seconds, 0.001), lifeSeconds.p50, lifeSeconds.p99, lifeSeconds.max),
            "  outcome latency ms (publish → outcome on the reply queue; \(inFlight) commands in flight at most):",
        ]
        for (type, ms) in latencies {
            lines.append("    " + type.padding(toLength: 26, withPad: " ", startingAt: 0)
                + String(format: "n %4d   p50 %7.1f   p99 %7.1f   max %7.1f", ms.count, ms.p50, ms.p99, ms.max))
        }
        let rejections = rejected.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        lines.append("  command.rejected by command and reason: " + (rejections.isEmpty ? "none" : rejections.joined(separator: ", ")))
        let missing = noOutcome.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        lines.append("  commands without an outcome: " + (missing.isEmpty ? "none" : missing.joined(separator: ", "))
            + "; replies matching no command: \(unmatchedReplies)")
        if !unfinished.isEmpty {
            lines.append("  unfinished tickets (\(unfinished.count)):")
            lines += unfinished.prefix(20).map { "    " + $0 }
            if unfinished.count > 20 { lines.append("    … and \(unfinished.count - 20) more") }
        }
        return lines
    }
}

/// At most `limit` commands in flight at once.
actor CommandWindow {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { free = max(1, limit) }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}
