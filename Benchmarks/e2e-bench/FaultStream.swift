import ArgumentParser
import Foundation
import HotlineMessaging
import HotlineStorage
import Synchronization

/// The stream of the fault test (`deploy/local/fault-test.sh`): publishes submissions as a gateway
/// at a fixed rate, retrying with the same message_id across connection losses, mixes in malformed
/// messages, consumes the unit queues as the units would, watches `/health` of the services, then
/// waits until the faults are over and the platform is quiet, and audits (see `FaultAudit`).
struct FaultStream: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fault-stream",
        abstract: "Stream submissions (and malformed messages) through faults, then audit the run.")

    @Option(help: "Run name: submission ids are RUN-nnnnnn, malformed message ids BAD-RUN-… and BADC-RUN-….")
    var run: String

    @Option(help: "Good submissions.")
    var count = 10_000

    @Option(help: "Malformed messages mixed into the stream (to hotline.intake and hotline.commands).")
    var malformed = 0

    @Option(help: "Messages per second (good and malformed together).")
    var rate = 100

    @Option(help: "Every n-th submission is sent a second time under a new message_id (0: never).")
    var resendEvery = 100

    @Option(help: "Wait for this file to exist (the faults are over) before waiting for quiescence.")
    var doneFile: String?

    @Option(help: "HTTP ports of the services whose /health is polled every 0.5 s, comma-separated.")
    var healthPorts = ""

    @Flag(help: "Fail when any /health poll did not answer 200 (the bad-input run).")
    var requireHealthy = false

    @Option(help: "Seconds without progress after which waiting for quiescence gives up (then the audit reports what is missing).")
    var settleTimeout = 180.0

    @Option(help: "Seconds at most to wait for quiescence in all.")
    var settleLimit = 3600.0

    func run() async throws {
        let environment = try BenchEnvironment.load(binDir: nil)
        let database = Database(url: environment.databaseURL, applicationName: "hotline-bench-fault", size: 2, logger: BenchEnvironment.logger)
        let units = try await UnitReceivers.unitCodes(database)
        let receivers = try UnitReceivers(amqpURL: environment.adminAMQPURL, units: units)
        await receivers.waitConnected()
        let gateway = try RetryingPublisher(url: try environment.amqpURL(user: "gateway"))
        let commander = try RetryingPublisher(url: environment.adminAMQPURL)

        // Health watch.
        let ports = healthPorts.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let health = HealthWatch(ports: ports)
        let watching = Task { await health.watch() }

        // The stream: good submissions with malformed messages spread evenly among them.
        let total = count + malformed
        let resends = resendEvery > 0 ? count / resendEvery : 0
        say("fault-stream \(run): \(count) submissions (+\(resends) resent under new ids), \(malformed) malformed, \(rate)/s")
        let started = Date()
        var good = 0, bad = 0
        var tasks: [Task<Void, any Error>] = []
        var sent = 0
        while sent < total {
            let due = min(total, Int(Date().timeIntervalSince(started) * Double(rate)) + 1)
            var submissions: [OutgoingMessage] = []
            var commands: [OutgoingMessage] = []
            while sent < due {
                // Position i of the stream is malformed when it is the k-th of `malformed` spread over `total`.
                let isBad = malformed > 0 && (sent * malformed / total) != ((sent + 1) * malformed / total)
                if isBad {
                    let message = MalformedMessages.message(bad, run: run)
                    if message.exchange == "hotline.intake" { submissions.append(message) } else { commands.append(message) }
                    bad += 1
                } else {
                    let id = String(format: "%@-%06d", run, good)
                    let receivedAt = Date()
                    submissions.append(BenchSubmission.message(id: id, messageID: "\(run)-M-\(good)", receivedAt: receivedAt))
                    if resendEvery > 0, good % resendEvery == resendEvery - 1 {
                        submissions.append(BenchSubmission.message(
                            id: id, messageID: "\(run)-R-\(good)", receivedAt: receivedAt))
                    }
                    good += 1
                }
                sent += 1
            }
            if !submissions.isEmpty { tasks.append(Task { [submissions] in try await gateway.publish(submissions) }) }
            if !commands.isEmpty { tasks.append(Task { [commands] in try await commander.publish(commands) }) }
            try await Task.sleep(for: .milliseconds(10))
        }
        for task in tasks { try await task.value }
        say(String(format: "fault-stream %@: all %d messages confirmed by the broker after %.1f s (%d publishes retried)",
                   run, total, Date().timeIntervalSince(started), gateway.retries.load(ordering: .relaxed) + commander.retries.load(ordering: .relaxed)))
        await gateway.publisher.shutdown()
        await commander.publisher.shutdown()

        if let doneFile {
            while !FileManager.default.fileExists(atPath: doneFile) { try await Task.sleep(for: .milliseconds(200)) }
            say("faults are over; waiting for the platform to settle")
        }

        // Quiescence: every submission answered, every malformed message answered, every accepted
        // ticket's assignment received by its unit, and the outbox drained.
        let audit = FaultAudit.Auditor(database: database, run: run, count: count, malformed: malformed)
        let limit = Date().addingTimeInterval(settleLimit)
        var lastProgress = Date()
        var figures = try await audit.figures(facts: false)
        var progress = (figures.outcomes, figures.malformedAnswered, receivers.count(prefix: run + "-"))
        while Date() < limit, Date().timeIntervalSince(lastProgress) < settleTimeout {
            let received = receivers.count(prefix: run + "-")
            if figures.outcomes >= count, figures.malformedAnswered >= malformed, figures.unpublished == 0,
               received >= figures.accepted {
                break
            }
            try await Task.sleep(for: .seconds(1))
            figures = try await audit.figures(facts: false)
            let now = (figures.outcomes, figures.malformedAnswered, receivers.count(prefix: run + "-"))
            if now != progress {
                progress = now
                lastProgress = Date()
            }
        }
        // A last moment for deliveries in flight.
        try await Task.sleep(for: .seconds(2))
        figures = try await audit.figures()
        health.stop()
        _ = await watching.result
        let received = receivers.snapshot(prefix: run + "-")
        let severalIDs = receivers.assignmentsWithSeveralIDs()
        await receivers.stop()
        await database.shutdown()

        var failures = figures.failures(count: count, malformed: malformed)
        let unitMissing = figures.accepted - received.count
        if unitMissing > 0 { failures.append("\(unitMissing) accepted tickets' assignment.created never reached their unit queue") }
        if severalIDs > 0 { failures.append("\(severalIDs) assignments reached their unit under more than one message id") }
        let redelivered = received.values.map { $0.deliveries - $0.messageIDs.count }.reduce(0, +)
        let healthReport = health.report()
        if requireHealthy, health.failures() > 0 { failures.append("a service's /health did not answer 200: \(healthReport)") }

        print("")
        print("fault run \(run)")
        print("  sent \(count) submissions (+\(resends) resent under new message ids), \(malformed) malformed")
        print("  accepted \(figures.accepted) / not accepted \(figures.notAccepted) / duplicates \(figures.duplicateTickets) "
              + "/ lost \(count - figures.outcomes)")
        print("  live assignments: \(figures.wrongLiveAssignments) accepted tickets without exactly one; "
              + "\(received.count) reached a unit (\(redelivered) redelivered copies under the same id)")
        print("  facts published under two ids: \(figures.duplicateFacts); outbox rows unpublished after a minute: \(figures.unpublished)")
        if malformed > 0 {
            print("  malformed: \(figures.malformedAnswered) of \(malformed) answered (submission.invalid / command.rejected), "
                  + "\(figures.malformedKept) kept in invalid_messages, \(figures.malformedTwice) answered twice")
        }
        if !ports.isEmpty { print("  /health: \(healthReport)") }
        if failures.isEmpty {
            print("  PASS")
        } else {
            for failure in failures { print("  FAIL: \(failure)") }
            throw ExitCode(1)
        }
    }
}

