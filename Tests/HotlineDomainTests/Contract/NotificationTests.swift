import Foundation
import HotlineDomain
import XCTest

final class NotificationTests: XCTestCase {
    func testNotificationRoundTrip() throws {
        let notification = try ContractTestSupport.roundTrip(HotlineDomain.Notification.self, #"""
        {"notification_id": "N-1", "channel": "sms", "audience": "official",
         "recipient": {"role": "principal_head", "unit_code": "CG", "name": "局长", "phone": "13900000010"},
         "template": "escalation.tier1", "text": "【民情速报】工单PS-20261123-000042已超期1天。",
         "ticket_no": "PS-20261123-000042", "dedup_key": "escalation:PS-20261123-000042:1"}
        """#, expectedKeys: ["notification_id", "channel", "audience", "recipient", "template", "text", "ticket_no", "dedup_key"])
        XCTAssertEqual(notification.routingKey, "sms.official")
        XCTAssertEqual(notification.recipient, NotificationRecipient(role: .principalHead, unitCode: "CG", name: "局长", phone: "13900000010"))
        XCTAssertEqual(notification.dedupKey, "escalation:PS-20261123-000042:1")
        XCTAssertEqual(ContractTestSupport.keys(try HotlineJSON.encode(notification.recipient)), ["role", "unit_code", "name", "phone"])
    }

    func testMinimalNotificationAndAlias() throws {
        let notification: HotlineNotification = try ContractTestSupport.roundTrip(HotlineNotification.self, #"""
        {"notification_id": "N-2", "channel": "oa", "audience": "unit", "recipient": {"role": "unit", "unit_code": "KZ"},
         "template": "warning.fast", "text": "快速件提醒", "dedup_key": "warn:PS-20261123-000042:KZ"}
        """#, expectedKeys: ["notification_id", "channel", "audience", "recipient", "template", "text", "dedup_key"])
        XCTAssertEqual(notification.routingKey, "oa.unit")
        XCTAssertNil(notification.ticketNo)
        XCTAssertEqual(notification.recipient.role, RecipientRole.unit)
    }

    func testVocabularies() throws {
        XCTAssertEqual(NotificationChannel.allCases.map(\.rawValue), ["sms", "oa", "phone"])
        XCTAssertEqual(NotificationAudience.allCases.map(\.rawValue), ["citizen", "official", "unit"])
        // Recipient roles are an open set.
        let role = try HotlineJSON.decode(RecipientRole.self, from: Data(#""petition_bureau""#.utf8))
        XCTAssertEqual(role.rawValue, "petition_bureau")
        XCTAssertEqual(String(decoding: try HotlineJSON.encode(RecipientRole.citizen), as: UTF8.self), #""citizen""#)
        let citizen = HotlineDomain.Notification(
            notificationID: "N-3", channel: .sms, audience: .citizen, recipient: NotificationRecipient(role: .citizen, phone: "13800138000"),
            template: "survey", text: "请对办理结果评价", ticketNo: "PS-20261123-000042", dedupKey: "survey:SV-1")
        XCTAssertEqual(citizen.routingKey, "sms.citizen")
    }
}
