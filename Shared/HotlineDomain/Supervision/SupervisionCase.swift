import Foundation

/// One supervision case (督办) as the rules judge the next step on it: who must answer, by when, and
/// whether it is still open (docs/rules.md "Supervision"). The center opens it with a notice and a time
/// to answer; the unit answers; the center escalates it (a higher mode, a new time: PS §18(一) 不断提升
/// 督办层级) or closes it, referring it to the discipline commission where the profile's grounds apply.
public struct SupervisionCase: Sendable, Hashable {
    public enum State: String, Codable, Sendable, CaseIterable {
        /// Waiting for the unit's answer.
        case open
        /// The unit answered; the center escalates or closes.
        case answered
        case closed
    }

    public var unit: String
    public var state: State
    /// 1 when opened, one more at each escalation.
    public var level: Int
    /// When the unit's answer is due.
    public var answerBy: Date

    public init(unit: String, state: State, level: Int, answerBy: Date) {
        self.unit = unit
        self.state = state
        self.level = level
        self.answerBy = answerBy
    }

    /// Why `unit` may not answer now, or nil.
    public func refusalToAnswer(by unit: String) -> CommandRefusal? {
        guard unit == self.unit else { return CommandRefusal(.forbidden, "the supervision case is addressed to unit \(self.unit)") }
        guard state == .open else { return CommandRefusal(.wrongState, "the supervision case is \(state.rawValue), not waiting for an answer") }
        return nil
    }

    /// Whether an answer at `instant` is in time.
    public func isOnTime(_ instant: Date) -> Bool { instant <= answerBy }

    /// Why the case may not be escalated or closed, or nil.
    public var refusalToAct: CommandRefusal? {
        state == .closed ? CommandRefusal(.wrongState, "the supervision case is closed") : nil
    }

    /// Why a closing that refers the case for `grounds` is refused under `rules`, or nil.
    public static func refusal(referring grounds: [DisciplineGround], under rules: SupervisionRules) -> CommandRefusal? {
        let unknown = grounds.filter { !rules.referralGrounds.contains($0) }
        guard unknown.isEmpty else {
            return CommandRefusal(
                .notAllowed,
                "this profile refers cases to the discipline commission for \(rules.referralGrounds.map(\.rawValue).joined(separator: ", ")), "
                    + "not \(unknown.map(\.rawValue).joined(separator: ", "))",
                rule: "supervision.referral_grounds")
        }
        return nil
    }

    /// Why supervising in `mode` is refused under `rules`, or nil.
    public static func refusal(mode: SupervisionMode, under rules: SupervisionRules) -> CommandRefusal? {
        guard rules.modes.contains(mode) else {
            return CommandRefusal(
                .notAllowed, "this profile supervises by \(rules.modes.map(\.rawValue).joined(separator: ", ")), not \(mode.rawValue)",
                rule: "supervision.modes")
        }
        return nil
    }

    /// When the answer is due: the time the center named (it must be ahead of `now`), else the
    /// profile's `answer_within` from `now`.
    public static func answerBy(
        named: Date?, now: Date, rules: SupervisionRules, calendar: WorkingCalendar
    ) throws -> Result<Date, CommandRefusal> {
        if let named {
            guard named > now else { return .failure(CommandRefusal(.invalid, "answer_by must be ahead of now")) }
            return .success(named)
        }
        return .success(try rules.answerWithin.deadline(from: now, calendar: calendar))
    }
}
