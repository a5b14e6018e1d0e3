import Foundation
import HotlineDomain
@testable import HotlineMessaging
import HotlineRuntime
import XCTest

/// A district's own unit codes (docs/contract.md "Jurisdiction file"): `QH-CG` and `QH-CGJ` load,
/// get their queues and broker users, receive their assignments and act on them as themselves, and
/// neither reads the other's queue although one code begins with the other.
final class UnitCodeTests: XCTestCase {
    override class func tearDown() {
        Platform.stopAll()
        super.tearDown()
    }

    func testUnitsWithTheDistrictsOwnCodesReceiveAndActOnTheirAssignments() async throws {
        try await withHarness { h in try await actAsOwnUnits(h) }
    }

    private func actAsOwnUnits(_ h: LifecycleHarness) async throws {
        let stack = h.stack

        // The loaded jurisdiction with two units coded as this district codes them, and an item each.
        var file = try await h.loadedJurisdiction()
        let codes = ["QH-CG", "QH-CGJ"]
        file.units.removeAll { codes.contains($0.code) }
        file.catalogue.removeAll { $0.code.hasPrefix("QH-") }
        let head = OfficialContact(name: "渠化测试", phone: "13800000001")
        for code in codes {
            file.units.append(JurisdictionUnit(code: code, name: "渠化测试\(code)", kind: .department, head: head))
            file.catalogue.append(CatalogueItem(
                code: "\(code).001", name: "渠化测试事项\(code)", keywords: ["渠化测试\(code)"], owner: .unit(code)))
        }
        try await h.loadWithUnitUsers(file)

        for code in codes {
            let ticketNo = try await h.submit(category: "\(code).001", description: "渠化测试\(code)：路灯不亮，晚上很黑")
            let created = try await h.created(ticketNo, unit: code)
            let assignmentID = try XCTUnwrap(created.string("assignment_id"))
            XCTAssertEqual(assignmentID, "\(ticketNo)-\(code)")
            let signed = try await h.command("unit.\(code)", "unit.sign", ["assignment_id": assignmentID])
            XCTAssertEqual(signed.routingKey, "assignment.signed", String(decoding: signed.body, as: UTF8.self))
            // The other unit may not act on it either.
            let other = codes.first { $0 != code }!
            try await h.expectRejected(h.command("unit.\(other)", "unit.sign", ["assignment_id": assignmentID]), "forbidden")
        }

        // `unit.QH-CG` may read neither `hotline.unit.QH-CGJ` nor its reply queue.
        let configuration = try AMQPConfiguration(url: stack.amqpURL(user: "unit.QH-CG"))
        for queue in [HotlineTopology.unitQueue("QH-CGJ"), HotlineTopology.replyQueue("unit.QH-CGJ")] {
            let refusal = try await BlockingThread.run(name: "foreign-queue") { () -> String? in
                let connection = try AMQPConnection(configuration)
                defer { connection.close() }
                do {
                    try connection.consume(queue: queue)
                    return nil
                } catch {
                    return "\(error)"
                }
            }
            XCTAssertTrue(refusal?.contains("ACCESS_REFUSED") == true, "\(queue): \(refusal ?? "read")")
        }

        try await h.restoreShippedJurisdiction()
    }
}
