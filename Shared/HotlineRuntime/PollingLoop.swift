import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The one loop of timed work (the outbox relay, the sla-timer's poller, the notifier's releaser, the
/// survey's expiry): runs a pass, sleeps as long as the pass asks unless `nudge()` wakes it early,
/// backs off after a failed pass (0.2 s more per failure in a row, at most 5 s), and returns at
/// graceful shutdown.
public final class PollingLoop: Sendable {
    /// What a pass asks for next.
    public enum Next: Sendable, Equatable {
        /// Another pass at once (the last one claimed a full batch).
        case now
        /// Sleep this long, or until nudged.
        case after(Duration)

        /// Sleep until `due` (by `now`), at most `interval` seconds and at least 20 ms, so that rows
        /// due but held by another copy are not polled in a spin.
        public static func until(_ due: Date?, now: Date, atMost interval: Double) -> Next {
            var wait = interval
            if let due { wait = min(wait, max(0.02, due.timeIntervalSince(now))) }
            return .after(.milliseconds(Int((wait * 1000).rounded(.up))))
        }
    }

    private let name: String
    private let logger: Logger
    private let wake = WakeSignal()
    private let stopping = Mutex(false)

    /// `name` names the work in the log line of a failed pass ("timer poll failed").
    public init(_ name: String, logger: Logger) {
        self.name = name
        self.logger = logger
    }

    /// Ends the current sleep, or the next one.
    public func nudge() { wake.signal() }

    /// Runs `pass` until graceful shutdown (or cancellation), then returns.
    public func run(_ pass: () async throws -> Next) async {
        var failures = 0
        await withGracefulShutdownHandler {
            while !stopping.withLock({ $0 }), !Task.isCancelled {
                do {
                    let next = try await pass()
                    failures = 0
                    if case .after(let sleep) = next, sleep > .zero { await wake.wait(timeout: sleep) }
                } catch {
                    failures += 1
                    logger.warning("\(name) failed", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(min(5, 0.2 * Double(failures))))
                }
            }
        } onGracefulShutdown: {
            self.stopping.withLock { $0 = true }
            self.wake.signal()
        }
    }
}
