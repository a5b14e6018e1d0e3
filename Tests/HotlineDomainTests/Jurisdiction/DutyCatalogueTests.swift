import Foundation
import XCTest

@testable import HotlineDomain

final class DutyCatalogueTests: XCTestCase {
    func testLookupAndMatching() throws {
        let catalogue = try JurisdictionFixtures.file().dutyCatalogue
        XCTAssertEqual(catalogue.item(code: "HB-002")?.owner, .unit("HB"))
        XCTAssertNil(catalogue.item(code: "NOPE-1"))
        XCTAssertEqual(
            catalogue.bestMatch(for: "小区门口有流动摊贩占道"), .item(code: "CG-001", matchedKeywords: ["占道", "流动摊贩"]))
        XCTAssertEqual(catalogue.bestMatch(for: "楼下餐馆油烟很大"), .item(code: "HB-002", matchedKeywords: ["油烟", "餐馆"]))
        XCTAssertEqual(catalogue.bestMatch(for: "路灯坏了"), CatalogueMatch.none)
        XCTAssertEqual(catalogue.bestMatch(for: "a huge BILLBOARD"), .item(code: "CG-002", matchedKeywords: ["Billboard"]))
    }

    func testTiesAndTieBreaks() throws {
        let catalogue = try JurisdictionFixtures.file().dutyCatalogue
        // One keyword of equal length each: 摆摊 (CG-001) and 违建 (ZJ-003).
        XCTAssertEqual(catalogue.bestMatch(for: "有人摆摊，还有违建"), .tie(["CG-001", "ZJ-003"]))
        // More keywords beat fewer.
        XCTAssertEqual(
            catalogue.bestMatch(for: "摆摊的人还违建搭建"), .item(code: "ZJ-003", matchedKeywords: ["违建", "搭建"]))
        // Same count: the longer keyword is more specific.
        XCTAssertEqual(
            catalogue.bestMatch(for: "流动摊贩和垃圾"), .item(code: "CG-001", matchedKeywords: ["流动摊贩"]))
    }

    func testDuplicateCodesKeepTheFirstItem() {
        let catalogue = DutyCatalogue(items: [
            CatalogueItem(code: "A-1", name: "first", keywords: ["甲"], owner: .unit("A")),
            CatalogueItem(code: "A-1", name: "second", keywords: ["甲"], owner: .unit("B")),
        ])
        XCTAssertEqual(catalogue.item(code: "A-1")?.name, "first")
        XCTAssertEqual(catalogue.bestMatch(for: "甲"), .item(code: "A-1", matchedKeywords: ["甲"]))
    }
}
