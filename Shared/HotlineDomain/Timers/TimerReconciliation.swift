import Foundation

/// Brings a subject's stored timers in line with the timers it needs now, without ever arming the
/// same firing twice. Each deadline is armed as a `TimerChain`: its next firing, carrying the later ones.
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
        /// A pending timer's later firings (`TimerChain.later`).
        public var later: [TimerSpec]

        public init(
            id: Int64, purpose: String, action: TimerAction, dueAt: Date, deadlineAt: Date, pending: Bool,
            later: [TimerSpec] = []
        ) {
            self.id = id
            self.purpose = purpose
            self.action = action
            self.dueAt = dueAt
            self.deadlineAt = deadlineAt
            self.pending = pending
            self.later = later
        }
    }

    /// What to change.
    public struct Plan: Sendable, Hashable {
        /// Pending timers no longer needed (or moved): delete them.
        public var delete: [Int64]
        /// Timers to arm, each with its deadline's later firings.
        public var insert: [TimerChain]

        public init(delete: [Int64] = [], insert: [TimerChain] = []) {
            self.delete = delete
            self.insert = insert
        }

        public var isEmpty: Bool { delete.isEmpty && insert.isEmpty }
    }

    /// Instants stored in PostgreSQL keep microseconds; compare with a little tolerance.
    static func same(_ a: Date, _ b: Date) -> Bool { abs(a.timeIntervalSince(b)) < 0.001 }

    /// Compares `desired` (each deadline's timers in time order) with what is `stored`:
    /// - the firings still to come are the desired ones, less a firing that already happened (same
    ///   purpose and due time) and a warning whose moment has passed (`TimerSpec.isPassedWarning`);
    /// - a pending timer that is a deadline's next firing and carries the same later firings (same
    ///   purpose, due time and deadline; for the overdue tick, which moves, the same deadline) stays as
    ///   it is;
    /// - every other pending timer is deleted, and each deadline's chain not kept is armed.
    public static func plan(desired: [TimerSpec], stored: [Stored], now: Date) -> Plan {
        let pending = stored.filter(\.pending)
        let fired = stored.filter { !$0.pending }
        let coming = desired.filter { spec in
            if spec.action != .overdue,
               fired.contains(where: { $0.purpose == spec.purpose && same($0.dueAt, spec.dueAt) }) {
                return false
            }
            return !spec.isPassedWarning(at: now)
        }
        var plan = Plan()
        var kept = Set<Int64>()
        for chain in TimerChain.chains(of: coming) {
            let match = pending.first { row in
                !kept.contains(row.id) && matches(row.purpose, row.dueAt, row.deadlineAt, chain.next)
                    && row.later.count == chain.later.count
                    && zip(row.later, chain.later).allSatisfy { matches($0.purpose, $0.dueAt, $0.deadlineAt, $1) }
            }
            if let match {
                kept.insert(match.id)
            } else {
                plan.insert.append(chain)
            }
        }
        plan.delete = pending.map(\.id).filter { !kept.contains($0) }
        return plan
    }

    /// Whether a stored firing is the planned one.
    private static func matches(_ purpose: String, _ dueAt: Date, _ deadlineAt: Date, _ spec: TimerSpec) -> Bool {
        purpose == spec.purpose && same(deadlineAt, spec.deadlineAt) && (spec.action == .overdue || same(dueAt, spec.dueAt))
    }
}
