import Foundation
import HotlineDomain
import XCTest

final class IntakeClassifierTests: XCTestCase {
    private let profile = IntakeFixtures.profile()

    private func classifier(_ catalogue: DutyCatalogue? = nil, rules: ClassificationRules? = nil) -> IntakeClassifier {
        IntakeClassifier(
            rules: rules ?? profile.classification, catalogue: catalogue ?? IntakeFixtures.jurisdiction().dutyCatalogue)
    }

    private func classify(_ text: String, _ given: IntakeClassifier.Given = .init()) -> TicketClassification {
        classifier().classify(text: text, given: given)
    }

    /// A catalogue whose items carry urgency and kind hints.
    private let hinted = DutyCatalogue(items: [
        CatalogueItem(code: "T-1", name: "井盖", keywords: ["井盖"], owner: .unit("CG"), urgency: .urgent),
        CatalogueItem(code: "T-2", name: "路灯", keywords: ["路灯"], owner: .unit("CG"), kind: .suggestion, urgency: .fast),
        CatalogueItem(code: "T-3", name: "绿化", keywords: ["绿化"], owner: .unit("CG")),
    ])

    func testKindFromEachCue() {
        XCTAssertEqual(classify("请问垃圾分类去哪里投放").kind, .consultation)
        XCTAssertEqual(classify("我想咨询一下垃圾清运时间").kind, .consultation)
        XCTAssertEqual(classify("建议在小区门口增设路灯").kind, .suggestion)
        XCTAssertEqual(classify("举报有人违建").kind, .report)
        XCTAssertEqual(classify("求助：老人摔倒在家门口").kind, .help)
        let reason = classify("举报有人违建").kindReason
        XCTAssertEqual(reason, ClassificationReason(value: "report", rule: .kindWords, words: ["举报"]))
    }

    func testKindIsComplaintWithoutACue() {
        let result = classify("小区门口流动摊贩占道，影响通行")
        XCTAssertEqual(result.kind, .complaint)
        XCTAssertEqual(result.kindReason.rule, .default)
        XCTAssertNil(result.kindReason.words)
    }

    func testTheFirstKindEntryWins() {
        // report comes before consultation in the profile.
        let result = classify("请问在哪里举报违建")
        XCTAssertEqual(result.kind, .report)
        XCTAssertEqual(result.kindReason.words, ["举报"])
    }

    func testCategoryFromTheBestKeywordScore() {
        let result = classify("举报有人违建，还在楼顶搭建铁皮房")
        XCTAssertEqual(result.category, "ZJ-003")
        XCTAssertEqual(result.categoryReason.rule, .catalogueKeywords)
        XCTAssertEqual(result.categoryReason.words, ["违建", "搭建"])
        // Two keywords of one item beat one keyword of another.
        XCTAssertEqual(classify("餐馆油烟很大，门口还有人摆摊").category, "HB-002")
    }

    func testATieOrNoMatchLeavesTheCategoryOpen() {
        let tie = classify("餐馆门口有人摆摊")
        XCTAssertNil(tie.category)
        XCTAssertEqual(tie.categoryReason.rule, .tie)
        XCTAssertEqual(tie.categoryReason.candidates, ["CG-001", "HB-002"])
        let none = classify("邻居家的狗每天晚上叫")
        XCTAssertNil(none.category)
        XCTAssertEqual(none.categoryReason.rule, .noMatch)
    }

    func testUrgencyFromHazardWords() {
        let urgent = classify("楼道里燃气泄漏，味道很大")
        XCTAssertEqual(urgent.urgency, .urgent)
        XCTAssertEqual(urgent.urgencyReason.rule, .hazardWords)
        XCTAssertEqual(urgent.urgencyReason.words, ["燃气泄漏"])
        let fast = classify("路口井盖松动")
        XCTAssertEqual(fast.urgency, .fast)
        XCTAssertEqual(fast.urgencyReason.words, ["井盖"])
        for text in ["后山山体滑坡", "路面坍塌了一个大坑", "市政爆管，水漫到路上", "整栋楼停电"] {
            XCTAssertEqual(classify(text).urgency, .urgent, text)
        }
        let normal = classify("邻居家的狗叫个不停")
        XCTAssertEqual(normal.urgency, .normal)
        XCTAssertEqual(normal.urgencyReason.rule, .default)
        // A catalogue item's normal hint is the reason when no hazard word says more.
        let hinted = classify("小区门口流动摊贩占道")
        XCTAssertEqual(hinted.urgencyReason, ClassificationReason(value: "normal", rule: .catalogueHint, item: "CG-001"))
    }

