import Foundation

/// Early-warning thresholds (PS §17, DY (12)). Safety alerts use the classification's hazard words.
public struct AlertRules: Codable, Sendable, Hashable {
    /// Many citizens in a short time (热点, PS §17(一)3).
    public var hotspot: Threshold
    /// The same matter recurring over a period (高频, PS §17(一)2).
    public var highFrequency: Threshold
    /// One citizen raising the same problem again and again (DY (12): 3 times in a month).
    public var repeatCaller: Threshold
    /// Words that make a demand sensitive (敏感, PS §17(一)4).
    public var sensitiveWords: [String]

    /// `count` tickets within `within`, grouped by `same`.
    public struct Threshold: Codable, Sendable, Hashable {
        public var count: Int
        public var within: TimeLimit
        /// Grouping fields: `category`, `community`, `street`, `citizen`.
        public var same: [String]
        /// Count distinct citizens rather than tickets.
        public var distinctCitizens: Bool?

        enum CodingKeys: String, CodingKey {
            case count, within, same
            case distinctCitizens = "distinct_citizens"
        }
    }

    enum CodingKeys: String, CodingKey {
        case hotspot
        case highFrequency = "high_frequency"
        case repeatCaller = "repeat_caller"
        case sensitiveWords = "sensitive_words"
    }

    /// The sensitive words that occur in a text.
    public func sensitiveWords(in text: String) -> [String] {
        sensitiveWords.filter { text.containsWord($0) }
    }
}
