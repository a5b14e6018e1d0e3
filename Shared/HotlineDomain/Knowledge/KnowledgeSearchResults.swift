import Foundation

/// The answer to `gateway.search-knowledge` (AMQP `type` `knowledge.search-results`), sent to the
/// sender's reply queue only, with `correlation_id` = the query's `message_id`.
public struct KnowledgeSearchResults: Codable, Sendable, Hashable {
    /// This message's AMQP `type`.
    public static let messageType = "knowledge.search-results"

    /// One entry found.
    public struct Hit: Codable, Sendable, Hashable {
        public var entry: KnowledgeDocument
        public var score: Int

        public init(entry: KnowledgeDocument, score: Int) {
            self.entry = entry
            self.score = score
        }

        public init(from decoder: any Decoder) throws {
            entry = try KnowledgeDocument(from: decoder)
            score = try decoder.container(keyedBy: CodingKeys.self).decode(Int.self, forKey: .score)
        }

        public func encode(to encoder: any Encoder) throws {
            try entry.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(score, forKey: .score)
        }

        enum CodingKeys: String, CodingKey { case score }
    }

    public var type = messageType
    public var query: String
    /// The instant the entries are in force at.
    public var at: Date
    public var results: [Hit]

    public init(query: String, at: Date, results: [Hit]) {
        self.query = query
        self.at = at
        self.results = results
    }
}
