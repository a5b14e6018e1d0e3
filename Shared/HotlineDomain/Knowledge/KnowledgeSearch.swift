import Foundation

/// Ranking of published entries for a query (docs/rules.md "Knowledge base"). Chinese has no spaces, so
/// a query is cut into search terms: each run of Han characters into its overlapping pairs (a single
/// character stays one term), other words lower-cased whole. An entry scores for each term it holds:
/// 5 in its keywords, 3 in its title, 1 in its body; the whole query in its title adds 5. Entries with
/// no term score nothing and are left out.
public struct KnowledgeSearch: Sendable {
    /// The most terms a query is cut into.
    public static let maxTerms = 32

    public let query: String
    public let terms: [String]

    public init(query: String) {
        self.query = query.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        terms = Self.terms(of: query)
    }

    /// The search terms of a text, in order, without repeats.
    public static func terms(of text: String) -> [String] {
        var terms: [String] = []
        var seen = Set<String>()
        func add(_ term: String) {
            guard !term.isEmpty, terms.count < maxTerms, seen.insert(term).inserted else { return }
            terms.append(term)
        }
        var han: [Character] = []
        var word = ""
        func flushHan() {
            if han.count == 1 { add(String(han)) }
            if han.count > 1 { for i in 0..<(han.count - 1) { add(String(han[i...i + 1])) } }
            han.removeAll()
        }
        func flushWord() {
            add(word.lowercased())
            word = ""
        }
        for character in text {
            if character.isHan {
                flushWord()
                han.append(character)
            } else if character.isLetter || character.isNumber {
                flushHan()
                word.append(character)
            } else {
                flushHan()
                flushWord()
            }
        }
        flushHan()
        flushWord()
        return terms
    }

    /// The score of an entry (0: it matches nothing).
    public func score(_ document: KnowledgeDocument) -> Int {
        let title = document.title.lowercased()
        let body = document.body.lowercased()
        let keywords = document.keywords.map { $0.lowercased() }
        var score = 0
        for term in terms {
            if keywords.contains(where: { $0.contains(term) }) { score += 5 }
            if title.contains(term) { score += 3 }
            if body.contains(term) { score += 1 }
        }
        if score > 0, !query.isEmpty, title.contains(query) { score += 5 }
        return score
    }

    /// The best `limit` documents with their scores, best first; ties go to the most recent to take
    /// effect, then by id.
    public func rank(_ documents: [KnowledgeDocument], limit: Int) -> [(document: KnowledgeDocument, score: Int)] {
        documents.map { ($0, score($0)) }
            .filter { $0.1 > 0 }
            .sorted { a, b in
                if a.1 != b.1 { return a.1 > b.1 }
                if a.0.effectiveFrom != b.0.effectiveFrom { return a.0.effectiveFrom > b.0.effectiveFrom }
                return a.0.knowledgeID < b.0.knowledgeID
            }
            .prefix(max(0, limit))
            .map { (document: $0.0, score: $0.1) }
    }
}

extension Character {
    /// A Han (CJK unified) ideograph.
    fileprivate var isHan: Bool {
        unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: return true
            default: return false
            }
        }
    }
}
