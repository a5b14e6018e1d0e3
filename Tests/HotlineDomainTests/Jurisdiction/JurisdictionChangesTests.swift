import HotlineDomain
import XCTest

final class JurisdictionChangesTests: XCTestCase {
    func testUnitsAndItemsAddedRenamedRetiredChangedAndRemoved() throws {
        let old = try JurisdictionFixtures.file()
        var new = old
        new.units.removeAll { $0.code == "SW" }
        new.units[0].name = "区城市管理局"
        new.units.append(JurisdictionUnit(code: "QH-CGJ", name: "渠化城管局", kind: .department, head: old.units[0].head))
        new.catalogue.removeAll { $0.code == "SW-001" || $0.code == "XX-009" }
        new.catalogue[0].handleWorkingDays = 5
        new.catalogue[0].keywords.append("夜市")
        new.catalogue.append(CatalogueItem(code: "QH-CGJ.001", name: "渠化事项", keywords: ["渠化"], owner: .unit("QH-CGJ")))
        new.areas.removeAll { $0.street == "坪山街道" }

        let changes = JurisdictionChanges(from: old, to: new)
        XCTAssertEqual(changes.unitsAdded.map(\.code), ["QH-CGJ"])
        XCTAssertEqual(changes.unitsRenamed, [.init(code: "CG", from: "区城市管理和综合执法局", to: "区城市管理局")])
        XCTAssertEqual(changes.unitsRetired.map(\.code), ["SW"])
        XCTAssertEqual(changes.itemsAdded.map(\.code), ["QH-CGJ.001"])
        XCTAssertEqual(changes.itemsChanged, [.init(code: "CG-001", fields: ["keywords", "handle_working_days"])])
        XCTAssertEqual(changes.itemsRemoved.map(\.code), ["SW-001", "XX-009"])
        XCTAssertEqual(changes.streetsRemoved, ["坪山街道"])
        XCTAssertEqual(changes.otherChanged, [])
        XCTAssertEqual(changes.report.first, "units added (1): QH-CGJ 渠化城管局")
        XCTAssertTrue(changes.report.contains("items changed (1): CG-001 (keywords, handle_working_days)"), "\(changes.report)")
    }

    func testARetiredUnitsSuccessorIsValidatedAndReported() throws {
        let old = try JurisdictionFixtures.file()
        var new = old
        new.units.removeAll { $0.code == "SW" || $0.code == "CG" }
        new.units.append(JurisdictionUnit(code: "QH-CGJ", name: "渠化城管局", kind: .department, head: old.units[0].head))
        new.catalogue.removeAll { $0.code.hasPrefix("SW-") || $0.code.hasPrefix("CG-") || $0.code == "XX-009" }
        for index in new.catalogue.indices { new.catalogue[index].coUnits.removeAll { $0 == "CG" } }
        new.retired = [RetiredUnit(code: "CG", successor: "QH-CGJ")]
        XCTAssertEqual(new.validate(), [])
        XCTAssertEqual(new.successor(of: "CG"), "QH-CGJ")
        XCTAssertNil(new.successor(of: "SW"))
        let changes = JurisdictionChanges(from: old, to: new)
        XCTAssertEqual(changes.retiredTo, ["CG": "QH-CGJ"])
        let line = try XCTUnwrap(changes.report.first { $0.hasPrefix("units retired") }, "\(changes.report)")
        XCTAssertTrue(line.contains("CG 区城市管理和综合执法局, its assignments to QH-CGJ"), line)
        XCTAssertTrue(line.contains(", its assignments to manual dispatch"), line)

        var wrong = new
        wrong.retired = [
            RetiredUnit(code: "QH-CGJ", successor: "CG"), RetiredUnit(code: "CG"), RetiredUnit(code: "CG"),
            RetiredUnit(code: "old unit"),
        ]
        XCTAssertEqual(wrong.validate().map(\.kind), [
            .retiredUnitListed, .unknownSuccessor, .duplicateUnitCode, .invalidUnitCode,
        ])
    }

    func testTheSameFileChangesNothingAndAFirstLoadAddsEverything() throws {
        let file = try JurisdictionFixtures.file()
        XCTAssertTrue(JurisdictionChanges(from: file, to: file).isEmpty)
        XCTAssertEqual(JurisdictionChanges(from: file, to: file).report, ["no change"])
        let first = JurisdictionChanges(from: nil, to: file)
        XCTAssertEqual(first.unitsAdded.count, file.units.count)
        XCTAssertEqual(first.itemsAdded.count, file.catalogue.count)
        XCTAssertEqual(first.streetsAdded.count, file.areas.count)
    }
}
