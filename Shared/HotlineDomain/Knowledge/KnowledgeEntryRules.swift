import Foundation

/// Who may do what to an entry (docs/rules.md "Knowledge base"; PS §22: 谁提供，谁审核，谁负责). Each
/// check returns the refusal, or nil when the command may go ahead.
public enum KnowledgeEntryRules {
    /// A unit drafts only its own entries; a new entry needs no check.
    public static func checkDraft(_ entry: KnowledgeEntrySnapshot?, knowledgeID: String?, by unit: String) -> CommandRefusal? {
        guard let knowledgeID else { return nil }
        guard let entry else { return CommandRefusal(.notFound, "no knowledge-base entry \(knowledgeID.prefix(64))") }
        return owned(entry, by: unit)
    }

    /// The reviewer approves or sends back the entry's pending draft, and never their own.
    public static func checkReview(
        _ entry: KnowledgeEntrySnapshot?, knowledgeID: String, by unit: String, draft: (revision: Int, editor: String)?,
        revision: Int, reviewer: String
    ) -> CommandRefusal? {
        guard let entry else { return CommandRefusal(.notFound, "no knowledge-base entry \(knowledgeID.prefix(64))") }
        if let refusal = owned(entry, by: unit) { return refusal }
        guard let draft, draft.revision == revision else {
            return CommandRefusal(.wrongState, "revision \(revision) of \(knowledgeID) is not a draft waiting for review")
        }
        if same(draft.editor, reviewer) {
            // No name in the refusal: it is published and logged.
            return CommandRefusal(.notAllowed, "the reviewer of a draft must not be its editor")
        }
        return nil
    }

    /// Only a published entry is withdrawn, by its own unit.
    public static func checkWithdraw(_ entry: KnowledgeEntrySnapshot?, knowledgeID: String, by unit: String) -> CommandRefusal? {
        guard let entry else { return CommandRefusal(.notFound, "no knowledge-base entry \(knowledgeID.prefix(64))") }
        if let refusal = owned(entry, by: unit) { return refusal }
        return entry.state == .published ? nil : CommandRefusal(.wrongState, "\(knowledgeID) is \(entry.state.rawValue), not published")
    }

    /// The center flags a published entry, one correction at a time.
    public static func checkFlag(_ entry: KnowledgeEntrySnapshot?, knowledgeID: String) -> CommandRefusal? {
        guard let entry else { return CommandRefusal(.notFound, "no knowledge-base entry \(knowledgeID.prefix(64))") }
        guard entry.state == .published else {
            return CommandRefusal(.wrongState, "\(knowledgeID) is \(entry.state.rawValue), not published")
        }
        if let open = entry.openCorrection {
            return CommandRefusal(.wrongState, "\(knowledgeID) has an open correction \(open)")
        }
        return nil
    }

    private static func owned(_ entry: KnowledgeEntrySnapshot, by unit: String) -> CommandRefusal? {
        entry.unit == unit ? nil : CommandRefusal(.forbidden, "unit \(unit) may not act on \(entry.knowledgeID), an entry of unit \(entry.unit)")
    }

    /// Names compared as people write them: surrounding blanks do not make another person.
    private static func same(_ a: String, _ b: String) -> Bool {
        a.trimmingCharacters(in: .whitespacesAndNewlines) == b.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
