import Foundation
import XCTest

@testable import HotlineDomain

final class JurisdictionFileTests: XCTestCase {
    func testDecodesTheContractFormat() throws {
        let file = try JurisdictionFixtures.file()
        XCTAssertEqual(file.jurisdiction.ticketPrefix, "PS")
        XCTAssertEqual(file.units.count, 9)
        XCTAssertEqual(file.unit("CG")?.leaderInCharge?.phone, "13900000002")
        XCTAssertEqual(file.unit("KZ")?.kind, .streetOffice)
        XCTAssertEqual(file.streetOffice(of: "坑梓街道"), "KZ")
        XCTAssertEqual(file.catalogue[0].handleWorkingDays, 7)
        XCTAssertEqual(file.catalogue[1].coUnits, ["CG"])
        XCTAssertEqual(file.catalogue[3].owner, .territorial)
        XCTAssertEqual(file.catalogue[3].coUnits, [], "co_units default to none")
        XCTAssertEqual(file.catalogue[4].needsPhotos, true)
        let again = try JSONDecoder().decode(JurisdictionFile.self, from: try JSONEncoder().encode(file))
        XCTAssertEqual(again, file)
    }

    /// PS §9 职责明确、管辖清晰: the catalogue names the unit, or the street office of a known street.
    func testAClearCaseHasAnOwnerTheJurisdictionKnows() throws {
        let file = try JurisdictionFixtures.file()
        XCTAssertTrue(file.isClearCase(category: "CG-001", street: nil))
        XCTAssertTrue(file.isClearCase(category: "JD-001", street: "坑梓街道"))
        XCTAssertFalse(file.isClearCase(category: "JD-001", street: "外区街道"), "a territorial item in an unknown street")
        XCTAssertFalse(file.isClearCase(category: "JD-001", street: nil))
        XCTAssertFalse(file.isClearCase(category: "XX-009", street: "坑梓街道"), "an owner no longer in the jurisdiction")
        XCTAssertFalse(file.isClearCase(category: "NO-SUCH", street: "坑梓街道"))
        XCTAssertFalse(file.isClearCase(category: nil, street: "坑梓街道"))
    }

    func testOnlyTheUnknownOwnerIsAProblemOfTheFixture() throws {
        let problems = try JurisdictionFixtures.file().validate()
        XCTAssertEqual(problems.map(\.kind), [.unknownOwner])
        XCTAssertEqual(problems.first?.path, "catalogue[5].owner")
    }

    func testValidationFindsEveryKindOfProblem() throws {
        var file = try JurisdictionFixtures.file()
        file.jurisdiction.timezone = "Nowhere/City"
        file.jurisdiction.profile = " "
        file.units.append(JurisdictionUnit(code: "C G", name: "空格", kind: .department, head: OfficialContact(name: "a", phone: "1")))
        file.units.append(JurisdictionUnit(
            code: String(repeating: "A", count: 33), name: "长", kind: .department, head: OfficialContact(name: "a", phone: "1")))
        file.units.append(JurisdictionUnit(code: "CG", name: "重复", kind: .department, head: OfficialContact(name: "a", phone: "1")))
        file.units.append(JurisdictionUnit(code: "NOHEAD", name: "无负责人", kind: .department))
        file.areas.append(StreetArea(street: "龙田街道", office: "LT"))
        file.areas.append(StreetArea(street: "石井街道", office: "CG"))
        file.areas.append(StreetArea(street: "坑梓街道", office: "KZ"))
        file.warnings.urgent.append("GHOST")
        file.catalogue.append(CatalogueItem(code: "CG-001", name: "重复编码", keywords: ["重复"], owner: .unit("CG")))
        file.catalogue.append(
            CatalogueItem(code: "CG-010", name: "协同有误", keywords: ["协同"], owner: .unit("CG"), coUnits: ["NOPE", "CG", "HB", "HB"]))
        file.catalogue.append(CatalogueItem(code: "CG-011", name: "无关键词", keywords: [], owner: .unit("CG")))
        file.catalogue.append(CatalogueItem(code: "CG-012", name: "空关键词", keywords: ["好", " "], owner: .unit("CG")))
        file.catalogue.append(
            CatalogueItem(code: "CG-013", name: "时限有误", keywords: ["时限"], owner: .unit("CG"), handleWorkingDays: 0))
        file.catalogue.append(CatalogueItem(code: "", name: "", keywords: ["空"], owner: .unit("CG")))
        let kinds = Set(file.validate().map(\.kind))
        let expected: Set<JurisdictionProblem.Kind> = [
            .unknownTimeZone, .blankField, .invalidUnitCode, .duplicateUnitCode, .missingHead, .unknownOfficeUnit,
            .officeNotStreetOffice, .duplicateStreet, .unknownWarningUnit, .duplicateItemCode, .unknownOwner,
            .unknownCoUnit, .coUnitIsOwner, .duplicateCoUnit, .emptyKeywords, .blankKeyword, .invalidWorkingDays,
        ]
        XCTAssertEqual(kinds.symmetricDifference(expected), [], "missing or unexpected kinds")
        let invalid = file.validate().filter { $0.kind == .invalidUnitCode }.map(\.message)
        XCTAssertEqual(invalid.count, 2, "\(invalid)")
        XCTAssertTrue(file.validate().contains { $0.kind == .unknownCoUnit && $0.message.contains("NOPE") })
    }

