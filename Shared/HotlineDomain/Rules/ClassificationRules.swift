import Foundation

/// Cue words that classify a demand's kind and urgency when the gateway gives none (PS §11, PL §35).
/// The urgency words double as the safety-hazard words of the early warnings (PS §17(一)1).
public struct ClassificationRules: Codable, Sendable, Hashable {
    /// Kind when no cue matches.
    public var defaultKind: TicketKind
    /// Kind cues, the first matching entry wins.
    public var kindWords: [KindWords]
    /// Urgency when no cue matches.
    public var defaultUrgency: Urgency
    /// Urgency cues, the first matching entry wins.
    public var urgencyWords: [UrgencyWords]
    /// Use the catalogue item's `kind` hint when no kind cue matches (before `defaultKind`); absent: no.
    public var kindFromCatalogueHint: Bool?

    /// Words that mark a kind.
    public struct KindWords: Codable, Sendable, Hashable {
        public var kind: TicketKind
        public var words: [String]
        public init(kind: TicketKind, words: [String]) {
            self.kind = kind
            self.words = words
        }
    }

    /// Words that mark an urgency.
    public struct UrgencyWords: Codable, Sendable, Hashable {
        public var urgency: Urgency
        public var words: [String]
        public init(urgency: Urgency, words: [String]) {
            self.urgency = urgency
            self.words = words
        }
    }

    enum CodingKeys: String, CodingKey {
        case defaultKind = "default_kind"
        case kindWords = "kind_words"
        case defaultUrgency = "default_urgency"
        case urgencyWords = "urgency_words"
        case kindFromCatalogueHint = "kind_from_catalogue_hint"
    }

    /// The kind of a text: the first entry with a word in it, else `defaultKind`.
    public func kind(for text: String) -> TicketKind {
        kindWords.first { $0.words.contains { text.containsWord($0) } }?.kind ?? defaultKind
    }

    /// The urgency of a text: the first entry with a word in it, else `defaultUrgency`.
    public func urgency(for text: String) -> Urgency {
        urgencyWords.first { $0.words.contains { text.containsWord($0) } }?.urgency ?? defaultUrgency
    }

    /// Every urgency word: the safety-hazard words of the early warnings.
    public var hazardWords: [String] { urgencyWords.flatMap(\.words) }

    /// The hazard words that occur in a text (a safety alert when not empty).
    public func hazards(in text: String) -> [String] {
        hazardWords.filter { text.containsWord($0) }
    }
}
