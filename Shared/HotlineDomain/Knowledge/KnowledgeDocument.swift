import Foundation

/// A published entry as searches see it: its revision in force at the search's instant.
public struct KnowledgeDocument: Codable, Sendable, Hashable {
    public var knowledgeID: String
    public var revision: Int
    public var unit: String
    public var kind: KnowledgeKind
    public var title: String
    public var body: String
    public var keywords: [String]
    public var category: String?
    public var effectiveFrom: Date
    public var validUntil: Date?

    public init(
        knowledgeID: String, revision: Int, unit: String, kind: KnowledgeKind, title: String, body: String,
        keywords: [String] = [], category: String? = nil, effectiveFrom: Date, validUntil: Date? = nil
    ) {
        self.knowledgeID = knowledgeID
        self.revision = revision
        self.unit = unit
        self.kind = kind
        self.title = title
        self.body = body
        self.keywords = keywords
        self.category = category
        self.effectiveFrom = effectiveFrom
        self.validUntil = validUntil
    }

    enum CodingKeys: String, CodingKey {
        case knowledgeID = "knowledge_id"
        case revision, unit, kind, title, body, keywords, category
        case effectiveFrom = "effective_from"
        case validUntil = "valid_until"
    }
}