/// Polls `/health` of some ports every 0.5 s; records the polls answered with another status than 200
/// or refused (down), and those not answered within 10 s (slow: a busy service, not a down one).
///
/// It stops at `stop()`, after the polls in flight, never by cancelling its task: cancelling a task
/// waiting in `URLSession.data(for:)` can deadlock FoundationNetworking on Linux when the request
/// completes at the same moment (the cancellation handler waits for the session's queue, which waits
/// for the task's status lock to resume it).
final class HealthWatch: Sendable {
    struct Tally { var polls = 0, down = 0, slow = 0, lastDown = "" }
    let ports: [Int]
    private let state = Mutex<[Int: Tally]>([:])
    private let stopped = Mutex(false)

    init(ports: [Int]) { self.ports = ports }

    func stop() { stopped.withLock { $0 = true } }

    func watch() async {
        while !stopped.withLock({ $0 }) {
            await withTaskGroup(of: Void.self) { group in
                for port in ports {
                    group.addTask { [self] in
                        let answer = await HTTP.health(port: port)
                        state.withLock { all in
                            var tally = all[port] ?? Tally()
                            tally.polls += 1
                            switch answer {
                            case .status(200): break
                            case .timedOut: tally.slow += 1
                            case .status(let code):
                                tally.down += 1
                                tally.lastDown = "HTTP \(code)"
                            case .failed(let reason):
                                tally.down += 1
                                tally.lastDown = reason
                            }
                            all[port] = tally
                        }
                    }
                }
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }

    func failures() -> Int { state.withLock { $0.values.map(\.down).reduce(0, +) } }

    func report() -> String {
        state.withLock { all in
            ports.map { port in
                let tally = all[port] ?? Tally()
                var text = "\(port): \(tally.down) of \(tally.polls) polls down"
                if tally.slow > 0 { text += ", \(tally.slow) slow (>10 s)" }
                if !tally.lastDown.isEmpty { text += " (last failure: \(tally.lastDown))" }
                return text
            }.joined(separator: ", ")
        }
    }
}

/// Malformed input of every kind the contract names: not JSON, not UTF-8, over 256 KiB, wrong types,
/// missing fields, and commands of unknown types or with bodies that do not decode.
enum MalformedMessages {
    static func message(_ index: Int, run: String) -> OutgoingMessage {
        let kind = index % 10
        if kind >= 7 {
            // Commands, from the admin user (no user_id): unknown type, undecodable body, wrong types.
            let id = "BADC-\(run)-\(index)"
            let (key, body): (String, String) = switch kind {
            case 7: ("unit.teleport", #"{"assignment_id": "A-1"}"#)
            case 8: ("unit.sign", "{not json")
            default: ("center.dispatch", #"{"ticket_no": 42, "units": "CG"}"#)
            }
            return OutgoingMessage(
                exchange: "hotline.commands", routingKey: key,
                properties: AMQPProperties(messageID: id, type: key, timestamp: Date()), body: Array(body.utf8), mandatory: true)
        }
        let id = "BAD-\(run)-\(index)"
        let body: [UInt8] = switch kind {
        case 0: Array("{\"submission_id\": \"\(id)\", \"channel\": ".utf8)
        case 1: [0xFF, 0xFE, 0x7B, 0x22, 0xC3, 0x28, 0x00, 0x80] + Array(id.utf8)
        case 2 where index % 200 == 2:
            // Over 256 KiB (a few of them: each crosses the broker whole).
            Array("{\"submission_id\": \"\(id)\", \"description\": \"".utf8) + [UInt8](repeating: 0x61, count: 270_000) + Array("\"}".utf8)
        case 2: Array("[1, 2, 3]".utf8)
        case 3:
            Array(#"{"submission_id": 42, "channel": ["hotline"], "received_at": true, "citizen": "nobody", "location": 7, "description": {}}"#.utf8)
        case 4: Array("{\"submission_id\": \"\(id)\"}".utf8)
        case 5: []
        default: Array("null".utf8)
        }
        return OutgoingMessage(
            exchange: "hotline.intake", routingKey: "ticket.submit",
            properties: AMQPProperties(messageID: id, type: "ticket.submit", userID: "gateway", timestamp: Date()),
            body: body, mandatory: true)
    }
}
