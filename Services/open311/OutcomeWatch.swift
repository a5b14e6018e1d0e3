import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage
import Logging
import Synchronization

/// Waits for intake's outcomes of the requests this process posted: one statement every `interval`
/// asks for all the outcomes awaited (`submissions`, or `invalid_messages` for a submission intake
/// could not read), however many requests wait, and wakes each request whose outcome has come or whose
/// wait is over. While nobody waits it sleeps until a request arrives (`WakeSignal`), reading nothing.
final class OutcomeWatch: Sendable {
    private struct Waiter {
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<Open311Outcome?, Never>
    }

    private let database: Database
    private let logger: Logger
    private let interval: Duration
    private let waiters = Mutex<[String: Waiter]>([:])
    private let arrival = WakeSignal()

    init(database: Database, logger: Logger, interval: Duration = .milliseconds(15)) {
        self.database = database
        self.logger = logger
        self.interval = interval
    }

    /// The outcome of the submission of `token`, once `run` has read it; nil when `deadline` passed first
    /// (at once for a deadline already past: no wait, a token).
    func outcome(of token: String, until deadline: ContinuousClock.Instant) async -> Open311Outcome? {
        guard deadline > .now else { return nil }
        return await withCheckedContinuation { continuation in
            waiters.withLock { $0[token] = Waiter(deadline: deadline, continuation: continuation) }
            arrival.signal()
        }
    }

    /// Reads the awaited outcomes every `interval` until cancelled; then wakes whoever still waits.
    func run() async {
        while !Task.isCancelled {
            if waiters.withLock({ $0.isEmpty }) {
                await arrival.wait(timeout: .seconds(1))
                continue
            }
            try? await Task.sleep(for: interval)
            let tokens = waiters.withLock { Array($0.keys) }
            var found: [String: Open311Outcome] = [:]
            do {
                found = try await Self.outcomes(of: tokens, in: database)
            } catch {
                logger.warning("cannot read the outcomes of posted requests", metadata: ["error": "\(error)"])
            }
            let now = ContinuousClock.now
            let woken = waiters.withLock { waiters in
                waiters.filter { found[$0.key] != nil || $0.value.deadline <= now }.map { token, waiter in
                    waiters[token] = nil
                    return (waiter, found[token])
                }
            }
            for (waiter, outcome) in woken { waiter.continuation.resume(returning: outcome) }
        }
        for waiter in waiters.withLock({ waiters in defer { waiters = [:] }; return Array(waiters.values) }) {
            waiter.continuation.resume(returning: nil)
        }
    }

    /// The outcomes intake has stored for the submissions of `tokens`, by token.
    static func outcomes(of tokens: [String], in database: Database) async throws -> [String: Open311Outcome] {
        let tokenOf = Dictionary(uniqueKeysWithValues: tokens.map { (RequestSubmissions.submissionID(token: $0), $0) })
        return try await database.withConnection { connection in
            var outcomes: [String: Open311Outcome] = [:]
            for row in try connection.query(
                """
                SELECT submission_id AS key, outcome_type, outcome, NULL AS errors FROM submissions
                WHERE submission_id = ANY($1::text[])
                UNION ALL
                SELECT message_id, $2, NULL, errors::text FROM invalid_messages WHERE consumer = $3 AND message_id = ANY($4::text[])
                """,
                [tokens.map(RequestSubmissions.submissionID(token:)), EventType.submissionInvalid.rawValue,
                 HotlineTopology.submissionsConsumer, tokens]
            ) {
                let type: String = try row.decode("outcome_type")
                let event: JSONValue = if let errors = try row.decodeIfPresent("errors", as: String.self) {
                    .object(["errors": try JSONValue.parse(Data(errors.utf8))])
                } else {
                    try JSONValue.parse(try row.decode("outcome", as: Data.self))
                }
                // A submission's row names it by its id, an unreadable one's by its message_id, the token.
                let key: String = try row.decode("key")
                outcomes[tokenOf[key] ?? key] = Open311Outcome(type: type, event: event)
            }
            return outcomes
        }
    }
}
