import HotlineDomain
import XCTest

final class CatalogueSheetTests: XCTestCase {
    private let header = ["事项编码", "事项名称", "关键词", "责任单位", "协办单位", "诉求类型", "紧急程度", "办理时限（工作日）", "依据", "不回访"]

    func testARowOfADistrictsSheetBecomesAnItem() throws {
        let units = try JurisdictionFixtures.file().units
        let sheet = CatalogueSheet(header: header, rows: [
            ["CG-101", "夜间施工噪音", "施工噪音、夜间施工，噪声", "区城市管理和综合执法局", "ZJ；KZ", "投诉", "加急", "3个工作日", "《噪声污染防治法》", "否"],
            ["", "", "", "", "", "", "", "", "", ""],
            [" JD-101 ", "楼道杂物", "杂物", "属地"],
        ], units: units)
        XCTAssertEqual(sheet.problems, [])
        XCTAssertEqual(sheet.items.map(\.row), [2, 4])
        let item = sheet.items[0].item
        XCTAssertEqual(item.code, "CG-101")
        XCTAssertEqual(item.keywords, ["施工噪音", "夜间施工", "噪声"])
        XCTAssertEqual(item.owner, .unit("CG"), "a unit named by its name is its code")
        XCTAssertEqual(item.coUnits, ["ZJ", "KZ"])
        XCTAssertEqual(item.kind, .complaint)
        XCTAssertEqual(item.urgency, .fast)
        XCTAssertEqual(item.handleWorkingDays, 3)
        XCTAssertEqual(item.basis, "《噪声污染防治法》")
        XCTAssertEqual(item.surveyExcluded, false)
        XCTAssertEqual(sheet.items[1].item.code, "JD-101")
        XCTAssertEqual(sheet.items[1].item.owner, .territorial)
    }

    func testTheKindsALimitAppliesTo() throws {
        let sheet = CatalogueSheet(header: ["事项编码", "事项名称", "关键词", "责任单位", "办理时限", "时限适用类型", "依据"], rows: [
            ["WJ-101", "医疗纠纷", "医疗纠纷", "CG", "15", "投诉、举报, help", "《医疗纠纷预防和处理条例》"],
            ["WJ-102", "医疗咨询", "医疗咨询", "CG", "15", "投诉、闲聊", ""],
        ], units: [])
        XCTAssertEqual(sheet.items.map(\.item.handleKinds), [[.complaint, .report, .help]])
        XCTAssertEqual(sheet.problems.map(\.description), ["row 3, column 时限适用类型: 闲聊 is no kind (consultation, help, complaint, report, suggestion, or 咨询, 求助, 投诉, 举报, 建议)"])
    }

    func testEveryUnreadableCellIsNamedByRowAndColumn() throws {
        let sheet = CatalogueSheet(header: header, rows: [
            ["CG-101", "噪音", "噪音", "CG", "", "抱怨", "很急", "三天", "", "也许"],
            ["CG-102", "占道", "占道", "CG", "", "投诉", "一般", "7", "", ""],
        ], units: [])
        XCTAssertEqual(sheet.problems.map(\.row), [2, 2, 2, 2])
        XCTAssertEqual(sheet.problems.map(\.column), ["诉求类型", "紧急程度", "办理时限（工作日）", "不回访"])
        XCTAssertEqual(sheet.items.map(\.item.code), ["CG-102"], "a row with a problem gives no item")
        XCTAssertTrue(sheet.problems[0].description.hasPrefix("row 2, column 诉求类型: 抱怨 is no kind"), sheet.problems[0].description)
    }

    func testAMappingNamesAnotherSheetsHeadersAndMissingColumnsAreReported() throws {
        let other = ["序号", "事项", "关键字词", "牵头单位"]
        let unmapped = CatalogueSheet(header: other, rows: [["1", "噪音", "噪音", "CG"]], units: [])
        XCTAssertEqual(unmapped.problems.map(\.row), [1, 1, 1, 1], "\(unmapped.problems)")
        XCTAssertTrue(unmapped.problems.contains { $0.message.hasPrefix("no column for owner") })
        let mapped = CatalogueSheet(
            header: other, rows: [["1", "噪音", "噪音", "CG"]],
            mapping: [.code: "序号", .name: "事项", .keywords: "关键字词", .owner: "牵头单位"], units: [])
        XCTAssertEqual(mapped.problems, [])
        XCTAssertEqual(mapped.items.first?.item.owner, .unit("CG"))
    }

    /// What the items mean in the jurisdiction (an unknown owner, a repeated code) is the file's
    /// validation, reported at the sheet's row and column.
    func testTheJurisdictionsProblemsAreReportedAtTheirRowAndColumn() throws {
        var file = try JurisdictionFixtures.file()
        let sheet = CatalogueSheet(header: header, rows: [
            ["CG-101", "噪音", "噪音", "CG"],
            ["CG-102", "占道", "占道", "区城管所", "CG"],
            ["CG-101", "重复", "重复", "CG", "", "", "", "0"],
        ], units: file.units)
        XCTAssertEqual(sheet.problems, [])
        file.catalogue = sheet.items.map(\.item)
        let problems = file.validate().compactMap { sheet.problem(for: $0) }.map(\.description)
        XCTAssertEqual(problems, [
            "row 3, column 责任单位: unknown unit 区城管所",
            "row 4, column 事项编码: item code CG-101 appears more than once",
            "row 4, column 办理时限（工作日）: 0 is not a positive number",
        ])
    }
}
