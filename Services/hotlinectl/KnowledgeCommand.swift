import ArgumentParser
import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

/// `hotlinectl knowledge …`: the knowledge base (docs/rules.md "Knowledge base"). A unit's editor
/// drafts and its reviewer reviews or withdraws (as `unit.<code>`), the center flags an error (as
/// `center`), a gateway searches (as `gateway`): each an ordinary client of the contract, printing
/// the outcome. `list` reads the entries and open corrections from the database.
struct KnowledgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "knowledge",
        abstract: "Draft, review, withdraw, flag and search knowledge-base entries (知识库).",
        subcommands: [Draft.self, Review.self, Withdraw.self, FlagEntry.self, Search.self, List.self])

    struct Draft: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draft a new entry, or a new revision of one (--entry), as the unit's editor.")
        @Option(help: "The unit's code.") var unit: String
        @Option(help: "The entry to revise (default: a new entry).") var entry: String?
        @Option(help: "policy, guide, qa or notice.") var kind: String
        @Option var title: String
        @Option(help: "The text; or --body-file.") var body: String?
        @Option(help: "A UTF-8 file holding the text.") var bodyFile: String?
        @Option(name: .customLong("keyword"), help: "A keyword (repeatable).") var keywords: [String] = []
        @Option(help: "The duty-catalogue item code it belongs to.") var category: String?
        @Option(help: "When it takes effect (RFC 3339); default: when published.") var effectiveFrom: String?
        @Option(help: "When it stops being valid (RFC 3339).") var validUntil: String?
        @Flag(help: "A new policy directly concerning the public (reported 3-10 working days ahead).") var publicInterest = false
        @Option(help: "Who drafted it.") var editor: String
        @OptionGroup var client: CommandClientOptions

        func run() async throws {
            try await runReportingErrors {
                guard let kind = KnowledgeKind(rawValue: kind) else {
                    throw ValidationError("--kind: policy, guide, qa or notice, not \(kind)")
                }
                let text: String
                switch (body, bodyFile) {
                case (let body?, nil): text = body
                case (nil, let file?): text = try String(contentsOfFile: file, encoding: .utf8)
                default: throw ValidationError("give --body or --body-file")
                }
                let command = UnitDraftKnowledge(
                    knowledgeID: entry, kind: kind, title: title, body: text, keywords: keywords.isEmpty ? nil : keywords,
                    category: category, effectiveFrom: try effectiveFrom.map { try parseTime($0, option: "effective-from") },
                    validUntil: try validUntil.map { try parseTime($0, option: "valid-until") },
                    publicInterest: publicInterest ? true : nil, editor: editor)
                try await CommandRequest(user: "unit.\(unit)", options: client).sendAndReport(.unitDraftKnowledge, body: command)
            }
        }
    }

    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve (publish) or send back a draft, as the unit's reviewer (never its editor).")
        @Argument(help: "The entry id, e.g. KB-000001.") var entry: String
        @Option(help: "The unit's code.") var unit: String
        @Option(help: "The draft's revision (from knowledge.drafted).") var revision: Int
        @Option(help: "Who reviews it.") var reviewer: String
        @Flag(help: "Send the draft back instead of publishing it (--note says why).") var reject = false
        @Option var note: String?
        @OptionGroup var client: CommandClientOptions

        func run() async throws {
            try await runReportingErrors {
                let command = UnitReviewKnowledge(
                    knowledgeID: entry, revision: revision, approve: !reject, reviewer: reviewer, note: note)
                try await CommandRequest(user: "unit.\(unit)", options: client).sendAndReport(.unitReviewKnowledge, body: command)
            }
        }
    }

    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Withdraw (撤销) a published entry.")
        @Argument var entry: String
        @Option(help: "The unit's code.") var unit: String
        @Option(help: "Who decided it.") var reviewer: String
        @Option var reason: String
        @OptionGroup var client: CommandClientOptions

        func run() async throws {
            try await runReportingErrors {
                let command = UnitWithdrawKnowledge(knowledgeID: entry, reviewer: reviewer, reason: reason)
                try await CommandRequest(user: "unit.\(unit)", options: client).sendAndReport(.unitWithdrawKnowledge, body: command)
            }
        }
    }

    struct FlagEntry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "flag", abstract: "Flag an error in a published entry, as the center: its unit corrects it within the profile's limit.")
        @Argument var entry: String
        @Option(help: "What is wrong.") var problem: String
        @OptionGroup var operatorOption: CenterCommands.Operator
        @OptionGroup var client: CommandClientOptions

        func run() async throws {
            try await runReportingErrors {
                let command = CenterFlagKnowledge(knowledgeID: entry, problem: problem, operatorName: operatorOption.name)
                try await CommandRequest(user: "center", options: client).sendAndReport(.centerFlagKnowledge, body: command)
            }
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search the entries in force, as a hotline gateway, and print them best first.")
        @Argument var query: String
        @Option(help: "policy, guide, qa or notice.") var kind: String?
        @Option(help: "Only this unit's entries.") var unit: String?
        @Option(help: "Only entries of this catalogue item.") var category: String?
        @Option(help: "At most this many (1-50).") var limit: Int?
        @Option(help: "Entries in force at this instant (RFC 3339); default now.") var at: String?
        @OptionGroup var client: CommandClientOptions

        func run() async throws {
            try await runReportingErrors {
                let kind = try kind.map {
                    guard let parsed = KnowledgeKind(rawValue: $0) else { throw ValidationError("--kind: policy, guide, qa or notice") }
                    return parsed
                }
                let command = GatewaySearchKnowledge(
                    query: query, kind: kind, unit: unit, category: category, limit: limit,
                    at: try at.map { try parseTime($0, option: "at") })
                let outcome = try await CommandRequest(user: "gateway", options: client).send(.gatewaySearchKnowledge, body: command)
                if client.json || outcome.isRejection { return try CommandRequest.report(outcome, json: client.json) }
                let results = try HotlineJSON.decode(KnowledgeSearchResults.self, from: Data(outcome.body))
                if results.results.isEmpty { print("no entry in force matches") }
                for hit in results.results {
                    print("\(hit.entry.knowledgeID)  r\(hit.entry.revision)  \(hit.entry.unit)  \(hit.entry.kind.rawValue)  score \(hit.score)  \(hit.entry.title)")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the entries (state, revision in force, draft waiting) and their open corrections.")
        @Option(help: "Only this unit's entries.") var unit: String?
        @Flag(help: "Print JSON lines.") var json = false

        func run() async throws {
            try await runReportingErrors {
                let rows = try await withDatabase { database in
                    try await database.withConnection { connection in
                        try connection.query(
                            """
                            SELECT e.knowledge_id, e.unit, e.kind, e.state, e.published_revision,
                                   (SELECT r.title FROM knowledge_revisions r WHERE r.knowledge_id = e.knowledge_id
                                    ORDER BY (r.revision = e.published_revision) DESC, r.revision DESC LIMIT 1) AS title,
                                   (SELECT r.revision FROM knowledge_revisions r
                                    WHERE r.knowledge_id = e.knowledge_id AND r.state = 'draft') AS draft_revision,
                                   c.correction_id, c.due_at
                            FROM knowledge_entries e
                            LEFT JOIN knowledge_corrections c ON c.knowledge_id = e.knowledge_id AND c.state = 'open'
                            WHERE $1::text IS NULL OR e.unit = $1
                            ORDER BY e.number
                            """, [unit])
                    }
                }
                for row in rows {
                    let fields: [String: String?] = [
                        "knowledge_id": try row.decode("knowledge_id"), "unit": try row.decode("unit"),
                        "kind": try row.decode("kind"), "state": try row.decode("state"),
                        "published_revision": try row.decodeIfPresent("published_revision", as: Int.self).map(String.init),
                        "draft_revision": try row.decodeIfPresent("draft_revision", as: Int.self).map(String.init),
                        "title": try row.decodeIfPresent("title"), "correction_id": try row.decodeIfPresent("correction_id"),
                        "correction_due_at": try row.decodeIfPresent("due_at", as: Date.self).map { RFC3339.string(from: $0) },
                    ]
                    if json {
                        print(String(decoding: try JSONSerialization.data(
                            withJSONObject: fields.compactMapValues { $0 }, options: [.sortedKeys]), as: UTF8.self))
                    } else {
                        let keys = ["knowledge_id", "unit", "kind", "state", "published_revision", "draft_revision",
                                    "correction_id", "correction_due_at", "title"]
                        print(keys.map { fields[$0].flatMap { $0 } ?? "-" }.joined(separator: "  "))
                    }
                }
            }
        }
    }

}
