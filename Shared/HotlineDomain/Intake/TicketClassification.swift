import Foundation

/// How one attribute of a ticket (kind, urgency, category) was decided, kept on the ticket
/// (`tickets.classification`) so that an operator can see why.
public struct ClassificationReason: Codable, Sendable, Hashable {
    /// The value decided (`complaint`, `urgent`, `CG-001`), nil when left open (category for manual dispatch).
    public var value: String?
    /// The rule that decided it, one of the `Rule` raw values.
    public var rule: Rule
    /// The words of the text that decided it.
    public var words: [String]?
    /// The catalogue item whose hint decided it (or that was matched).
    public var item: String?
    /// Items that tied for the category.
    public var candidates: [String]?
    /// A remark for operators.
    public var note: String?

    /// The rules that decide an attribute.
    public enum Rule: String, Codable, Sendable, Hashable {
        /// Given by the gateway.
        case gateway
        /// Inherited from the split parent's submission (given there by the gateway).
        case parent
        /// A consultation answered on the call.
        case answeredOnCall = "answered_on_call"
        /// A kind cue of the profile (`classification.kind_words`).
        case kindWords = "kind_words"
        /// A hazard word of the profile (`classification.urgency_words`).
        case hazardWords = "hazard_words"
        /// The catalogue item's hint.
        case catalogueHint = "catalogue_hint"
        /// The catalogue item with the best keyword score.
        case catalogueKeywords = "catalogue_keywords"
        /// Several items scored alike: left for manual dispatch.
        case tie
        /// No keyword matched: left for manual dispatch.
        case noMatch = "no_match"
        /// The profile's default.
        case `default`
    }

    public init(
        value: String?, rule: Rule, words: [String]? = nil, item: String? = nil, candidates: [String]? = nil,
        note: String? = nil
    ) {
        self.value = value
        self.rule = rule
        self.words = words
        self.item = item
        self.candidates = candidates
        self.note = note
    }
}

/// A ticket's kind, urgency and category, each with the reason it was chosen.
public struct TicketClassification: Sendable, Hashable {
    public var kind: TicketKind
    public var urgency: Urgency
    /// The catalogue item code; nil leaves the ticket for manual dispatch.
    public var category: String?
    public var kindReason: ClassificationReason
    public var urgencyReason: ClassificationReason
    public var categoryReason: ClassificationReason

    public init(
        kind: TicketKind, urgency: Urgency, category: String?, kindReason: ClassificationReason,
        urgencyReason: ClassificationReason, categoryReason: ClassificationReason
    ) {
        self.kind = kind
        self.urgency = urgency
        self.category = category
        self.kindReason = kindReason
        self.urgencyReason = urgencyReason
        self.categoryReason = categoryReason
    }

    /// The record kept in `tickets.classification`: `{"kind": {...}, "urgency": {...}, "category": {...}}`.
    public var record: [String: ClassificationReason] {
        ["kind": kindReason, "urgency": urgencyReason, "category": categoryReason]
    }
}

extension Urgency {
    /// Higher is more urgent.
    public var rank: Int {
        switch self {
        case .urgent: return 2
        case .fast: return 1
        case .normal: return 0
        }
    }
}

/// Classifies a demand when the gateway left `kind`, `urgency` or `category` out (PS §11, PL §35):
/// kind from the profile's cue words (咨询, 建议, 举报, 求助…; the profile's default otherwise),
/// category from the duty catalogue's keywords (the best score; a tie or no match leaves it open for
/// manual dispatch), urgency from the catalogue item's hint and the profile's hazard words, whichever
/// is more urgent.
public struct IntakeClassifier: Sendable {
    public let rules: ClassificationRules
    public let catalogue: DutyCatalogue

    public init(rules: ClassificationRules, catalogue: DutyCatalogue) {
        self.rules = rules
        self.catalogue = catalogue
    }

    /// What the gateway gave, and where it came from.
    public struct Given: Sendable, Hashable {
        public var kind: TicketKind?
        public var urgency: Urgency?
        public var category: String?
        /// `gateway`, or `parent` for a split child inheriting the submission's values.
        public var rule: ClassificationReason.Rule
        /// The demand was answered on the call: a consultation unless the gateway said otherwise.
        public var answeredOnCall: Bool

