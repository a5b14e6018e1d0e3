import Foundation

/// Brings a subject's stored timers in line with the timers it needs now, without ever arming the
/// same firing twice.
public enum TimerReconciliation {
    /// A stored timer of the subject.
    public struct Stored: Sendable, Hashable {
        public var id: Int64
        public var purpose: String
        public var action: TimerAction
        public var dueAt: Date
        public var deadlineAt: Date
        /// Pending, or already fired (fired rows only prevent re-arming the same firing).
        public var pending: Bool

        public init(id: Int64, purpose: String, action: TimerAction, dueAt: Date, deadlineAt: Date, pending: Bool) {
            self.id = id
            self.purpose = purpose
            self.action = action
            self.dueAt = dueAt
            self.deadlineAt = deadlineAt
            self.pending = pending
        }
    }

    /// What to change.
    public struct Plan: Sendable, Hashable {
        /// Pending timers no longer needed (or moved): delete them.
        public var delete: [Int64]
        /// Timers to arm.
        public var insert: [TimerSpec]

        public init(delete: [Int64] = [], insert: [TimerSpec] = []) {
            self.delete = delete
            self.insert = insert
        }

        public var isEmpty: Bool { delete.isEmpty && insert.isEmpty }
    }

    /// Instants stored in PostgreSQL keep microseconds; compare with a little tolerance.
    static func same(_ a: Date, _ b: Date) -> Bool { abs(a.timeIntervalSince(b)) < 0.001 }

    /// Compares `desired` with what is `stored`:
    /// - a pending timer that matches a desired one (same purpose, due time and deadline; for the
    ///   overdue tick, the same deadline) stays as it is;
    /// - every other pending timer is deleted;
    /// - a desired timer not pending is armed, unless the same firing (purpose and due time) already
    ///   happened, or it is a warning whose moment has passed (a late warning is noise; a late breach
    ///   is not, it fires at once).
    public static func plan(desired: [TimerSpec], stored: [Stored], now: Date) -> Plan {
        var plan = Plan()
        var kept = Set<Int64>()
        let pending = stored.filter(\.pending)
        let fired = stored.filter { !$0.pending }
        for spec in desired {
            let match = pending.first { row in
                guard !kept.contains(row.id), row.purpose == spec.purpose, same(row.deadlineAt, spec.deadlineAt) else {
                    return false
                }
                return spec.action == .overdue || same(row.dueAt, spec.dueAt)
            }
            if let match {
                kept.insert(match.id)
                continue
            }
            if spec.action != .overdue,
               fired.contains(where: { $0.purpose == spec.purpose && same($0.dueAt, spec.dueAt) }) {
                continue
            }
            if spec.action == .warning && spec.dueAt <= now { continue }
            plan.insert.append(spec)
        }
        plan.delete = pending.map(\.id).filter { !kept.contains($0) }
        return plan
    }
}
