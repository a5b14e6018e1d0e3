import Foundation

/// What intake refuses before anything else: descriptions without substance (PS §8(二)7, PL §7(八)),
/// anonymous demands about the caller's own rights (PL §7(十)), emergencies for 110/119/120/122
/// (ZS §13(一), PL §7(二)).
public struct IntakeRules: Codable, Sendable, Hashable {
    /// A description shorter than this (after trimming) has no substance.
    public var minDescriptionLength: Int
    /// Whole descriptions that say nothing (测试, 无…), compared after trimming punctuation.
    public var noSubstanceTexts: [String]
    /// Refuse anonymous demands that assert the caller's own rights (`unverifiable_anonymous`).
    public var anonymousOwnRightsRefused: Bool
    /// Emergency numbers and the words that redirect a caller to them, checked in order.
    public var emergencyRedirects: [EmergencyRedirect]
    /// A description needs at least this many distinct letters (ideographs count) to have substance
    /// (`啊啊啊啊`, `1111` have none); absent: not checked.
    public var minDistinctLetters: Int?
    /// Kinds that by definition assert the caller's own rights (PL §4(四): 求助 is for one's own needs).
    public var ownRightsKinds: [TicketKind]?
    /// Words that show a demand asserts the caller's own rights (wages owed, refunds, compensation…).
    public var ownRightsWords: [String]?
    /// How far `received_at` may lie in the future of the platform's clock, in seconds (clock skew
    /// between gateway and platform); absent: the contract validator's default (300).
    public var futureSkewSeconds: Int?
    /// How old `received_at` may be, in days (older is invalid: deadlines need the working calendar
    /// of that time); absent: no limit.
    public var maxReceivedAgeDays: Int?
    /// Merging (并案, PS §15(二)); absent: the defaults of `MergeRules`.
    public var merge: MergeRules?
    /// The basis recorded with each non-acceptance reason (`ticket.rejected`'s `basis`), by reason code.
    public var basis: [String: String]?
    /// On-site verification before acceptance (PS §8(一)3); absent: `verify_on_site` is refused.
    public var gridVerification: GridVerificationRules?

    /// When a new demand is merged into an open ticket.
    public struct MergeRules: Codable, Sendable, Hashable {
        /// Two demands whose coordinates lie at most this far apart are at the same place (metres).
        public var radiusMeters: Double
        /// The same citizen raising the same category again while the earlier ticket is open is merged.
        public var sameCitizen: Bool

        public init(radiusMeters: Double = 100, sameCitizen: Bool = true) {
            self.radiusMeters = radiusMeters
            self.sameCitizen = sameCitizen
        }

        enum CodingKeys: String, CodingKey {
            case radiusMeters = "radius_meters"
            case sameCitizen = "same_citizen"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            radiusMeters = try c.decodeIfPresent(Double.self, forKey: .radiusMeters) ?? 100
            sameCitizen = try c.decodeIfPresent(Bool.self, forKey: .sameCitizen) ?? true
        }
    }

    /// An emergency line and its trigger words.
    public struct EmergencyRedirect: Codable, Sendable, Hashable {
        /// `110`, `119`, `120`, `122`.
        public var number: String
        public var words: [String]

        public init(number: String, words: [String]) {
            self.number = number
            self.words = words
        }
    }

    enum CodingKeys: String, CodingKey {
        case minDescriptionLength = "min_description_length"
        case noSubstanceTexts = "no_substance_texts"
        case anonymousOwnRightsRefused = "anonymous_own_rights_refused"
        case emergencyRedirects = "emergency_redirects"
        case minDistinctLetters = "min_distinct_letters"
        case ownRightsKinds = "own_rights_kinds"
        case ownRightsWords = "own_rights_words"
        case futureSkewSeconds = "future_skew_seconds"
        case maxReceivedAgeDays = "max_received_age_days"
        case merge, basis
        case gridVerification = "grid_verification"
    }

    /// Whether a description has substance by these rules.
    public func hasSubstance(_ description: String) -> Bool {
        let trimmed = description.trimmingWhitespace
        guard trimmed.count >= minDescriptionLength else { return false }
        let bare = trimmed.trimmingWhitespaceAndPunctuation
        guard !noSubstanceTexts.contains(bare) else { return false }
        if let minimum = minDistinctLetters, minimum > 0 {
            let letters = Set(trimmed.unicodeScalars.filter { $0.properties.isAlphabetic })
            guard letters.count >= minimum else { return false }
        }
        return true
    }

    /// The merge rules in force (the defaults when the profile has none).
    public var mergeRules: MergeRules { merge ?? MergeRules() }

    /// The first emergency line one of whose words occurs in `text`, with the word.
    public func emergencyRedirect(for text: String) -> (number: String, word: String)? {
        for redirect in emergencyRedirects {
            if let word = redirect.words.first(where: { text.containsWord($0) }) {
                return (redirect.number, word)
            }
        }
        return nil
    }
}
