import Foundation

/// Where a survey stands: invitation sent, answered, or expired without an answer.
public enum SurveyStatus: String, Codable, Sendable, CaseIterable {
    case sent
    case answered
    case expired
}

/// What an answered survey does to the ticket, per profile (docs/rules.md "Survey"):
///
/// - **pingshan** (PS §20(一)): effect or feedback at 1-2 stars, or the citizen asking for re-handling,
///   sends the ticket back to the unit (`ticket.reopened`), every time (no limit on re-handlings).
/// - **pingli** (PL §18-20): the first `unsatisfied` sends it back once (5 working days, the reopen
///   rules); the survey after the re-handling is final; a final `unsatisfied` becomes a callback task
///   for the center (a notification asking the citizen's reasons).
/// - **daye** (DY (11)): an `unsatisfied` ticket is re-assigned in writing once (书面交办); the second
///   survey is final; a dissatisfaction can later be excluded (核减) by the center.
///
/// Anything else completes the survey and closes the ticket.
public struct SurveyVerdict: Sendable, Hashable {
    /// Counted as satisfied.
    public var satisfied: Bool
    /// The ticket goes back to the unit for re-handling.
    public var rehandle: Bool
    /// Why it goes back: `low_rating` (stars), `unsatisfied` (a level), `citizen_request`.
    public var reason: String?
    /// No further re-handling is possible after this survey (the profile's last word).
    public var final: Bool
    /// The center must call the citizen back for the reasons (PL §20).
    public var centerCallback: Bool

    /// Decides an answered survey of `round` (1 for the first survey after the first resolution), when
    /// the ticket that was handled has been re-handled `rehandlingsDone` times already.
    public static func decide(
        _ answer: SurveyAnswer, rules: SurveyRules, round: Int, rehandlingsDone: Int
    ) -> SurveyVerdict {
        let requested = answer.wantsRehandling && rules.rehandleOnRequest
        let wantsBack = answer.dissatisfied || requested
        let final = (rules.secondSurveyFinal && round >= 2) || !rules.mayRehandle(after: rehandlingsDone)
        let rehandle = wantsBack && !final
        var reason: String?
        if rehandle {
            if answer.dissatisfied {
                reason = rules.scale == .stars ? "low_rating" : "unsatisfied"
            } else {
                reason = "citizen_request"
            }
        }
        let callback = rules.callbackAfterFinalDissatisfaction && !answer.satisfied && !rehandle && final
        return SurveyVerdict(
            satisfied: answer.satisfied, rehandle: rehandle, reason: reason, final: final, centerCallback: callback)
    }

    /// Whether a finished survey closes its own ticket. Not when this survey sends the matter back
    /// (`sentBack`: its citizen waits for the re-handling and is asked again), nor when its ticket is
    /// the handled one and another survey of the same round (a merged citizen's) sent it back;
    /// otherwise it does (an expired survey too).
    public static func closesTicket(
        surveyTicket: String, handledTicket: String, sentBack: Bool, reopenedThisRound: Bool
    ) -> Bool {
        if sentBack { return false }
        return !(surveyTicket == handledTicket && reopenedThisRound)
    }
}

/// The center's exclusion (核减) of a dissatisfaction (DY (11)): the unit asks in writing, signed by
/// its principal head; the center's `center.exclude-dissatisfaction` carries the decision and, in
/// `note`, the unit's request. The excluded survey is no longer counted in the unit's figures.
public enum SurveyExclusion {
    /// Nil when the exclusion may be made.
    public static func check(
        rules: SurveyRules, status: SurveyStatus, satisfied: Bool?, excluded: Bool, note: String
    ) -> CommandRefusal? {
        guard rules.exclusionAllowed else {
            return CommandRefusal(.notAllowed, "this profile does not allow excluding dissatisfactions")
        }
        if note.trimmingWhitespace.isEmpty {
            let signer = rules.exclusionRequires.map { " signed by the unit's \($0.replacingOccurrences(of: "_", with: " "))" } ?? ""
            return CommandRefusal(.invalid, "note is required: the unit's request\(signer)")
        }
        if excluded {
            return CommandRefusal(.wrongState, "the dissatisfaction is already excluded")
        }
        guard status == .answered else {
            return CommandRefusal(.wrongState, "the survey is \(status.rawValue): only an answered dissatisfaction can be excluded")
        }
        guard satisfied == false else {
            return CommandRefusal(.wrongState, "the citizen was satisfied: there is no dissatisfaction to exclude")
        }
        return nil
    }
}

extension SurveyRules {
    /// When a survey sent at `sentAt` expires unanswered (counted as no response, never as satisfied).
    public func expiresAt(sentAt: Date, calendar: WorkingCalendar) throws -> Date {
        try expiresAfter.deadline(from: sentAt, calendar: calendar)
    }
}