        public init(
            kind: TicketKind? = nil, urgency: Urgency? = nil, category: String? = nil,
            rule: ClassificationReason.Rule = .gateway, answeredOnCall: Bool = false
        ) {
            self.kind = kind
            self.urgency = urgency
            self.category = category
            self.rule = rule
            self.answeredOnCall = answeredOnCall
        }
    }

    /// Classifies `text` (title and description), keeping what was given.
    public func classify(text: String, given provided: Given) -> TicketClassification {
        // Category.
        let category: String?
        let categoryReason: ClassificationReason
        if let code = provided.category {
            category = code
            categoryReason = ClassificationReason(
                value: code, rule: provided.rule,
                note: catalogue.item(code: code) == nil ? "not in the duty catalogue" : nil)
        } else {
            switch catalogue.bestMatch(for: text) {
            case .item(let code, let words):
                category = code
                categoryReason = ClassificationReason(value: code, rule: .catalogueKeywords, words: words, item: code)
            case .tie(let codes):
                category = nil
                categoryReason = ClassificationReason(
                    value: nil, rule: .tie, candidates: codes, note: "several catalogue items match alike: manual dispatch")
            case .none:
                category = nil
                categoryReason = ClassificationReason(
                    value: nil, rule: .noMatch, note: "no catalogue keyword matches: manual dispatch")
            }
        }
        let item = category.flatMap { catalogue.item(code: $0) }

        // Kind.
        let kind: TicketKind
        let kindReason: ClassificationReason
        if let given = provided.kind {
            kind = given
            kindReason = ClassificationReason(value: given.rawValue, rule: provided.rule)
        } else if provided.answeredOnCall {
            kind = .consultation
            kindReason = ClassificationReason(value: TicketKind.consultation.rawValue, rule: .answeredOnCall)
        } else if let cue = kindCue(in: text) {
            kind = cue.kind
            kindReason = ClassificationReason(value: cue.kind.rawValue, rule: .kindWords, words: cue.words)
        } else if rules.kindFromCatalogueHint == true, let hint = item?.kind {
            kind = hint
            kindReason = ClassificationReason(value: hint.rawValue, rule: .catalogueHint, item: item?.code)
        } else {
            kind = rules.defaultKind
            kindReason = ClassificationReason(value: rules.defaultKind.rawValue, rule: .default)
        }

        // Urgency.
        let urgency: Urgency
        let urgencyReason: ClassificationReason
        if let given = provided.urgency {
            urgency = given
            urgencyReason = ClassificationReason(value: given.rawValue, rule: provided.rule)
        } else {
            let cue = urgencyCue(in: text)
            let hint = item?.urgency
            let fromWords = cue.map(\.urgency)
            let best = [fromWords, hint, rules.defaultUrgency].compactMap { $0 }.max { $0.rank < $1.rank }
                ?? rules.defaultUrgency
            urgency = best
            if let cue, cue.urgency == best {
                urgencyReason = ClassificationReason(
                    value: best.rawValue, rule: .hazardWords, words: cue.words,
                    item: hint == best ? item?.code : nil)
            } else if let hint, hint == best {
                urgencyReason = ClassificationReason(
                    value: best.rawValue, rule: .catalogueHint, words: cue?.words, item: item?.code)
            } else {
                urgencyReason = ClassificationReason(value: best.rawValue, rule: .default)
            }
        }
        return TicketClassification(
            kind: kind, urgency: urgency, category: category, kindReason: kindReason, urgencyReason: urgencyReason,
            categoryReason: categoryReason)
    }

    /// The first kind entry with a word in `text`, and every word of that entry found.
    public func kindCue(in text: String) -> (kind: TicketKind, words: [String])? {
        for entry in rules.kindWords {
            let words = entry.words.filter { text.containsWord($0) }
            if !words.isEmpty { return (entry.kind, words) }
        }
        return nil
    }

    /// The first urgency entry with a hazard word in `text`, and every word of that entry found.
    public func urgencyCue(in text: String) -> (urgency: Urgency, words: [String])? {
        for entry in rules.urgencyWords {
            let words = entry.words.filter { text.containsWord($0) }
            if !words.isEmpty { return (entry.urgency, words) }
        }
        return nil
    }
}
