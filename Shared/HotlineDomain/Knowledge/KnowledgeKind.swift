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
