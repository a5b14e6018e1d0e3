import Foundation

/// On-site verification before acceptance (PS §8(一)3; docs/rules.md "Intake"): where the operator asks
/// for it (`verify_on_site`), a demand that would make a ticket (`accepted` or `split`) waits while the
/// grid worker of the street where it happened verifies it. Verified, it is decided as any other
/// demand; found untrue, it is not accepted (`no_substance`, the profile's basis); without an answer
/// within the limit, it is decided as if verified (the platform's choice: the citizen's demand is not
/// lost because the verification was late, and the lapse is published).
public enum GridVerification {
    /// How a held submission's verification ended.
    public enum Result: String, Codable, Sendable, CaseIterable {
        case verified
        case notVerified = "not_verified"
        case lapsed
    }

    /// A submission held for verification: the street office that verifies and when it is due.
    public struct Hold: Sendable, Hashable {
        public var office: String
        public var street: String
        public var dueBy: Date
    }

    /// Why a submission's `verify_on_site` cannot be done: the profile has no grid verification, or no
    /// street of the jurisdiction is known to send a grid worker to.
    public static func problems(
        _ submission: Submission, rules: GridVerificationRules?, street: String?, office: String?
    ) -> [FieldProblem] {
        guard submission.verifyOnSite == true else { return [] }
        guard rules != nil else {
            return [FieldProblem(field: "verify_on_site", problem: "this district's rules have no on-site verification")]
        }
        guard street != nil, office != nil else {
            return [FieldProblem(
                field: "location.street", problem: "required for on-site verification: the street whose grid worker verifies")]
        }
        return []
    }

    /// The hold of a submission whose outcome would be `outcome`, or nil when it is decided at once:
    /// only a demand that makes a ticket to handle is verified (a rejection, an answer on the call or a
    /// merge into a ticket already being handled is not).
    public static func hold(
        _ submission: Submission, outcome: IntakeOutcome, rules: GridVerificationRules?, office: String?,
        calendar: WorkingCalendar, now: Date
    ) throws -> Hold? {
        guard submission.verifyOnSite == true, let rules, let office, let street = outcome.plan.street else { return nil }
        switch outcome {
        case .accepted, .split:
            return Hold(office: office, street: street, dueBy: try rules.within.deadline(from: now, calendar: calendar))
        case .answered, .rejected, .merged:
            return nil
        }
    }

    /// The outcome of a held submission once its verification ended: found untrue, not accepted;
    /// otherwise `decided` (the decision as of now).
    public static func outcome(
        _ result: Result, decided: IntakeOutcome, note: String?, rules: GridVerificationRules
    ) -> IntakeOutcome {
        guard result == .notVerified else { return decided }
        return .rejected(decided.plan, IntakeRejection(
            reason: .noSubstance, basis: rules.basis, decidedBy: .gridWorker, note: note))
    }

    /// The refusal of a verification report, or nil: the verification must be pending and the
    /// reporting unit's, and the verification time between the request and the platform's clock.
    public static func refusal(
        _ command: UnitReportVerification, by unit: String, pending: Pending?, now: Date, skew: TimeInterval
    ) -> CommandRefusal? {
        let id = command.verificationID.prefix(64)
        guard let pending else { return CommandRefusal(.notFound, "no verification \(id)") }
        guard pending.office == unit else {
            return CommandRefusal(.forbidden, "verification \(id) is the street office \(pending.office)'s, not \(unit)'s")
        }
        if let ended = pending.result {
            return CommandRefusal(.wrongState, "verification \(id) has ended (\(ended.rawValue))")
        }
        return ReportedTime.problem(
            command.verifiedAt, field: "verified_at", dispatchedAt: pending.requestedAt, now: now, skew: skew,
            start: "the verification was requested"
        ).map(ReportedTime.refusal)
    }

    /// A verification as its report is judged.
    public struct Pending: Sendable, Hashable {
        public var office: String
        public var requestedAt: Date
        /// Set once it ended.
        public var result: Result?

        public init(office: String, requestedAt: Date, result: Result?) {
            self.office = office
            self.requestedAt = requestedAt
            self.result = result
        }
    }
}
