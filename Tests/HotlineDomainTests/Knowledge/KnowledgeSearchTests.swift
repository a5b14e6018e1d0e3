import Foundation
import XCTest

@testable import HotlineDomain

/// Cutting queries into terms and ranking entries (docs/rules.md "Knowledge base").
final class KnowledgeSearchTests: XCTestCase {
    private func document(
        _ id: String, title: String, body: String = "", keywords: [String] = [], effective: TimeInterval = 0
    ) -> KnowledgeDocument {
        KnowledgeDocument(
            knowledgeID: id, revision: 1, unit: "CG", kind: .qa, title: title, body: body, keywords: keywords,
            effectiveFrom: Date(timeIntervalSince1970: effective))
    }

    func testHanTextIsCutIntoPairsAndOtherWordsAreKeptWhole() {
        XCTAssertEqual(KnowledgeSearch.terms(of: "居住证怎么办"), ["居住", "住证", "证怎", "怎么", "么办"])
        XCTAssertEqual(KnowledgeSearch.terms(of: "办 ETC 卡，ETC卡"), ["办", "etc", "卡"])
        XCTAssertEqual(KnowledgeSearch.terms(of: "  ，。!  "), [])
        let long = String(String.UnicodeScalarView((0..<40).compactMap { Unicode.Scalar(0x4E00 + $0) }))
        XCTAssertEqual(KnowledgeSearch.terms(of: long).count, KnowledgeSearch.maxTerms)
    }

    func testKeywordsWeighMoreThanTitlesAndTitlesMoreThanBodies() {
        let search = KnowledgeSearch(query: "居住证")
        let inKeywords = document("KB-1", title: "办事指南", keywords: ["居住证"])
        let inTitle = document("KB-2", title: "居住证办理")
        let inBody = document("KB-3", title: "租房须知", body: "需要办理居住证")
        let unrelated = document("KB-4", title: "占道经营", body: "投诉渠道")
        XCTAssertEqual(search.score(inKeywords), 10)
        XCTAssertEqual(search.score(inTitle), 6 + 5, "the whole query in the title adds 5")
        XCTAssertEqual(search.score(inBody), 2)
        XCTAssertEqual(search.score(unrelated), 0)
        let ranked = search.rank([inBody, unrelated, inKeywords, inTitle], limit: 10)
        XCTAssertEqual(ranked.map(\.document.knowledgeID), ["KB-2", "KB-1", "KB-3"], "unrelated entries are left out")
        XCTAssertEqual(search.rank([inBody, inKeywords, inTitle], limit: 2).count, 2)
    }

    func testTiesGoToTheMostRecentThenById() {
        let search = KnowledgeSearch(query: "停车")
        let older = document("KB-1", title: "停车收费", effective: 100)
        let newer = document("KB-9", title: "停车收费", effective: 200)
        let sameTime = document("KB-5", title: "停车收费", effective: 200)
        XCTAssertEqual(search.rank([older, newer, sameTime], limit: 3).map(\.document.knowledgeID), ["KB-5", "KB-9", "KB-1"])
    }

    func testSearchResultsFlattenTheEntryWithItsScore() throws {
        let results = KnowledgeSearchResults(
            query: "居住证", at: Date(timeIntervalSince1970: 0),
            results: [.init(entry: document("KB-000001", title: "居住证", keywords: ["居住证"]), score: 15)])
        let data = try HotlineJSON.encode(results)
        let hit = try XCTUnwrap(ContractTestSupport.tree(data)["results"]?.arrayValue?.first)
        XCTAssertEqual(hit["knowledge_id"]?.stringValue, "KB-000001")
        XCTAssertEqual(hit["score"], .integer(15))
        XCTAssertEqual(ContractTestSupport.tree(data)["type"]?.stringValue, "knowledge.search-results")
        XCTAssertEqual(try HotlineJSON.decode(KnowledgeSearchResults.self, from: data), results)
    }
}
