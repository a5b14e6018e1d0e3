import Foundation

/// Returns (退回) of an assignment to the center (PS §13-14, ZS §17, PL §10(二), DY (7)).
public struct ReturnRules: Codable, Sendable, Hashable {
    public var from: LimitStart
    /// The return window (PS: 1 wd; PL, DY: 2 wd).
    public var within: TimeLimit
    /// The window for national and provincial tickets (PS §13: 2 h), when different.
    public var superiorChannelsWithin: TimeLimit?
    /// A request needs a reason and a basis (PS §13(一)).
    public var reasonAndBasisRequired: Bool
    /// Reason codes refused without review (PS §13(一)-(六)).
    public var refusedWithoutReview: [String]
    /// What a late request gets: `refused`, or reviewed and counted as an overdue return (PS §13).
    public var lateRequests: LatePolicy
    /// Whether a unit may ask again after a denial (PS §13: no).
    public var againAfterDenial: Bool
    /// Whether an extended assignment may be returned (PS §14: no).
    public var afterExtension: Bool
    /// Whether review time counts against the unit (ZS §17: no; the clock pauses).
    public var reviewTimeCounts: Bool
    /// Whether an approved return restarts the handling limit at the re-dispatch (ZS §17).
    public var approvedRestartsDeadline: Bool
    /// A written explanation must come with the request (DY (7)).
    public var writtenExplanationRequired: Bool
    /// The reason codes a unit may give for returning an assignment the duty catalogue routed to it,
    /// which must then name the unit it belongs to (`suggested_unit`); nil: any (PS §12(一): 职责清单
    /// 已有规定的，责任单位不得推诿、拒收或退回, so only a claim that the matter was misclassified).
    public var catalogueReasons: [String]?

    /// Late return requests.
    public enum LatePolicy: String, Codable, Sendable, Hashable {
        case refused
        /// Reviewed, and counted as an overdue return when approved.
        case overdueReturn = "overdue_return"
    }

    enum CodingKeys: String, CodingKey {
        case from, within
        case superiorChannelsWithin = "superior_channels_within"
        case reasonAndBasisRequired = "reason_and_basis_required"
        case refusedWithoutReview = "refused_without_review"
        case lateRequests = "late_requests"
        case againAfterDenial = "again_after_denial"
        case afterExtension = "after_extension"
        case reviewTimeCounts = "review_time_counts"
        case approvedRestartsDeadline = "approved_restarts_deadline"
        case writtenExplanationRequired = "written_explanation_required"
        case catalogueReasons = "catalogue_reasons"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        from = try c.decode(LimitStart.self, forKey: .from)
        within = try c.decode(TimeLimit.self, forKey: .within)
        superiorChannelsWithin = try c.decodeIfPresent(TimeLimit.self, forKey: .superiorChannelsWithin)
        reasonAndBasisRequired = try c.decodeIfPresent(Bool.self, forKey: .reasonAndBasisRequired) ?? true
        refusedWithoutReview = try c.decodeIfPresent([String].self, forKey: .refusedWithoutReview) ?? []
        lateRequests = try c.decodeIfPresent(LatePolicy.self, forKey: .lateRequests) ?? .refused
        againAfterDenial = try c.decodeIfPresent(Bool.self, forKey: .againAfterDenial) ?? false
        afterExtension = try c.decodeIfPresent(Bool.self, forKey: .afterExtension) ?? false
        reviewTimeCounts = try c.decodeIfPresent(Bool.self, forKey: .reviewTimeCounts) ?? false
        approvedRestartsDeadline = try c.decodeIfPresent(Bool.self, forKey: .approvedRestartsDeadline) ?? true
        writtenExplanationRequired =
            try c.decodeIfPresent(Bool.self, forKey: .writtenExplanationRequired) ?? false
        catalogueReasons = try c.decodeIfPresent([String].self, forKey: .catalogueReasons)
    }

    /// The window for a channel.
    public func window(for channel: Channel) -> TimeLimit {
        channel.isSuperior ? (superiorChannelsWithin ?? within) : within
    }

    /// Why a return request is refused without the center's review.
    public enum Refusal: String, Sendable, Hashable, Codable {
        /// The assignment may not be returned (first-responsible, decided ownership).
        case returnNotAllowed = "return_not_allowed"
        case missingReasonOrBasis = "missing_reason_or_basis"
        /// The reason code is one refused without review.
        case reasonRefused = "reason_refused"
        case deniedBefore = "denied_before"
        case extended
        case late
        /// A catalogue-routed assignment returned for a reason the profile does not allow for it.
        case catalogueReason = "catalogue_reason"
        /// A catalogue-routed assignment returned without naming the unit it belongs to.
        case catalogueWithoutSuggestedUnit = "catalogue_without_suggested_unit"
        /// No written return explanation where the profile requires one (DY (7)).
        case missingWrittenExplanation = "missing_written_explanation"

        /// The `command.rejected` reason of the contract.
        public var rejectionReason: String {
            switch self {
            case .returnNotAllowed, .deniedBefore, .extended, .reasonRefused, .catalogueReason: return "not_allowed"
            case .missingReasonOrBasis, .catalogueWithoutSuggestedUnit, .missingWrittenExplanation: return "invalid"
            case .late: return "too_late"
            }
        }
    }

    /// The outcome of screening a return request.
    public enum Screening: Sendable, Hashable {
        /// Goes to the center for review; `late` when accepted past the window (an overdue return).
        case review(late: Bool)
        case refused(Refusal)
    }

    /// Screens a return request before the center reviews it; `catalogueRouted` when the duty
    /// catalogue routed the assignment.
    public func screen(
        reasonCode: String, reason: String?, basis: String?, suggestedUnit: String? = nil, writtenExplanation: String? = nil,
        requestedAt: Date,
        returnBy: Date?, returnAllowed: Bool, extended: Bool, deniedBefore: Bool, catalogueRouted: Bool = false
    ) -> Screening {
        guard returnAllowed else { return .refused(.returnNotAllowed) }
        if extended && !afterExtension { return .refused(.extended) }
        if deniedBefore && !againAfterDenial { return .refused(.deniedBefore) }
        func blank(_ s: String?) -> Bool { (s ?? "").trimmingWhitespace.isEmpty }
        if reasonAndBasisRequired && (blank(reason) || blank(basis)) { return .refused(.missingReasonOrBasis) }
        if writtenExplanationRequired && blank(writtenExplanation) { return .refused(.missingWrittenExplanation) }
        if refusedWithoutReview.contains(reasonCode) { return .refused(.reasonRefused) }
        if catalogueRouted, let allowed = catalogueReasons {
            guard allowed.contains(reasonCode) else { return .refused(.catalogueReason) }
            if blank(suggestedUnit) { return .refused(.catalogueWithoutSuggestedUnit) }
        }
        let late = returnBy.map { requestedAt > $0 } ?? false
        if late && lateRequests == .refused { return .refused(.late) }
        return .review(late: late)
    }
}
