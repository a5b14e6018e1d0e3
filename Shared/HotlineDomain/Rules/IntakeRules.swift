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
    }

    /// Whether a description has substance by these rules.
    public func hasSubstance(_ description: String) -> Bool {
        let trimmed = description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count >= minDescriptionLength else { return false }
        let bare = trimmed.trimmingCharacters(in: .punctuationCharacters.union(.whitespacesAndNewlines))
        return !noSubstanceTexts.contains(bare)
    }

    /// The first emergency line one of whose words occurs in `text`, with the word.
    public func emergencyRedirect(for text: String) -> (number: String, word: String)? {
        for redirect in emergencyRedirects {
            if let word = redirect.words.first(where: { !$0.isEmpty && text.contains($0) }) {
                return (redirect.number, word)
            }
        }
        return nil
    }
}
