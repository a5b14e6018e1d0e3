import Foundation
import HotlineDomain
import Hummingbird

/// The knowledge-base review (docs/console.md "Knowledge base"): the units' published entries, each
/// with a form to flag an error in it (`center.flag-knowledge`, the unit then has the profile's time
/// to correct it), and the corrections still open with their deadlines.
extension ConsoleServer {
    struct KnowledgePage: Sendable {
        let chrome: Chrome
        let csrf: String
        let entries: [EntryView]
        let corrections: [CorrectionView]
        let noEntries: Bool
        let noCorrections: Bool
    }

    struct EntryView: Sendable {
        let id: String
        let unit: String
        let kind: String
        let title: String
        let excerpt: String
        let revision: Int
        let people: String
        let publishedAt: String
        let openCorrection: String?
    }

    struct CorrectionView: Sendable {
        let id: String
        let knowledgeID: String
        let unit: String
        let problem: String
        let flagged: String
        let due: String
        let standing: String
        let overdue: Bool
    }

    func addKnowledge(to router: Hummingbird.Router<ConsoleContext>) {
        let review = KnowledgeReview(database: runtime.database)
        router.get("/operations/knowledge") { _, context in
            await page(context, needs: .flagKnowledge) { visitor in
                let reference = try await reference()
                let directory = Directory(reference: reference)
                let calendar = reference.calendar
                let now = self.now
                let entries = try await review.published()
                let corrections = try await review.openCorrections()
                return pages.render("knowledge", KnowledgePage(
                    chrome: chrome(visitor, current: "/operations/knowledge"), csrf: visitor.csrfToken,
                    entries: entries.map { entry in
                        EntryView(
                            id: entry.knowledgeID, unit: directory.unitName(entry.unit), kind: KnowledgeKind(rawValue: entry.kind)?.title ?? entry.kind,
                            title: entry.title, excerpt: String(entry.body.prefix(120)) + (entry.body.count > 120 ? "…" : ""),
                            revision: entry.revision, people: "编辑 \(entry.editor) · 审核 \(entry.reviewer ?? "—")",
                            publishedAt: Wording.time(entry.publishedAt, in: calendar), openCorrection: entry.openCorrection)
                    },
                    corrections: corrections.map { correction in
                        CorrectionView(
                            id: correction.correctionID, knowledgeID: correction.knowledgeID, unit: directory.unitName(correction.unit),
                            problem: correction.problem,
                            flagged: "\(Wording.time(correction.flaggedAt, in: calendar)) \(correction.flaggedBy ?? "")",
                            due: Wording.time(correction.dueAt, in: calendar), standing: WaitingTime.deadline(correction.dueAt, now: now),
                            overdue: correction.dueAt < now)
                    },
                    noEntries: entries.isEmpty, noCorrections: corrections.isEmpty))
            }
        }
        router.post("/operations/knowledge/:id/flag") { request, context in
            await page(context, needs: .flagKnowledge) { visitor in
                let form = try await postedForm(request, visitor)
                let id = context.parameters.get("id") ?? ""
                guard let problem = form["problem"] else { throw ConsoleFailure("请写明发现的错漏") }
                guard problem.count <= 2000 else { throw ConsoleFailure("错漏说明最多2000字") }
                let outcome = try await actions.send(
                    CenterFlagKnowledge(knowledgeID: id, problem: problem, operatorName: visitor.displayName), subject: id,
                    visitor: visitor, remote: context.remote, now: now)
                let calendar = try await reference().calendar
                return pages.render("outcome", self.outcome(
                    outcome, title: "知识库核查", ticketNo: nil, back: "/operations/knowledge", visitor: visitor, calendar: calendar,
                    current: "/operations/knowledge"))
            }
        }
    }
}
