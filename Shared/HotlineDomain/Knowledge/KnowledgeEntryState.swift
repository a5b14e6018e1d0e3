import Foundation

/// Where an entry stands.
public enum KnowledgeEntryState: String, Codable, Sendable, CaseIterable {
    /// Never published yet.
    case draft
    /// Published: searchable within its validity dates.
    case published
    /// Withdrawn by its unit (撤销): no longer searchable until a revision is published again.
    case withdrawn
}

/// Where a correction the center asked for stands.
public enum KnowledgeCorrectionState: String, Codable, Sendable, CaseIterable {
    /// Flagged, not yet made.
    case open
    /// A revision of the entry was published while it was open.
    case corrected
    /// The entry was withdrawn while it was open.
    case withdrawn
}
