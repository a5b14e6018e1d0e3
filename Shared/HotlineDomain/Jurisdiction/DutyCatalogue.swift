import Foundation

/// The duty catalogue (职责清单, PS §9): lookup by item code and keyword matching.
public struct DutyCatalogue: Sendable, Hashable {
    /// Items in file order.
    public let items: [CatalogueItem]
    private let index: [String: Int]
    /// Each item's keywords as they are compared: trimmed and lowercased, once.
    private let needles: [[String]]

    /// A catalogue; for a repeated code the first item wins.
    public init(items: [CatalogueItem]) {
        self.items = items
        var index: [String: Int] = [:]
        for (i, item) in items.enumerated() where index[item.code] == nil { index[item.code] = i }
        self.index = index
        needles = items.map { item in item.keywords.map { $0.trimmingWhitespace.lowercased() } }
    }

    /// The item with a code.
    public func item(code: String) -> CatalogueItem? { index[code].map { items[$0] } }

    /// The keywords of the `i`th item that occur in `haystack` (lowercased), in the item's order.
    private func matchedKeywords(ofItemAt i: Int, in haystack: String) -> [String] {
        var result: [String] = []
        for (keyword, needle) in zip(items[i].keywords, needles[i]) where haystack.containsWord(needle) {
            if !result.contains(keyword) { result.append(keyword) }
        }
        return result
    }

    /// The best item for a text (keywords compared case-insensitively). Score: the number of distinct matched keywords, then their total
    /// length (a longer keyword is more specific). Equal best scores are a tie.
    public func bestMatch(for text: String) -> CatalogueMatch {
        var best: (count: Int, length: Int) = (0, 0)
        var leaders: [(code: String, keywords: [String])] = []
        let haystack = text.lowercased()
        for (i, item) in items.enumerated() where index[item.code] == i {
            let matched = matchedKeywords(ofItemAt: i, in: haystack)
            guard !matched.isEmpty else { continue }
            let score = (matched.count, matched.reduce(0) { $0 + $1.count })
            if score > best {
                best = score
                leaders = [(item.code, matched)]
            } else if score == best {
                leaders.append((item.code, matched))
            }
        }
        switch leaders.count {
        case 0: return .none
        case 1: return .item(code: leaders[0].code, matchedKeywords: leaders[0].keywords)
        default: return .tie(leaders.map(\.code))
        }
    }
}
