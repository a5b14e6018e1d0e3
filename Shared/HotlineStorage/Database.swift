import Foundation
import Logging
import NIOPosix
import Synchronization

/// A pool of PostgreSQL connections whose blocking libpq calls run on the pool's own threads,
/// never on Swift's cooperative thread pool.
///
/// Work is handed over as synchronous closures: `transaction { tx in … }` runs the closure inside
/// `BEGIN … COMMIT` on one connection, and retries it from the start when the failure was
/// transient (connection lost, server restarting, serialization failure or deadlock), so the
/// closure must only touch the database and compute, never publish or ack.
public final class Database: Sendable {
    public let url: String
    private let applicationName: String
    private let threads: NIOThreadPool
    private let state: Mutex<PoolState>
    private let logger: Logger
    /// How long transient failures are retried before the error reaches the caller.
    private let retryWindow: TimeInterval

    struct PoolState: ~Copyable {
        var idle: [Slot] = []
        var created = 0
        var waiters: [CheckedContinuation<Slot, Never>] = []
    }

    final class Slot: @unchecked Sendable {
        var connection: PostgresConnection?
    }

    let size: Int

    public init(url: String, applicationName: String, size: Int = 4, retryWindow: TimeInterval = 120, logger: Logger) {
        self.url = url
        self.applicationName = applicationName
        self.size = max(1, size)
        self.threads = NIOThreadPool(numberOfThreads: self.size)
        self.threads.start()
        self.state = Mutex(PoolState())
        self.logger = logger
        self.retryWindow = retryWindow
    }

    /// Closes every idle connection and stops the threads.
    public func shutdown() async {
        let slots = state.withLock { state -> [Slot] in
            let idle = state.idle
            state.idle = []
            return idle
        }
        for slot in slots { slot.connection?.close() }
        try? await threads.shutdownGracefully()
    }

    /// Runs `body` in one transaction, retrying transient failures; returns what it returns.
    public func transaction<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            // Sent with the body's first statement.
            connection.write("BEGIN")
            do {
                let value = try body(connection)
                try connection.query("COMMIT")
                return value
            } catch {
                connection.discardWrites()
                if connection.isHealthy { _ = try? connection.query("ROLLBACK") }
                throw error
            }
        }
    }

    /// Runs `body` with a connection outside any explicit transaction (autocommit), with the same retries.
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        let started = Date()
        var attempt = 0
        while true {
            let slot = await checkOut()
            do {
                let value = try await threads.runIfActive { [url, applicationName] in
                    if slot.connection == nil || slot.connection?.isHealthy == false {
                        slot.connection?.close()
                        slot.connection = nil
                        slot.connection = try PostgresConnection(url: url, applicationName: applicationName)
                    }
                    slot.connection!.tag = nil
                    let value = try body(slot.connection!)
                    try slot.connection!.flush()
                    return value
                }
                checkIn(slot)
                return value
            } catch let error as DatabaseError where error.isTransient {
                if error.isConnectionFailure || slot.connection?.isHealthy == false {
                    slot.connection?.close()
                    slot.connection = nil
                }
                checkIn(slot)
                attempt += 1
                guard Date().timeIntervalSince(started) < retryWindow, !Task.isCancelled else { throw error }
                let delay = min(2.0, 0.05 * pow(2.0, Double(min(attempt, 6)))) * Double.random(in: 0.5...1.0)
                logger.warning("database unavailable, retrying", metadata: [
                    "error": "\(error)", "attempt": "\(attempt)",
                ])
                try? await Task.sleep(for: .seconds(delay))
            } catch {
                checkIn(slot)
                throw error
            }
        }
    }

    /// Whether a trivial query succeeds now (for health checks); never retries.
    public func ping() async -> Bool { await probe() == nil }

    /// Why a trivial query fails now (nil when it succeeds); never retries.
    public func probe() async -> (any Error)? {
        let slot = await checkOut()
        defer { checkIn(slot) }
        do {
            try await threads.runIfActive { [url, applicationName] in
                // An idle connection the server dropped (a restart) only shows when used: open a
                // fresh one once, so that a reachable database is never reported down.
                for attempt in 0..<2 {
                    do {
                        if slot.connection == nil || slot.connection?.isHealthy == false {
                            slot.connection = try PostgresConnection(url: url, applicationName: applicationName)
                        }
                        try slot.connection!.query("SELECT 1")
                        return
                    } catch {
                        slot.connection = nil
                        if attempt == 1 { throw error }
                    }
                }
            }
            return nil
        } catch {
            return error
        }
    }

    private func checkOut() async -> Slot {
        if let slot = state.withLock({ state -> Slot? in
            if let slot = state.idle.popLast() { return slot }
            if state.created < size {
                state.created += 1
                return Slot()
            }
            return nil
        }) {
            return slot
        }
        return await withCheckedContinuation { continuation in
            let immediate = state.withLock { state -> Slot? in
                if let slot = state.idle.popLast() { return slot }
                state.waiters.append(continuation)
                return nil
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    private func checkIn(_ slot: Slot) {
        let waiter = state.withLock { state -> CheckedContinuation<Slot, Never>? in
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.idle.append(slot)
            return nil
        }
        waiter?.resume(returning: slot)
    }
}
