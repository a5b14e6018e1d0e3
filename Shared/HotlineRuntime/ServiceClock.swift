import Foundation
import Synchronization

/// The time every decision reads: the process clock, never the database's `now()`, so a whole
/// stack can run under a shifted clock (libfaketime) and tests can inject their own.
public protocol ServiceClock: Sendable {
    func now() -> Date
}

/// The process's wall clock.
public struct SystemClock: ServiceClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// The wall clock shifted by a fixed offset (`HOTLINE_CLOCK_OFFSET_SECONDS`).
public struct OffsetClock: ServiceClock {
    public let offset: TimeInterval
    public init(offset: TimeInterval) { self.offset = offset }
    public func now() -> Date { Date().addingTimeInterval(offset) }
}
