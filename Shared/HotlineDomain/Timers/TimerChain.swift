import Foundation

/// A deadline's timers as they are armed: only the next firing is a pending timer; the later ones
/// (the second warning, the breach, the overdue tick) wait with it and are armed in turn when it
/// fires. Most deadlines are met or moved before their first warning, so most later firings are
/// never written as timers of their own.
public struct TimerChain: Sendable, Hashable {
    /// The firing armed now.
    public var next: TimerSpec
    /// The deadline's firings after it, in time order.
    public var later: [TimerSpec]

    public init(next: TimerSpec, later: [TimerSpec] = []) {
        self.next = next
        self.later = later
    }

    /// The chains of a subject's timers: one per deadline, in the order the deadlines first appear
    /// (`timers` lists each deadline's timers in time order, as `TimerPlanner` plans them).
    public static func chains(of timers: [TimerSpec]) -> [TimerChain] {
        var order: [DeadlineKind] = []
        var byDeadline: [DeadlineKind: [TimerSpec]] = [:]
        for timer in timers {
            if byDeadline[timer.deadline] == nil { order.append(timer.deadline) }
            byDeadline[timer.deadline, default: []].append(timer)
        }
        return order.compactMap { deadline in
            guard let timers = byDeadline[deadline], let first = timers.first else { return nil }
            return TimerChain(next: first, later: Array(timers.dropFirst()))
        }
    }

    /// The chain after `next` fired at `now`: the first later firing becomes the next, skipping
    /// warnings whose moment has passed (`TimerSpec.isPassedWarning`). Nil when nothing is left.
    public static func after(firing later: [TimerSpec], now: Date) -> TimerChain? {
        var rest = later[...]
        while let first = rest.first, first.isPassedWarning(at: now) { rest = rest.dropFirst() }
        guard let next = rest.first else { return nil }
        return TimerChain(next: next, later: Array(rest.dropFirst()))
    }

    // MARK: - Stored form

    /// The later firings as stored with the armed timer (`sla_timers.later`): a JSON array of
    /// `TimerSpec`s, instants in seconds since 1970. Written directly: every arming writes it, and
    /// Foundation's encoder costs several times more.
    public static func encode(later: [TimerSpec]) -> String? {
        guard !later.isEmpty else { return nil }
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, spec) in later.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += Array(#"{"purpose":"#.utf8)
            HotlineJSON.appendString(spec.purpose, to: &out)
            out += Array(#","deadline":"#.utf8)
            HotlineJSON.appendString(spec.deadline.rawValue, to: &out)
            out += Array(#","action":"#.utf8)
            HotlineJSON.appendString(spec.action.rawValue, to: &out)
            out += Array(#","due_at":\#(spec.dueAt.timeIntervalSince1970),"deadline_at":\#(spec.deadlineAt.timeIntervalSince1970)"#.utf8)
            if let days = spec.daysOverdue { out += Array(#","days_overdue":\#(days)"#.utf8) }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads what `encode(later:)` stored (nil or empty: nothing later).
    public static func decode(later json: String?) throws -> [TimerSpec] {
        guard let json, !json.isEmpty else { return [] }
        return try laterDecoder.decode([TimerSpec].self, from: Data(json.utf8))
    }

    private static let laterDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()
}
