import Foundation

/// Every limit of docs/rules.md as data (`deploy/profiles/<name>.yaml`): pingshan (PS), pingli (PL) and
/// daye (DY) ship with the platform; a jurisdiction may write its own without a code change.
public struct RuleProfile: Codable, Sendable, Hashable {
    /// Profile name (`pingshan`), the value of `HOTLINE_PROFILE`.
    public var profile: String
    /// The source document.
    public var name: String
    public var intake: IntakeRules
    public var classification: ClassificationRules
    public var dispatch: DispatchRules
    public var sign: SignRules
    public var acceptanceNotice: NoticeRules
    public var feedback: FeedbackRules
    public var handling: HandlingRules
    /// Returns (YAML key `return`).
    public var returns: ReturnRules
    /// Extensions (YAML key `extension`).
    public var extensions: ExtensionRules
    public var reopen: ReopenRules
    public var stageResolution: StageResolutionRules
    public var warnings: WarningRules
    public var escalation: EscalationRules
    public var survey: SurveyRules
    public var alerts: AlertRules
    public var cards: CardRules
    /// How the units are scored and ranked (考核).
    public var assessment: AssessmentRules
    /// Supervision (督办) and referral to the discipline commission.
    public var supervision: SupervisionRules
    /// The knowledge base's limits (`knowledge`); absent: `KnowledgeRules.standard`.
    public var knowledge: KnowledgeRules?

    enum CodingKeys: String, CodingKey {
        case profile, name, intake, classification, dispatch, sign
        case acceptanceNotice = "acceptance_notice"
        case feedback, handling
        case returns = "return"
        case extensions = "extension"
        case reopen
        case stageResolution = "stage_resolution"
        case warnings, escalation, survey, alerts, cards, assessment, supervision, knowledge
    }

    /// The knowledge base's limits in force.
    public var knowledgeRules: KnowledgeRules { knowledge ?? .standard }

    /// Everything that makes the profile unusable, as sentences; empty when it is sound.
    public func problems() -> [String] {
        var problems: [String] = []
        if profile.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("profile: empty name") }
        for kind in handling.within.missingKinds { problems.append("handling.within: no limit for \(kind.rawValue)") }
        for kind in sign.within.missingKinds { problems.append("sign.within: no limit for \(kind.rawValue)") }
        for urgency in Urgency.allCases where dispatch.within[urgency] == nil {
            problems.append("dispatch.within: no limit for \(urgency.rawValue)")
        }
        if let fraction = warnings.atFraction, !(fraction > 0 && fraction < 1) {
            problems.append("warnings.at_fraction: \(fraction) is not between 0 and 1")
        }
        let tiers = escalation.tiers.map(\.tier)
        if tiers != tiers.sorted() || Set(tiers).count != tiers.count {
            problems.append("escalation.tiers: tier numbers must ascend without repeats")
        }
        for tier in escalation.tiers where tier.overDays == nil && tier.fromDays == nil {
            problems.append("escalation.tiers: tier \(tier.tier) has neither over_days nor from_days")
        }
        if !reopen.useOriginalLimit && reopen.within == nil {
            problems.append("reopen: neither use_original_limit nor within")
        }
        switch survey.scale {
        case .stars where survey.stars == nil: problems.append("survey: scale stars without stars")
        case .levels where (survey.levels ?? []).isEmpty: problems.append("survey: scale levels without levels")
        case .questions where (survey.questions ?? []).isEmpty:
            problems.append("survey: scale questions without questions")
        default: break
        }
        if let stars = survey.stars {
            if stars.min >= stars.max { problems.append("survey.stars: min must be below max") }
            for d in stars.rehandleDimensions where !stars.dimensions.contains(d) {
                problems.append("survey.stars.rehandle_dimensions: unknown dimension \(d)")
            }
        }
        for level in survey.rehandleLevels ?? [] where !(survey.levels ?? []).contains(level) {
            problems.append("survey.rehandle_levels: unknown level \(level)")
        }
        if let count = extensions.maxCount, count < 0 { problems.append("extension.max_count: negative") }
        if intake.minDescriptionLength < 0 { problems.append("intake.min_description_length: negative") }
        if let radius = intake.merge?.radiusMeters, !(radius >= 0) { problems.append("intake.merge.radius_meters: negative") }
        if let skew = intake.futureSkewSeconds, skew < 0 { problems.append("intake.future_skew_seconds: negative") }
        for code in (intake.basis ?? [:]).keys.sorted() where NonAcceptanceReason(rawValue: code) == nil {
            problems.append("intake.basis: unknown reason code \(code)")
        }
        for threshold in [alerts.hotspot, alerts.highFrequency, alerts.repeatCaller] where threshold.count < 1 {
            problems.append("alerts: a threshold count must be at least 1")
        }
        if let solved = survey.stars?.solvedDimension, !(survey.stars?.dimensions.contains(solved) ?? false) {
            problems.append("survey.stars.solved_dimension: unknown dimension \(solved)")
        }
        return problems + assessment.problems() + supervision.problems() + knowledgeRules.problems()
    }
}
