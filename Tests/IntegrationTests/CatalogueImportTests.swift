import Foundation
import HotlineDomain
import HotlineRuntime
import XCTest

/// `hotlinectl catalogue import`: a district's 事项清单 saved by Excel on Chinese Windows (GB18030,
/// Chinese headers) replaces the duty catalogue, all or nothing, and its new items route tickets at
/// once, without a restart (`reference.changed`).
final class CatalogueImportTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    func testASpreadsheetInGB18030ReplacesTheCatalogueAllOrNothing() async throws {
        let h = try await LifecycleHarness.start()
        let stack = h.stack
        defer { Task { await h.close() } }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("catalogue-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        // The shipped catalogue as the district's sheet, and one new item named by its unit's name.
        try await h.restoreShippedJurisdiction()
        let current = try await h.loadedJurisdiction()
        let unit = try XCTUnwrap(current.units.first { $0.code == "CG" })
        var lines = [["事项编码", "事项名称", "关键词", "责任单位", "协办单位", "诉求类型", "紧急程度", "办理时限（工作日）", "时限适用类型", "依据", "需要照片", "不回访"]]
        func flag(_ value: Bool?) -> String { value.map { $0 ? "是" : "否" } ?? "" }
        for item in current.catalogue {
            lines.append([
                item.code, item.name, item.keywords.joined(separator: "、"), item.owner.description,
                item.coUnits.joined(separator: "、"), item.kind?.rawValue ?? "", item.urgency?.rawValue ?? "",
                item.handleWorkingDays.map(String.init) ?? "", (item.handleKinds ?? []).map(\.rawValue).joined(separator: "、"),
                item.basis ?? "", flag(item.needsPhotos), flag(item.surveyExcluded),
            ])
        }
        lines.append(["CG-901", "导入测试：共享单车乱停放", "共享单车乱停，单车堆放", unit.name, "", "投诉", "一般", "5", "", "《导入测试条例》", "", ""])
        let good = try gb18030(lines, to: folder.appendingPathComponent("good.csv"))

        // A sheet with problems: nothing is imported, and each problem names its row and column.
        var broken = lines
        broken[1][3] = "区不存在局"
        broken[2][5] = "抱怨"
        let bad = try gb18030(broken, to: folder.appendingPathComponent("bad.csv"))
        let refused = try await Ctl.run(stack, ["catalogue", "import", bad])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.error.contains("row 3, column 诉求类型: 抱怨 is no kind"), refused.error)
        XCTAssertTrue(refused.error.contains("row 2, column 责任单位: unknown unit 区不存在局"), refused.error)
        XCTAssertTrue(refused.error.contains("nothing imported"), refused.error)
        let unchanged = try await h.loadedJurisdiction()
        XCTAssertEqual(unchanged.catalogue, current.catalogue)

        let dryRun = try await Ctl.run(stack, ["catalogue", "import", good, "--dry-run"])
        XCTAssertEqual(dryRun.status, 0, dryRun.error)
        XCTAssertTrue(dryRun.output.contains("items added (1): CG-901 导入测试：共享单车乱停放"), dryRun.output)
        XCTAssertFalse(dryRun.output.contains("items changed"), "the sheet carries every field of the others: \(dryRun.output)")
        let stillUnchanged = try await h.loadedJurisdiction()
        XCTAssertEqual(stillUnchanged.catalogue, current.catalogue)

        // Routing services that would keep their reference data for an hour hear the import's announcement.
        try await h.restartRouting(environment: ["HOTLINE_REFERENCE_MAX_AGE_SECONDS": "3600"])
        let imported = try await Ctl.run(stack, ["catalogue", "import", good])
        XCTAssertEqual(imported.status, 0, imported.error)
        XCTAssertFalse(imported.error.contains("not announced"), imported.error)
        let version = try h.catalogueVersion(printed: imported.output)
        let kept: Int = try await h.database.withConnection {
            try $0.query("SELECT count(*) AS n FROM jurisdiction_versions WHERE version = $1 AND document ? 'catalogue'", [version])[0].decode("n")
        }
        XCTAssertEqual(kept, 1, "catalogue version \(version) is kept")
        XCTAssertTrue(imported.output.contains("(GB18030)"), imported.output)
        let after = try await h.loadedJurisdiction()
        let item = try XCTUnwrap(after.catalogue.first { $0.code == "CG-901" })
        XCTAssertEqual(item.owner, .unit("CG"))
        XCTAssertEqual(item.keywords, ["共享单车乱停", "单车堆放"])
        XCTAssertEqual(item.handleWorkingDays, 5)
        XCTAssertEqual(after.catalogue.count, current.catalogue.count + 1)

        // A ticket of the new item reaches its unit.
        try await h.waitForCatalogueVersion(version, services: ["intake", "dispatcher"])
        let ticketNo = try await h.submit(category: "CG-901", description: "小区门口共享单车乱停，堵住了路")
        let created = try await h.created(ticketNo, unit: "CG")
        XCTAssertEqual(created.string("category"), "CG-901")
        XCTAssertEqual(created.string("basis"), "《导入测试条例》")

        try await h.restoreShippedJurisdiction()
        try await h.restartRouting()
    }

    /// `catalogue load --dry-run` says what a load would change and loads nothing.
    func testADryRunSaysWhatALoadWouldChangeAndLoadsNothing() async throws {
        let h = try await LifecycleHarness.start()
        defer { Task { await h.close() } }
        let current = try await h.loadedJurisdiction()
        var changed = current
        changed.units.append(JurisdictionUnit(code: "QH-DRY", name: "试运行单位", kind: .department, head: current.units[0].head))
        let removed = try XCTUnwrap(changed.catalogue.popLast())
        changed.catalogue[0].handleWorkingDays = (changed.catalogue[0].handleWorkingDays ?? 3) + 1
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dry-run-\(UUID().uuidString).yaml")
        try HotlineJSON.encode(changed).write(to: file)   // JSON is YAML
        defer { try? FileManager.default.removeItem(at: file) }

        let run = try await Ctl.run(h.stack, ["catalogue", "load", file.path, "--dry-run"])
        XCTAssertEqual(run.status, 0, run.error)
        XCTAssertTrue(run.output.contains("units added (1): QH-DRY 试运行单位"), run.output)
        XCTAssertTrue(run.output.contains("items changed (1): \(current.catalogue[0].code) (handle_working_days)"), run.output)
        XCTAssertTrue(run.output.contains("items removed (1): \(removed.code) \(removed.name)"), run.output)
        XCTAssertTrue(run.output.contains("nothing loaded"), run.output)
        let after = try await h.loadedJurisdiction()
        XCTAssertEqual(after, current, "a dry run loads nothing")
    }

    /// `lines` as CSV (every field quoted) in GB18030, as Excel saves it on Chinese Windows, through
    /// the C library's `iconv` tool; returns the path.
    private func gb18030(_ lines: [[String]], to url: URL) throws -> String {
        let text = lines.map { $0.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") }
            .joined(separator: "\r\n") + "\r\n"
        let utf8 = url.appendingPathExtension("utf8")
        try text.write(to: utf8, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        process.arguments = ["-f", "UTF-8", "-t", "GB18030", "-o", url.path, utf8.path]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "iconv")
        let bytes = try Data(contentsOf: url)
        XCTAssertNil(String(data: bytes, encoding: .utf8), "the sheet is not UTF-8")
        return url.path
    }
}
