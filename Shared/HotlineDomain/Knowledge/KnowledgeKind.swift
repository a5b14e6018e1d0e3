import Foundation

/// What a knowledge-base entry (知识点) is (PS §22(一): 政策法规、办事指南、问答资料、通知公告).
public enum KnowledgeKind: String, Codable, Sendable, CaseIterable {
    /// A policy or regulation (政策法规).
    case policy
    /// A guide to a service (办事指南).
    case guide
    /// Questions and answers (问答资料).
    case qa
    /// A notice (通知公告).
    case notice
}

/// Where a revision of an entry stands.
public enum KnowledgeRevisionState: String, Codable, Sendable, CaseIterable {
    /// Drafted by the unit's editor, waiting for its reviewer.
    case draft
    /// Approved by the reviewer: the entry's content (until a later revision is published).
    case published
    /// Sent back by the reviewer.
    case rejected
    /// A later draft or publication took its place before it was reviewed, or after it was in force.
    case superseded
}

/// Where an entry stands.
public enum KnowledgeEntryState: String, Codable, Sendable, CaseIterable {
    /// Never published yet.
    case draft
    /// Published: searchable within its validity dates.
    case published
    /// Withdrawn by its unit (撤销): no longer searchable until a revision is published again.
    case withdrawn
}
