import XCTest

@testable import HotlineDomain

/// `containsWord`: the rules' words found byte for byte, anywhere in the text.
final class WordSearchTests: XCTestCase {
    func testWordsAreFoundAnywhereAndOnlyWhole() {
        let text = "小区门口有流动摊贩占道，油烟很大 Billboard"
        XCTAssertTrue(text.containsWord("小区"), "at the start")
        XCTAssertTrue(text.containsWord("占道"), "in the middle")
        XCTAssertTrue(text.containsWord("Billboard"), "at the end")
        XCTAssertFalse(text.containsWord("billboard"), "case matters (callers lowercase both sides)")
        XCTAssertFalse(text.containsWord("占道经营"), "a longer word")
        XCTAssertFalse(text.containsWord(""), "the empty word is never found")
        XCTAssertFalse("占".containsWord("占道"), "a word longer than the text")
        XCTAssertTrue("aab".containsWord("ab"), "a match after a false start")
        XCTAssertTrue(text.dropFirst(2).containsWord("门口"), "in a substring")
    }
}
