import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// The knowledge base as the center checks it (docs/console.md "Knowledge base"): the entries the
/// units published, newest first, and the corrections the center asked for with their deadlines.
struct KnowledgeReview: Sendable {
    let database: Database

    struct Entry: Sendable {
        let knowledgeID: String
        let unit: String
        let kind: String
        let title: String
        let body: String
        let revision: Int
        let editor: String
        let reviewer: String?
        let publishedAt: Date?
        let openCorrection: String?
    }

    struct Correction: Sendable {
        let correctionID: String
        let knowledgeID: String
        let unit: String
        let problem: String
        let flaggedBy: String?
        let flaggedAt: Date
        let dueAt: Date
    }

    static let limit = 100

    /// The published entries (the revision in force), the most recently published first.
    func published() async throws -> [Entry] {
        try await database.withConnection { connection in
            try connection.query(
                """
                SELECT e.knowledge_id, e.unit, r.kind, r.title, r.body, r.revision, r.editor, r.reviewer, r.reviewed_at,
                       (SELECT c.correction_id FROM knowledge_corrections c WHERE c.knowledge_id = e.knowledge_id AND c.state = 'open')
                           AS open_correction
                FROM knowledge_entries e JOIN knowledge_revisions r ON r.knowledge_id = e.knowledge_id AND r.revision = e.published_revision
                WHERE e.state = 'published' ORDER BY r.reviewed_at DESC NULLS LAST, e.knowledge_id DESC LIMIT \(Self.limit)
                """
            ).map { row in
                Entry(
                    knowledgeID: try row.decode("knowledge_id"), unit: try row.decode("unit"), kind: try row.decode("kind"),
                    title: try row.decode("title"), body: try row.decode("body"), revision: try row.decode("revision"),
                    editor: try row.decode("editor"), reviewer: try row.decodeIfPresent("reviewer"),
                    publishedAt: try row.decodeIfPresent("reviewed_at"), openCorrection: try row.decodeIfPresent("open_correction"))
            }
        }
    }

    /// The corrections not made yet, the earliest due first.
    func openCorrections() async throws -> [Correction] {
        try await database.withConnection { connection in
            try connection.query(
                """
                SELECT correction_id, knowledge_id, unit, problem, operator, flagged_at, due_at FROM knowledge_corrections
                WHERE state = 'open' ORDER BY due_at, correction_id LIMIT \(Self.limit)
                """
            ).map { row in
                Correction(
                    correctionID: try row.decode("correction_id"), knowledgeID: try row.decode("knowledge_id"), unit: try row.decode("unit"),
                    problem: try row.decode("problem"), flaggedBy: try row.decodeIfPresent("operator"), flaggedAt: try row.decode("flagged_at"),
                    dueAt: try row.decode("due_at"))
            }
        }
    }
}
