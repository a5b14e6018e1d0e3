import Foundation
import HotlineDomain
import XCTest

final class RedactionTests: XCTestCase {
    func testMobileNumbersAreMaskedWhereverTheyStand() {
        XCTAssertEqual(Redaction.maskPhoneNumbers("13800138000"), "138****8000")
        XCTAssertEqual(Redaction.maskPhoneNumbers("市民13800138000来电，回拨15912345678。"), "市民138****8000来电，回拨159****5678。")
        XCTAssertEqual(Redaction.maskPhoneNumbers("tel:13800138000"), "tel:138****8000")
        XCTAssertEqual(Redaction.maskPhoneNumbers(#"{"phone":"+8613800138000"}"#), #"{"phone":"+86138****8000"}"#)
        XCTAssertEqual(Redaction.maskPhoneNumbers("008613800138000"), "0086138****8000")
    }

    func testLandlinesWithTheirAreaCodeAreMasked() {
        XCTAssertEqual(Redaction.maskPhoneNumbers("电话0755-12345678"), "电话0755-****5678")
        XCTAssertEqual(Redaction.maskPhoneNumbers("010-1234567"), "010-***4567")
        XCTAssertEqual(Redaction.maskPhoneNumbers("PS-20261204-000169"), "PS-20261204-000169", "a ticket number stays")
        XCTAssertEqual(Redaction.maskPhoneNumbers("2026-12345678"), "2026-12345678", "no area code starts with 2")
        XCTAssertEqual(Redaction.maskPhoneNumbers("075512345678"), "075*****5678", "an area code joined to its number")
        XCTAssertEqual(Redaction.maskPhoneNumbers("电话01012345678。"), "电话010****5678。")
    }

    /// Every form intake accepts after a country code (`MainlandPhoneNumber`), where the landline's 0 is optional.
    func testNumbersAfterTheCountryCodeAreMasked() {
        let forms = [
            "+86 13812345678": "+86 138****5678", "+86-13812345678": "+86-138****5678",
            "+86 75512345678": "+86 755****5678", "+8675512345678": "+86755****5678", "008675512345678": "0086755****5678",
            "+86 1012345678": "+86 101***5678", "+86-10-12345678": "+86-10-****5678", "+86 755-1234567": "+86 755-***4567",
            "0086-010-12345678": "0086-010-****5678", "+86 075512345678": "+86 075*****5678",
        ]
        for (form, masked) in forms {
            XCTAssertTrue(MainlandPhoneNumber.isPlausible(form), form)
            XCTAssertEqual(Redaction.maskPhoneNumbers("tel: \(form)."), "tel: \(masked).", form)
        }
        XCTAssertEqual(Redaction.maskPhoneNumbers("86-12345678"), "86-12345678", "no area code between")
        XCTAssertEqual(Redaction.maskPhoneNumbers("+86  1012345678"), "+86  1012345678", "two spaces join nothing")
    }

    func testPhoneFieldsOfAMessageAreMaskedInWhateverFormTheyHave() {
        let body = #"{"citizen":{"name":"张三","phone":"138 0013 8000"},"contacts":[{"contact_phone":"8800-123"}],"method":"phone","note":"另有 0755-12345678"}"#
        XCTAssertEqual(
            Redaction.maskPhones(inJSON: body),
            #"{"citizen":{"name":"张三","phone":"138******8000"},"contacts":[{"contact_phone":"880*-123"}],"method":"phone","note":"另有 0755-****5678"}"#)
        XCTAssertEqual(Redaction.maskPhones(inJSON: "not json 13800138000"), "not json 138****8000")
    }

    func testOtherDigitRunsStay() {
        let kept = ["", "no digits", "1380013800", "138001380001", "23800138000", "ticket PS2026112300001", "工单 4000"]
        for text in kept { XCTAssertEqual(Redaction.maskPhoneNumbers(text), text) }
    }
}

final class StringObjectTests: XCTestCase {
    func testSortedKeysAndEscapesReadBackAsWritten() throws {
        let fields = ["msg": "引号\" 反斜杠\\ 换行\n 制表\t \u{01} /", "b": "", "a": "1"]
        let data = HotlineJSON.stringObject(fields)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix(#"{"a":"1","b":"","msg":"#), text)
        XCTAssertTrue(text.contains(#"\u0001"#), text)
        let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: String])
        XCTAssertEqual(parsed, fields)
        XCTAssertEqual(String(decoding: HotlineJSON.stringObject([:]), as: UTF8.self), "{}")
    }
}
