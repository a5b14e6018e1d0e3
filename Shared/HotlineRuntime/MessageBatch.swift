import Foundation
import HotlineMessaging
import HotlineStorage
import ServiceLifecycle
import Synchronization

/// The deliveries a consumer took together, applied in one transaction (group commit).
///
/// The consumer runs the batch's handlers at once; each handler decodes and decides as before and
/// hands its database work to `ServiceRuntime.apply` or `answer`, which submit it here instead of
/// opening a transaction of their own. Once every handler of the batch has submitted or returned
/// without work, the batch commits:
///
/// 1. `BEGIN`; outbox rows this process published since its last batch are marked published;
/// 2. the message ids are recorded in one statement (`processed_messages`), the commands claimed in
///    one statement (`command_outcomes`): a duplicate does nothing (a repeated command publishes its
///    stored outcome to `reply_to` again);
/// 3. each new message's effect runs, in delivery order whatever order its handler submitted in (its
///    last writes are sent with the next statement, tagged with its position so that an error they
///    meet is still its own);
/// 4. the outbox rows of the whole batch are written in one statement; `COMMIT`.
///
/// Then every handler gets its result (and acks), and the relay publishes the committed rows at once.
///
/// A message whose effect throws is left out and the batch runs again without it, so that one
/// poison message neither rolls back nor holds back the others; it alone is requeued. When a
/// statement of the whole batch fails (a claim, the outbox rows), each message runs alone. While the
/// database is unreachable the batch waits and runs again, holding its deliveries. (Savepoints
/// would roll back less, but a transaction with over 64 subtransactions that write overflows
/// PostgreSQL's per-backend subtransaction cache and slows every other session's snapshots.) A
/// transient failure (connection lost, deadlock, serialization failure) retries the whole batch.
public final class MessageBatch: Sendable {
    /// What a message is recorded as, so that it is applied once.
    public enum Claim: Sendable {
        /// An event or other message: (consumer, message id) in `processed_messages`.
        case message(consumer: String, messageID: String)
        /// A command: its sender and id in `command_outcomes`, where its outcome is kept.
        case command(CommandKey, commandType: String)
    }

    /// One message's database work.
    public struct Work: Sendable {
        public var claim: Claim
        /// The effect of a new message: it reads and writes the database and returns what to publish.
        public var effect: @Sendable (PostgresConnection, Date) throws -> [OutboxMessage]
        /// What a message handled before publishes again (a command's stored outcome to `reply_to`).
        public var repeated: (@Sendable (PostgresConnection) throws -> [OutboxMessage])?
    }

    /// What became of one message.
    public enum Result: Sendable {
        /// Its effect is committed.
        case applied
        /// It was handled before.
        case duplicate
        /// Its effect failed and was rolled back; nothing of it is committed.
        case failed(any Error)
    }

    /// The part of a batch one handler may submit to, once (bound to the handler's task).
    fileprivate final class Slot: Sendable {
        let batch: MessageBatch
        /// The delivery's place in the batch: effects run in this order, whatever order the
        /// concurrent handlers submit in.
        let position: Int
        private let used = Mutex(false)

        init(_ batch: MessageBatch, position: Int) {
            self.batch = batch
            self.position = position
        }

        /// True the first time: the caller submits its work to the batch.
        func take() -> Bool { used.withLock { used in defer { used = true }; return !used } }

        /// The handler returned: if it submitted nothing, the batch stops waiting for it.
        func close() {
            if take() { batch.withdraw() }
        }
    }

    @TaskLocal fileprivate static var current: Slot?

    private struct State: ~Copyable {
        /// Handlers that may still submit.
        var open: Int
        var submitted: [(position: Int, work: Work, continuation: CheckedContinuation<Result, Never>)] = []
    }

    private let runtime: ServiceRuntime
    private let state: Mutex<State>

    init(handlers: Int, runtime: ServiceRuntime) {
        self.runtime = runtime
        self.state = Mutex(State(open: handlers))
    }

    /// Runs the handler of the batch's delivery at `position` (its index among the deliveries): the
    /// first work it submits (`ServiceRuntime.apply` or `answer`) joins the batch, and runs in delivery
    /// order; when it returns without work, the batch stops waiting for it.
    func run<T: Sendable>(position: Int, _ handler: () async -> T) async -> T {
        let slot = Slot(self, position: position)
        let value = await Self.$current.withValue(slot) { await handler() }
        slot.close()
        return value
    }

