import Foundation
import HotlineDomain
import XCTest
import Yams

/// PS §11(一): a catalogue item's handling limit never lengthens a kind's limit unless the item names
/// the kind and cites its basis.
final class HandlingLimitTests: XCTestCase {
    /// Pingshan's limits: consultation 1, suggestion 3, complaint and the others 7 working days.
    var handling: HandlingRules { get throws { try RuleProfiles.pingshan().handling } }

    func item(_ days: Int?, kinds: [TicketKind]? = nil, basis: String? = "《医疗纠纷预防和处理条例》") -> CatalogueItem {
        CatalogueItem(code: "WJ-001", name: "医疗纠纷", keywords: ["医疗纠纷"], owner: .unit("WJ"), handleWorkingDays: days,
                      handleKinds: kinds, basis: basis)
    }

    func testAShorterLimitAppliesWhereItShortensOnly() throws {
        let three = item(3)
        XCTAssertEqual(three.handlingWorkingDays(for: .complaint, under: try handling), 3)
        XCTAssertEqual(three.handlingWorkingDays(for: .report, under: try handling), 3)
        XCTAssertEqual(three.handlingWorkingDays(for: .suggestion, under: try handling), 3)
        XCTAssertNil(three.handlingWorkingDays(for: .consultation, under: try handling), "a consultation keeps its one day")
        XCTAssertNil(item(nil).handlingWorkingDays(for: .complaint, under: try handling))
        XCTAssertNil(three.handlingLimitProblem(under: try handling))
    }

    func testALongerLimitAppliesToTheKindsItNames() throws {
        let fifteen = item(15, kinds: [.complaint, .report, .help])
        XCTAssertEqual(fifteen.handlingWorkingDays(for: .complaint, under: try handling), 15)
        XCTAssertEqual(fifteen.handlingWorkingDays(for: .help, under: try handling), 15)
        XCTAssertNil(fifteen.handlingWorkingDays(for: .consultation, under: try handling))
        XCTAssertNil(fifteen.handlingWorkingDays(for: .suggestion, under: try handling))
        XCTAssertNil(fifteen.handlingLimitProblem(under: try handling))
    }

    func testTheLoaderRefusesAnUnfoundedLimit() throws {
        XCTAssertNotNil(item(15).handlingLimitProblem(under: try handling), "longer than every kind's, no kinds named")
        XCTAssertNil(item(15).handlingWorkingDays(for: .complaint, under: try handling), "and it would never apply")
        XCTAssertNotNil(item(15, kinds: [.complaint], basis: nil).handlingLimitProblem(under: try handling), "no basis")
        XCTAssertNotNil(item(15, kinds: [.complaint], basis: "  ").handlingLimitProblem(under: try handling), "a blank basis")
        XCTAssertNotNil(item(5, kinds: []).handlingLimitProblem(under: try handling), "no kinds at all")
        XCTAssertNil(item(5, kinds: [.complaint], basis: nil).handlingLimitProblem(under: try handling), "shorter: no basis needed")
    }

    func testTheShippedPingshanFileLoadsUnderItsProfile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("deploy/jurisdictions/pingshan.yaml"), encoding: .utf8)
        let file = try YAMLDecoder().decode(JurisdictionFile.self, from: text)
        let long = file.catalogue.filter { ($0.handleWorkingDays ?? 0) > 7 }
        XCTAssertEqual(long.count, 9)
        XCTAssertTrue(long.allSatisfy { $0.handleKinds == [.complaint, .report, .help] && !($0.basis ?? "").isEmpty })
        XCTAssertEqual(file.validate(under: try RuleProfiles.pingshan()), [])
    }
}
