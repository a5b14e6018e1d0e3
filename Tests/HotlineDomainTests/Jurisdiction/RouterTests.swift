import Foundation
import XCTest

@testable import HotlineDomain

final class RouterTests: XCTestCase {
    private func router() throws -> Router { Router(jurisdiction: try JurisdictionFixtures.file()) }

    func testCatalogueSoleOwner() throws {
        XCTAssertEqual(
            try router().route(category: "CG-001", street: "坑梓街道"),
            .assign([PlannedAssignment(unit: "CG", role: .sole, returnAllowed: true)]))
    }

    func testCatalogueLeadAndCoUnits() throws {
        XCTAssertEqual(
            try router().route(category: "ZJ-003", street: nil),
            .assign([
                PlannedAssignment(unit: "ZJ", role: .lead, leadUnit: "ZJ", coUnits: ["CG", "KZ"]),
                PlannedAssignment(unit: "CG", role: .co, leadUnit: "ZJ", coUnits: ["CG", "KZ"]),
                PlannedAssignment(unit: "KZ", role: .co, leadUnit: "ZJ", coUnits: ["CG", "KZ"]),
            ]))
    }

    func testCatalogueTerritorial() throws {
        let r = try router()
        XCTAssertEqual(r.route(category: "JD-001", street: "坪山街道"), .assign([PlannedAssignment(unit: "PS1", role: .territorial)]))
        XCTAssertEqual(r.route(category: "JD-001", street: "火星街道"), .manual(.unknownStreet("火星街道")))
        XCTAssertEqual(r.route(category: "JD-001", street: nil), .manual(.unknownStreet(nil)))
    }

    func testManualFallbacks() throws {
        let r = try router()
        XCTAssertEqual(r.route(category: nil, street: "坑梓街道"), .manual(.noCategory))
        XCTAssertEqual(r.route(category: "ZZ-999", street: nil), .manual(.unknownCategory("ZZ-999")))
        XCTAssertEqual(r.route(category: "XX-009", street: nil), .manual(.unknownOwner("OLD")))
        XCTAssertEqual(RoutingDecision.ManualReason.unknownOwner("OLD").code, "unknown_owner")
    }

    func testExplicitModes() throws {
        let r = try router()
        XCTAssertEqual(
            r.route(category: "CG-001", street: nil, mode: try RoutingMode(mode: "parallel", units: ["CG", "ZJ", "CG"])),
            .assign([PlannedAssignment(unit: "CG", role: .parallel), PlannedAssignment(unit: "ZJ", role: .parallel)]))
        XCTAssertEqual(
            r.route(category: nil, street: nil, mode: try RoutingMode(mode: "first_responsible", units: ["HB"])),
            .assign([PlannedAssignment(unit: "HB", role: .firstResponsible, leadUnit: "HB", returnAllowed: false)]))
        XCTAssertEqual(
            r.route(category: nil, street: nil, mode: .firstResponsible("HB", co: ["CG"])),
            .assign([
                PlannedAssignment(unit: "HB", role: .firstResponsible, leadUnit: "HB", coUnits: ["CG"], returnAllowed: false),
                PlannedAssignment(unit: "CG", role: .co, leadUnit: "HB", coUnits: ["CG"], returnAllowed: true),
            ]))
        XCTAssertEqual(
            r.route(category: nil, street: nil, mode: try RoutingMode(mode: "lead_co", units: ["CG", "HB"])),
            .assign([
                PlannedAssignment(unit: "CG", role: .lead, leadUnit: "CG", coUnits: ["HB"]),
                PlannedAssignment(unit: "HB", role: .co, leadUnit: "CG", coUnits: ["HB"]),
            ]))
        XCTAssertEqual(
            r.route(category: "CG-001", street: nil, mode: try RoutingMode(mode: "sole", units: ["ZJ"])),
            .assign([PlannedAssignment(unit: "ZJ", role: .sole)]))
        XCTAssertEqual(
            r.route(category: nil, street: "坑梓街道", mode: try RoutingMode(mode: "territorial", units: [])),
            .assign([PlannedAssignment(unit: "KZ", role: .territorial)]))
        XCTAssertEqual(r.route(category: nil, street: nil, mode: .sole("NOPE")), .manual(.unknownUnit("NOPE")))
        XCTAssertEqual(r.route(category: nil, street: nil, mode: .parallel(["CG", "NOPE"])), .manual(.unknownUnit("NOPE")))
    }

    func testModeParsing() {
        XCTAssertThrowsError(try RoutingMode(mode: "broadcast", units: ["CG"])) {
            XCTAssertEqual($0 as? RoutingMode.ParseError, .unknownMode("broadcast"))
        }
        XCTAssertThrowsError(try RoutingMode(mode: "sole", units: ["CG", "HB"]))
        XCTAssertThrowsError(try RoutingMode(mode: "parallel", units: []))
        XCTAssertThrowsError(try RoutingMode(mode: "lead_co", units: []))
        XCTAssertEqual(try RoutingMode(mode: "catalogue", units: []), .catalogue)
        XCTAssertEqual(try RoutingMode(mode: "lead_co", units: ["A", "B", "C"]), .leadCo(lead: "A", co: ["B", "C"]))
    }

    func testExcludingUnitsThatReturnedTheTicket() throws {
        let r = try router()
        XCTAssertEqual(r.route(category: "CG-001", street: nil, excluding: ["CG"]), .manual(.nobodyLeft))
        XCTAssertEqual(
            r.route(category: "ZJ-003", street: nil, excluding: ["KZ"]),
            .assign([
                PlannedAssignment(unit: "ZJ", role: .lead, leadUnit: "ZJ", coUnits: ["CG"]),
                PlannedAssignment(unit: "CG", role: .co, leadUnit: "ZJ", coUnits: ["CG"]),
            ]))
        XCTAssertEqual(
            r.route(category: "HB-002", street: nil, excluding: ["CG"]), .assign([PlannedAssignment(unit: "HB", role: .sole)]),
            "a lead without co-units left handles it alone")
        XCTAssertEqual(r.route(category: "ZJ-003", street: nil, excluding: ["ZJ"]), .manual(.leadExcluded("ZJ")))
        XCTAssertEqual(r.route(category: "ZJ-003", street: nil, excluding: ["ZJ", "CG", "KZ"]), .manual(.nobodyLeft))
        XCTAssertEqual(r.route(category: "JD-001", street: "坑梓街道", excluding: ["KZ"]), .manual(.nobodyLeft))
        XCTAssertEqual(
            r.route(category: nil, street: nil, mode: .parallel(["CG", "ZJ", "HB"]), excluding: ["ZJ"]),
            .assign([PlannedAssignment(unit: "CG", role: .parallel), PlannedAssignment(unit: "HB", role: .parallel)]))
        XCTAssertEqual(r.route(category: nil, street: nil, mode: .parallel(["CG"]), excluding: ["CG"]), .manual(.nobodyLeft))
        XCTAssertEqual(r.route(category: nil, street: nil, mode: .sole("HB"), excluding: ["HB"]), .manual(.nobodyLeft))
    }
}