    func testTerritorialItemsNeedAreas() throws {
        var file = try JurisdictionFixtures.file()
        file.areas = []
        XCTAssertTrue(file.validate().contains { $0.kind == .territorialWithoutAreas && $0.path == "catalogue[3].owner" })
    }

    func testUnitCodesAsDistrictsHaveThem() {
        let good = [
            "A", "CG", "PS1", "ABCDEFGH", "Z9", "QH-CGJ", "qh-cgj", "QH_CG.2", "91440300MA5G8XXXXQ", "MA5G8XXX-1",
            "1CG", "-CG", "_CG", ".CG", String(repeating: "A", count: 32),
        ]
        for code in good { XCTAssertTrue(JurisdictionUnit.isValidCode(code), code) }
        let bad = ["", "CG ", "C G", "C/G", "C*G", "C#G", "ÄB", "城管", String(repeating: "A", count: 33)]
        for code in bad { XCTAssertFalse(JurisdictionUnit.isValidCode(code), code) }
    }

    /// The file's reserved words are refused as unit codes; codes differing only in case are two units,
    /// as the contract admits them (two queues, two users).
    func testReservedWordsAreRefusedAndCodesDifferingInCaseAreTwoUnits() throws {
        var file = try JurisdictionFixtures.file()
        let head = OfficialContact(name: "a", phone: "1")
        file.units.append(JurisdictionUnit(code: "QH-CGJ", name: "城管局", kind: .department, head: head))
        file.units.append(JurisdictionUnit(code: "qh-cgj", name: "城管局（小写）", kind: .department, head: head))
        file.units.append(JurisdictionUnit(code: "territorial", name: "属地", kind: .department, head: head))
        file.units.append(JurisdictionUnit(code: "street_office", name: "街道", kind: .department, head: head))
        let problems = file.validate().filter { $0.kind != .unknownOwner }
        XCTAssertEqual(problems.map(\.kind), [.invalidUnitCode, .invalidUnitCode], "\(problems)")
        XCTAssertTrue(problems.allSatisfy { $0.message.contains("reserved") }, "\(problems)")
        XCTAssertEqual(problems.map(\.path), ["units[11].code", "units[12].code"])
    }

    func testWarningUnits() throws {
        let file = try JurisdictionFixtures.file()
        XCTAssertEqual(file.warningUnits(for: .urgent, street: "坑梓街道"), ["ZFW", "YJ", "XF"])
        XCTAssertEqual(file.warningUnits(for: .fast, street: "坑梓街道"), ["KZ"])
        XCTAssertEqual(file.warningUnits(for: .fast, street: "未知街道"), [])
        XCTAssertEqual(file.warningUnits(for: .normal, street: "坑梓街道"), [])
    }

    /// ZS §6: a residents' committee may assist (co_units), never own an item or succeed a unit.
    func testAResidentsCommitteeIsNeverResponsible() throws {
        var file = try JurisdictionFixtures.file()
        let baseline = file.validate()
        file.units.append(JurisdictionUnit(code: "JWH", name: "秀新社区居民委员会", kind: .residentCommittee, head: file.units[0].head))
        file.catalogue[0].coUnits = ["JWH"]
        XCTAssertEqual(file.validate(), baseline, "a committee may assist")
        file.catalogue[0].owner = .unit("JWH")
        file.catalogue[0].coUnits = []
        XCTAssertEqual(file.validate().filter { !baseline.contains($0) }.map(\.kind), [.committeeResponsible])
        let router = Router(jurisdiction: file)
        let sole = router.plan(CenterDispatch(ticketNo: "PS-1", mode: .sole, units: ["JWH"]))
        guard case .failure(let refusal) = sole else { return XCTFail("a committee alone") }
        XCTAssertTrue(refusal.message.contains("ZS §6"))
        let coUnit = router.plan(CenterDispatch(ticketNo: "PS-1", mode: .leadCo, units: [file.units[0].code, "JWH"]))
        XCTAssertEqual(try coUnit.get().map(\.role), [.lead, .co])
    }
}
