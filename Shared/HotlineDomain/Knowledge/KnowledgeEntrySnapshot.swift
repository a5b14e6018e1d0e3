import Foundation

/// An entry as the decisions read it.
public struct KnowledgeEntrySnapshot: Sendable, Hashable {
    public var knowledgeID: String
    public var unit: String
    public var state: KnowledgeEntryState
    /// The open correction, if the center flagged the entry.
    public var openCorrection: String?

    public init(knowledgeID: String, unit: String, state: KnowledgeEntryState, openCorrection: String? = nil) {
        self.knowledgeID = knowledgeID
        self.unit = unit
        self.state = state
        self.openCorrection = openCorrection
    }
}
