import Foundation

/// `unit.draft-knowledge`: the unit's editor (采编人员) drafts a new entry, or a new revision of one of
/// the unit's entries (PS §22(一)). Nothing is searchable before the unit's reviewer approves it.
public struct UnitDraftKnowledge: Codable, Sendable, Hashable, CommandBody {
    public static let commandType = CommandType.unitDraftKnowledge
    /// The entry to revise; absent: a new entry.
    public var knowledgeID: String?
    public var kind: KnowledgeKind
    public var title: String
    public var body: String
    public var keywords: [String]?
    /// A duty-catalogue item code the entry belongs to.
    public var category: String?
    /// When it takes effect (a policy: the day it is made public); absent: when it is published.
    public var effectiveFrom: Date?
    /// When it stops being valid.
    public var validUntil: Date?
    /// A new policy directly concerning the public (与社会公众利益直接相关的新政策), reported 3-10 working
    /// days before it takes effect (PS §22(三), ZS §34(二)); only for `policy`.
    public var publicInterest: Bool?
    /// Who drafted it.
    public var editor: String

    public init(
        knowledgeID: String? = nil, kind: KnowledgeKind, title: String, body: String, keywords: [String]? = nil,
        category: String? = nil, effectiveFrom: Date? = nil, validUntil: Date? = nil, publicInterest: Bool? = nil,
        editor: String
    ) {
        self.knowledgeID = knowledgeID
        self.kind = kind
        self.title = title
        self.body = body
        self.keywords = keywords
        self.category = category
        self.effectiveFrom = effectiveFrom
        self.validUntil = validUntil
        self.publicInterest = publicInterest
        self.editor = editor
    }

    enum CodingKeys: String, CodingKey {
        case knowledgeID = "knowledge_id"
        case kind, title, body, keywords, category
        case effectiveFrom = "effective_from"
        case validUntil = "valid_until"
        case publicInterest = "public_interest"
        case editor
    }

    /// The longest title, body, keyword and person's name, in characters; the most keywords.
    public static let maxTitle = 200, maxBody = 20_000, maxKeyword = 32, maxKeywords = 20, maxName = 64
}

/// `unit.review-knowledge`: the unit's reviewer (审核人员) approves a draft, which publishes it, or sends
/// it back (PS §22(二), 谁提供谁审核谁负责).
public struct UnitReviewKnowledge: Codable, Sendable, Hashable, CommandBody {
    public static let commandType = CommandType.unitReviewKnowledge
    public var knowledgeID: String
    /// The draft reviewed (from `knowledge.drafted`).
    public var revision: Int
    public var approve: Bool
    /// Who reviewed it: never the draft's editor.
    public var reviewer: String
    /// Why it is sent back (required then).
    public var note: String?

    public init(knowledgeID: String, revision: Int, approve: Bool, reviewer: String, note: String? = nil) {
        self.knowledgeID = knowledgeID
        self.revision = revision
        self.approve = approve
        self.reviewer = reviewer
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case knowledgeID = "knowledge_id"
        case revision, approve, reviewer, note
    }
}

/// `unit.withdraw-knowledge`: the unit withdraws a published entry (撤销, PS §22(五)).
public struct UnitWithdrawKnowledge: Codable, Sendable, Hashable, CommandBody {
    public static let commandType = CommandType.unitWithdrawKnowledge
    public var knowledgeID: String
    /// Who decided it (the unit's reviewer).
    public var reviewer: String
    public var reason: String

    public init(knowledgeID: String, reviewer: String, reason: String) {
        self.knowledgeID = knowledgeID
        self.reviewer = reviewer
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case knowledgeID = "knowledge_id"
        case reviewer, reason
    }
}

/// `center.flag-knowledge`: the center found an error or omission in a published entry (核查存在错漏);
/// the unit corrects it within the profile's limit (PS §22(五): 2 working days).
public struct CenterFlagKnowledge: Codable, Sendable, Hashable, CommandBody {
    public static let commandType = CommandType.centerFlagKnowledge
    public var knowledgeID: String
    /// What is wrong.
    public var problem: String
    /// Who at the center decided, for the audit trail (`operator`).
    public var operatorName: String?

    public init(knowledgeID: String, problem: String, operatorName: String? = nil) {
        self.knowledgeID = knowledgeID
        self.problem = problem
        self.operatorName = operatorName
    }

    enum CodingKeys: String, CodingKey {
        case knowledgeID = "knowledge_id"
        case problem
        case operatorName = "operator"
    }

    /// The longest problem text (and review note, withdrawal reason), in characters.
    public static let maxProblem = 2_000
}

