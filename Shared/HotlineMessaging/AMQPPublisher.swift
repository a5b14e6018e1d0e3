import Foundation
import Logging
import Synchronization

/// Publishes with publisher confirms on a connection and thread of its own.
///
/// Concurrent `publish` calls are pipelined: everything waiting is written at once and the
/// confirms are collected together, so many messages are in flight per round trip. A dropped
/// connection fails the calls in flight (their messages may or may not have been stored; callers
/// publish again, and consumers deduplicate by `message_id`) and is re-established on the next call.
public final class AMQPPublisher: Sendable {
    private struct Request {
        let messages: [OutgoingMessage]
        let continuation: CheckedContinuation<[PublishOutcome], any Error>
    }

    private struct State: ~Copyable {
        var pending: [Request] = []
        var stopped = false
        var connected = false
    }

    private let configuration: AMQPConfiguration
    private let logger: Logger
    private let state = Mutex(State())
    private let wakeUp = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    /// How long to wait for the broker's confirms of one batch.
    private let confirmTimeout: TimeInterval

    public init(configuration: AMQPConfiguration, confirmTimeout: TimeInterval = 15, logger: Logger) {
        self.configuration = configuration
        self.confirmTimeout = confirmTimeout
        self.logger = logger
        let thread = Thread { [self] in run() }
        thread.name = "amqp-publisher"
        thread.start()
    }

    /// Whether the publisher's connection is open now (for health checks).
    public var isConnected: Bool { state.withLock { $0.connected } }

    /// Publishes the messages and returns the broker's answer for each, in order.
    public func publish(_ messages: [OutgoingMessage]) async throws -> [PublishOutcome] {
        if messages.isEmpty { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            let accepted = state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.pending.append(Request(messages: messages, continuation: continuation))
                return true
            }
            if accepted {
                wakeUp.signal()
            } else {
                continuation.resume(throwing: AMQPError(.connection, "publisher stopped"))
            }
        }
    }

    /// Stops the thread after the calls already queued are answered.
    public func shutdown() async {
        state.withLock { $0.stopped = true }
        wakeUp.signal()
        let finished = self.finished
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                finished.wait()
                continuation.resume()
            }
        }
    }

    private func run() {
        var connection: AMQPConnection?
        var nextSequence: UInt64 = 1
        var failures = 0
        while true {
            _ = wakeUp.wait(timeout: .now() + .milliseconds(500))
            let (batch, stopped) = state.withLock { state -> ([Request], Bool) in
                let batch = state.pending
                state.pending = []
                return (batch, state.stopped)
            }
            if batch.isEmpty {
                if stopped { break }
                // Idle: let the library service heartbeats.
                if let open = connection {
                    do { _ = try open.nextPublisherFrame(timeout: 0) } catch {
                        logger.warning("publisher connection lost", metadata: ["error": "\(error)"])
                        open.close()
                        connection = nil
                        state.withLock { $0.connected = false }
                    }
                }
                continue
            }
            do {
                if connection == nil {
                    if failures > 0 {
                        let delay = min(5.0, 0.1 * pow(2.0, Double(min(failures, 6)))) * Double.random(in: 0.5...1)
                        Thread.sleep(forTimeInterval: delay)
                    }
                    let open = try AMQPConnection(configuration)
                    try open.confirmSelect()
                    connection = open
                    nextSequence = 1
                    failures = 0
                    state.withLock { $0.connected = true }
                }
                let outcomes = try publish(batch.flatMap(\.messages), on: connection!, nextSequence: &nextSequence)
                var offset = 0
                for request in batch {
                    request.continuation.resume(returning: Array(outcomes[offset..<offset + request.messages.count]))
                    offset += request.messages.count
                }
            } catch {
                failures += 1
                logger.warning("publish failed", metadata: ["error": "\(error)"])
                connection?.close()
                connection = nil
                state.withLock { $0.connected = false }
                for request in batch { request.continuation.resume(throwing: error) }
            }
        }
        connection?.close()
        state.withLock { $0.connected = false }
        finished.signal()
    }

    private func publish(
        _ messages: [OutgoingMessage], on connection: AMQPConnection, nextSequence: inout UInt64
    ) throws -> [PublishOutcome] {
        let first = nextSequence
        var outcomes = [PublishOutcome?](repeating: nil, count: messages.count)
        var indexByMessageID: [String: Int] = [:]
        for (index, message) in messages.enumerated() {
            try connection.publish(message)
            if let id = message.properties.messageID { indexByMessageID[id] = index }
            nextSequence += 1
        }
        var settled = 0
        func settle(_ tag: UInt64, multiple: Bool, as outcome: PublishOutcome) {
            let range = multiple ? first...tag : tag...tag
            for sequence in range where sequence >= first && sequence < first + UInt64(messages.count) {
                let index = Int(sequence - first)
                if outcomes[index] == nil {
                    outcomes[index] = outcome
                    settled += 1
                }
            }
        }
        var returned: [Int: String] = [:]
        let deadline = Date().addingTimeInterval(confirmTimeout)
        while settled < messages.count {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else {
                throw AMQPError(.unconfirmed, "\(messages.count - settled) of \(messages.count) messages unconfirmed")
            }
            switch try connection.nextPublisherFrame(timeout: min(remaining, 1)) {
            case .ack(let tag, let multiple): settle(tag, multiple: multiple, as: .confirmed)
            case .nack(let tag, let multiple): settle(tag, multiple: multiple, as: .nacked)
            case .returned(let messageID, let reply):
                if let messageID, let index = indexByMessageID[messageID] { returned[index] = reply }
            case .timeout: continue
            }
        }
        for (index, reply) in returned where outcomes[index] == .confirmed { outcomes[index] = .returned(reply) }
        return outcomes.map { $0! }
    }
}