    func testUrgencyFromTheCatalogueHintAndTheMoreUrgentWins() {
        let classifier = self.classifier(hinted)
        let hint = classifier.classify(text: "路灯不亮", given: .init())
        XCTAssertEqual(hint.category, "T-2")
        XCTAssertEqual(hint.urgency, .fast)
        XCTAssertEqual(hint.urgencyReason, ClassificationReason(value: "fast", rule: .catalogueHint, item: "T-2"))
        // Hint urgent beats the hazard word's fast.
        let byHint = classifier.classify(text: "井盖缺失", given: .init())
        XCTAssertEqual(byHint.urgency, .urgent)
        XCTAssertEqual(byHint.urgencyReason.rule, .catalogueHint)
        XCTAssertEqual(byHint.urgencyReason.words, ["井盖"])
        // The hazard word's urgent beats the hint's fast.
        let byWords = classifier.classify(text: "路灯旁边燃气泄漏", given: .init())
        XCTAssertEqual(byWords.urgency, .urgent)
        XCTAssertEqual(byWords.urgencyReason.rule, .hazardWords)
        // An item without a hint and no hazard word: the default.
        XCTAssertEqual(classifier.classify(text: "绿化带没人修剪", given: .init()).urgencyReason.rule, .default)
    }

    func testGatewayValuesAreKept() {
        let result = classify(
            "举报：楼道燃气泄漏", .init(kind: .suggestion, urgency: .normal, category: "ZZ-999"))
        XCTAssertEqual(result.kind, .suggestion)
        XCTAssertEqual(result.urgency, .normal)
        XCTAssertEqual(result.category, "ZZ-999")
        XCTAssertEqual(result.kindReason.rule, .gateway)
        XCTAssertEqual(result.urgencyReason.rule, .gateway)
        XCTAssertEqual(result.categoryReason.rule, .gateway)
        XCTAssertEqual(result.categoryReason.note, "not in the duty catalogue")
        XCTAssertNil(classify("x", .init(category: "CG-001")).categoryReason.note)
    }

    func testAnsweredOnCallIsAConsultation() {
        let result = classify("小区门口流动摊贩占道", .init(answeredOnCall: true))
        XCTAssertEqual(result.kind, .consultation)
        XCTAssertEqual(result.kindReason.rule, .answeredOnCall)
        XCTAssertEqual(classify("x", .init(kind: .help, answeredOnCall: true)).kind, .help)
    }

    func testKindHintOnlyWhenTheProfileSaysSo() {
        XCTAssertEqual(classifier(hinted).classify(text: "路灯不亮", given: .init()).kind, .complaint)
        var rules = profile.classification
        rules.kindFromCatalogueHint = true
        let result = classifier(hinted, rules: rules).classify(text: "路灯不亮", given: .init())
        XCTAssertEqual(result.kind, .suggestion)
        XCTAssertEqual(result.kindReason, ClassificationReason(value: "suggestion", rule: .catalogueHint, item: "T-2"))
        // A cue still comes first.
        XCTAssertEqual(classifier(hinted, rules: rules).classify(text: "举报路灯被偷", given: .init()).kind, .report)
    }

    func testTheRecordNamesEveryAttribute() throws {
        let record = classify("楼道里燃气泄漏").record
        XCTAssertEqual(Set(record.keys), ["kind", "urgency", "category"])
        let json = try XCTUnwrap(String(data: try HotlineJSON.encode(record), encoding: .utf8))
        XCTAssertTrue(json.contains(#""rule":"hazard_words""#), json)
        XCTAssertTrue(json.contains(#""words":["燃气泄漏"]"#), json)
    }
}