/// `gateway.search-knowledge`: a query for published entries in force, answered on the sender's reply
/// queue only (docs/contract.md "Queries").
public struct GatewaySearchKnowledge: Codable, Sendable, Hashable, CommandBody {
    public static let commandType = CommandType.gatewaySearchKnowledge
    /// Words or a phrase, in Chinese or not.
    public var query: String
    public var kind: KnowledgeKind?
    /// Only this unit's entries.
    public var unit: String?
    /// Only entries of this catalogue item.
    public var category: String?
    /// At most this many results (1-50, default 10).
    public var limit: Int?
    /// Entries in force at this instant (default: now).
    public var at: Date?

    public init(
        query: String, kind: KnowledgeKind? = nil, unit: String? = nil, category: String? = nil, limit: Int? = nil,
        at: Date? = nil
    ) {
        self.query = query
        self.kind = kind
        self.unit = unit
        self.category = category
        self.limit = limit
        self.at = at
    }

    /// The longest query, in characters; the default and largest `limit`.
    public static let maxQuery = 200, defaultLimit = 10, maxLimit = 50
}

// MARK: - Checks beyond the JSON shape

private func nameProblems(_ field: String, _ value: String) -> [String] {
    if blank(value) { return ["\(field) must not be blank"] }
    return value.count > UnitDraftKnowledge.maxName ? ["\(field) must be at most \(UnitDraftKnowledge.maxName) characters"] : []
}

private func idProblems(_ id: String?) -> [String] {
    guard let id else { return [] }
    if blank(id) { return ["knowledge_id must not be blank"] }
    return id.count > 64 ? ["knowledge_id must be at most 64 characters"] : []
}

extension UnitDraftKnowledge {
    public func validationProblems() -> [String] {
        var problems = idProblems(knowledgeID) + required(("title", title), ("body", body)) + nameProblems("editor", editor)
        if title.count > Self.maxTitle { problems.append("title must be at most \(Self.maxTitle) characters") }
        if body.count > Self.maxBody { problems.append("body must be at most \(Self.maxBody) characters") }
        let words = keywords ?? []
        if words.count > Self.maxKeywords { problems.append("keywords must be at most \(Self.maxKeywords)") }
        if words.contains(where: { blank($0) || $0.count > Self.maxKeyword }) {
            problems.append("keywords must be non-blank and at most \(Self.maxKeyword) characters each")
        }
        if let category, blank(category) || category.count > 64 {
            problems.append("category must be non-blank and at most 64 characters")
        }
        if let effectiveFrom, let validUntil, validUntil <= effectiveFrom {
            problems.append("valid_until must be after effective_from")
        }
        if publicInterest == true, kind != .policy { problems.append("public_interest is only for kind policy") }
        return problems
    }
}

extension UnitReviewKnowledge {
    public func validationProblems() -> [String] {
        var problems = idProblems(knowledgeID) + required(("knowledge_id", knowledgeID)) + nameProblems("reviewer", reviewer)
        if revision < 1 { problems.append("revision must be at least 1") }
        if !approve, blank(note ?? "") { problems.append("note must say why a draft is sent back") }
        if let note, note.count > CenterFlagKnowledge.maxProblem {
            problems.append("note must be at most \(CenterFlagKnowledge.maxProblem) characters")
        }
        return problems
    }
}

extension UnitWithdrawKnowledge {
    public func validationProblems() -> [String] {
        idProblems(knowledgeID) + required(("knowledge_id", knowledgeID), ("reason", reason)) + nameProblems("reviewer", reviewer)
            + (reason.count > CenterFlagKnowledge.maxProblem ? ["reason must be at most \(CenterFlagKnowledge.maxProblem) characters"] : [])
    }
}

extension CenterFlagKnowledge {
    public func validationProblems() -> [String] {
        var problems = idProblems(knowledgeID) + required(("knowledge_id", knowledgeID), ("problem", problem))
        if problem.count > Self.maxProblem { problems.append("problem must be at most \(Self.maxProblem) characters") }
        return problems + operatorProblems(operatorName)
    }
}

extension GatewaySearchKnowledge {
    public func validationProblems() -> [String] {
        var problems = required(("query", query))
        if query.count > Self.maxQuery { problems.append("query must be at most \(Self.maxQuery) characters") }
        if let limit, !(1...Self.maxLimit).contains(limit) { problems.append("limit must be 1-\(Self.maxLimit)") }
        if let unit, blank(unit) || unit.count > 32 { problems.append("unit must be non-blank and at most 32 characters") }
        if let category, blank(category) || category.count > 64 {
            problems.append("category must be non-blank and at most 64 characters")
        }
        return problems
    }

    /// The number of results to return.
    public var resultLimit: Int { limit ?? Self.defaultLimit }
}