    /// Adds one handler's work and waits until the batch is committed.
    func submit(_ work: Work, position: Int) async -> Result {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state in
                state.submitted.append((position, work, continuation))
                return Self.takeIfComplete(&state)
            }
            if let ready { Task { await self.commit(ready) } }
        }
    }

    private func withdraw() {
        let ready = state.withLock { state in
            state.open -= 1
            return Self.takeIfComplete(&state)
        }
        if let ready { Task { await commit(ready) } }
    }

    private static func takeIfComplete(
        _ state: inout State
    ) -> [(work: Work, continuation: CheckedContinuation<Result, Never>)]? {
        guard !state.submitted.isEmpty, state.submitted.count == state.open else { return nil }
        defer { state.submitted = [] }
        return state.submitted.sorted { $0.position < $1.position }.map { ($0.work, $0.continuation) }
    }

    private func commit(_ submitted: [(work: Work, continuation: CheckedContinuation<Result, Never>)]) async {
        let results = await Self.commit(submitted.map(\.work), runtime: runtime)
        for (item, result) in zip(submitted, results) { item.continuation.resume(returning: result) }
    }

    /// Applies the works in one transaction (leaving out and reporting the ones whose effect fails),
    /// hands the committed outbox rows to the relay, and returns each work's result.
    static func commit(_ works: [Work], runtime: ServiceRuntime) async -> [Result] {
        var failed: [Int: any Error] = [:]
        while failed.count < works.count {
            let marks = runtime.relay.takePublished()
            let excluded = Set(failed.keys)
            do {
                let clock = runtime.clock
                let relay = runtime.relay
                let applied = try await runtime.database.transaction { connection in
                    try apply(works, excluding: excluded, marking: marks, on: connection, clock: clock, relay: relay)
                }
                runtime.relay.publishCommitted(applied.rows)
                return works.indices.map { index in
                    if let error = failed[index] { return .failed(error) }
                    return applied.results[index]
                }
            } catch {
                runtime.relay.returnPublished(marks)
                if let (index, cause) = failedEffect(error, among: works.indices) {
                    failed[index] = cause
                    continue
                }
                if (error as? DatabaseError)?.isTransient == true {
                    // The database is away (after `Database`'s own retries), or refuses the service's
                    // role a grant until an operator migrates it: the deliveries stay with
                    // this process, so consumption pauses, and the batch runs again until the database
                    // is back. An outage never counts against the delivery limit; only a shutdown
                    // gives the deliveries back meanwhile.
                    if Task.isShuttingDownGracefully || Task.isCancelled {
                        return works.indices.map { .failed(failed[$0] ?? error) }
                    }
                    runtime.logger.warning("database unavailable or permission denied; the batch waits and runs again", metadata: [
                        "messages": "\(works.count)", "error": "\(error)",
                    ])
                    try? await Task.sleep(for: .seconds(1))
                    continue
                }
                let remaining = works.indices.filter { failed[$0] == nil }
                guard remaining.count > 1 else { return works.indices.map { .failed(failed[$0] ?? error) } }
                // Not one effect's failure but a statement of the whole batch (a claim, the outbox
                // rows), refused for one message's sake: each message alone finds which.
                var results: [Result] = works.indices.map { failed[$0].map { .failed($0) } ?? .duplicate }
                for index in remaining { results[index] = await commit([works[index]], runtime: runtime)[0] }
                return results
            }
        }
        return works.indices.map { .failed(failed[$0]!) }
    }

    /// A work's effect failed: the transaction is rolled back and runs again without it.
    private struct EffectFailure: Error {
        let index: Int
        let error: any Error
    }

    /// The work whose effect an error is, and why: its effect threw, or a statement it sent or
    /// queued failed (the tag the batch gave its statements), whichever later statement reported it
    /// (another effect's, the outbox rows', `COMMIT`). Nil for a transient failure or a statement of
    /// the whole batch.
    private static func failedEffect(_ error: any Error, among indices: Range<Int>) -> (Int, any Error)? {
        if let failure = error as? EffectFailure { return (failure.index, failure.error) }
        guard let error = error as? DatabaseError, !error.isTransient, let tag = error.statementTag,
              indices.contains(tag)
        else { return nil }
        return (tag, error)
    }

    private static func apply(
        _ works: [Work], excluding excluded: Set<Int>, marking marks: [Int64], on connection: PostgresConnection,
        clock: any ServiceClock, relay: OutboxRelay
    ) throws -> (results: [Result], rows: [(Int64, OutboxMessage)]) {
        let now = clock.now()
        if !marks.isEmpty { try OutboxRelay.markPublished(marks, on: connection, now: now) }
        let included = works.indices.filter { !excluded.contains($0) }

        // Which messages are new: one statement for the messages, one for the commands.
        var messageKeys: [(consumer: String, messageID: String)] = []
        var commands: [(key: CommandKey, type: String)] = []
        for index in included {
            switch works[index].claim {
            case .message(let consumer, let messageID): messageKeys.append((consumer, messageID))
            case .command(let key, let type): commands.append((key, type))
            }
        }
        var newMessages = try Inbox.claim(messageKeys, on: connection, now: now)
        var newCommands = try CommandOutcomeStore.claim(commands, on: connection, now: now)

        var results = [Result](repeating: .duplicate, count: works.count)
        var messages: [OutboxMessage] = []
        for index in included {
            let work = works[index]
            // The first copy of a message in the batch is new; a second copy is a duplicate.
            let isNew = switch work.claim {
            case .message(let consumer, let messageID): newMessages.remove(InboxKey(consumer: consumer, messageID: messageID)) != nil
            case .command(let key, _): newCommands.remove(key) != nil
            }
            // The effect's last writes go with the next effect's first statement; the tag tells
            // whose write an error is.
            connection.tag = index
            do {
                if isNew {
                    messages += try work.effect(connection, now)
                    results[index] = .applied
                } else if let repeated = work.repeated {
                    messages += try repeated(connection)
                }
            } catch let error as DatabaseError where error.isTransient || error.statementTag != nil {
                throw error
            } catch {
                throw EffectFailure(index: index, error: error)
            }
        }
        connection.tag = nil
        let ids = try Outbox.enqueue(
            messages, by: relay.service, on: connection, now: now, availableAt: now.addingTimeInterval(relay.lease))
        return (results, Array(zip(ids, messages)))
    }
}

extension ServiceRuntime {
    /// Applies one message's work: in the batch of the consumer that runs this handler, or, outside a
    /// consumer (or for a handler's second piece of work), in a transaction of its own.
    func commit(_ work: MessageBatch.Work) async -> MessageBatch.Result {
        if let slot = MessageBatch.current, slot.take() {
            return await slot.batch.submit(work, position: slot.position)
        }
        return await MessageBatch.commit([work], runtime: self)[0]
    }
}
