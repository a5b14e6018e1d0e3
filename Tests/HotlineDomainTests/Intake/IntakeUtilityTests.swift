import Foundation
import HotlineDomain
import XCTest

final class IntakeUtilityTests: XCTestCase {
    func testSHA256KnownVectors() {
        XCTAssertEqual(SHA256.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // 55, 56 and 64 bytes: the padding boundaries.
        XCTAssertEqual(
            SHA256.hex(String(repeating: "a", count: 55)),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        XCTAssertEqual(
            SHA256.hex(String(repeating: "a", count: 56)),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        XCTAssertEqual(
            SHA256.hex(String(repeating: "a", count: 64)),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
    }

    func testCitizenKeyIgnoresTheWayANumberIsWritten() throws {
        let keys = IntakeFixtures.citizenKeys
        let key = try XCTUnwrap(keys.of(phone: "13800138000"))
        for spelling in ["+86 138-0013-8000", "0086 13800138000", "+8613800138000", " 138 0013 8000 "] {
            XCTAssertEqual(keys.of(phone: spelling), key, spelling)
        }
        XCTAssertEqual(keys.of(phone: "+86 755 1234 5678"), keys.of(phone: "0755-12345678"))
        XCTAssertNotEqual(keys.of(phone: "13800138001"), key)
        XCTAssertEqual(CitizenKeys.canonicalPhone("+86 755 1234 5678"), "075512345678")
        XCTAssertNil(keys.of(phone: nil))
        XCTAssertNil(keys.of(phone: "---"))
        XCTAssertNil(keys.of(Citizen(anonymous: true)))
    }

    /// HMAC-SHA256 under the secret, prefixed by the secret's id (values from Python's `hmac`).
    func testCitizenKeyIsAnHMACUnderTheSecretAndNamesIt() throws {
        let keys = try CitizenKeys(secret: Array(0..<32))
        XCTAssertEqual(keys.id, "630dcd29")
        XCTAssertEqual(
            keys.of(phone: "138 0013 8000"), "630dcd29:e18c04ee591d559dd13a19848c82d1a971568c759f1bb8a0d15c46e11420293e")
        XCTAssertTrue(try XCTUnwrap(keys.of(phone: "13800138000")).hasPrefix(keys.prefix))
        XCTAssertFalse(SHA256.hex("phone:13800138000").hasPrefix(keys.prefix), "an unkeyed key of an earlier version")
        let other = try CitizenKeys(secret: Array(1...32))
        XCTAssertNotEqual(other.of(phone: "13800138000"), keys.of(phone: "13800138000"))
        XCTAssertFalse(try XCTUnwrap(keys.of(phone: "13800138000")).hasPrefix(other.prefix))
        XCTAssertThrowsError(try CitizenKeys(secret: Array(0..<31)))
    }

    func testAddressNormalisation() {
        XCTAssertEqual(PlaceMatching.normalizeAddress("  秀新路１２号  "), "秀新路12号")
        XCTAssertEqual(PlaceMatching.normalizeAddress("秀新路12号。"), "秀新路12号")
        XCTAssertEqual(PlaceMatching.normalizeAddress("秀新路12号！？…"), "秀新路12号")
        XCTAssertEqual(PlaceMatching.normalizeAddress("秀新路 \t  12号"), "秀新路 12号")
        XCTAssertEqual(PlaceMatching.normalizeAddress("秀新路\u{3000}12号"), "秀新路 12号")
        XCTAssertEqual(PlaceMatching.normalizeAddress("ＡＢ栋３０１"), "ab栋301")
        XCTAssertEqual(PlaceMatching.normalizeAddress("ÄÖ Straße Z"), "äö straße z")
        XCTAssertEqual(PlaceMatching.normalizeAddress("（秀新路12号）"), "(秀新路12号")
        XCTAssertNil(PlaceMatching.normalizeAddress("  。 "))
        XCTAssertNil(PlaceMatching.normalizeAddress(nil))
        // Different house numbers stay different.
        XCTAssertNotEqual(PlaceMatching.normalizeAddress("秀新路12号"), PlaceMatching.normalizeAddress("秀新路13号"))
    }

    func testTrimmingAgreesWithFoundation() {
        let samples = [
            "", " ", "\t\n\r", "  秀新路12号  ", "\u{3000}路灯不亮\u{3000}", "\u{00A0}x\u{2028}", "a b", "x\u{0085}",
            "。路灯！", "(a)", "\u{200B}x",
        ]
        for text in samples {
            XCTAssertEqual(text.trimmingWhitespace, text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.debugDescription)")
            XCTAssertEqual(
                text.trimmingWhitespaceAndPunctuation,
                text.trimmingCharacters(in: .punctuationCharacters.union(.whitespacesAndNewlines)), "\(text.debugDescription)")
        }
    }

    func testHaversineDistance() {
        let lat = 22.74, lon = 114.39
        XCTAssertEqual(PlaceMatching.distance(lat1: lat, lon1: lon, lat2: lat, lon2: lon), 0, accuracy: 1e-9)
        XCTAssertEqual(
            PlaceMatching.distance(lat1: lat, lon1: lon, lat2: IntakeFixtures.north(of: lat, 100), lon2: lon), 100,
            accuracy: 0.01)
        // One degree of longitude at the equator.
        XCTAssertEqual(PlaceMatching.distance(lat1: 0, lon1: 0, lat2: 0, lon2: 1), 111_195.08, accuracy: 0.1)
        // Shenzhen to Beijing, about 1,950 km.
        XCTAssertEqual(PlaceMatching.distance(lat1: 22.54, lon1: 114.06, lat2: 39.90, lon2: 116.40), 1_946_000, accuracy: 10_000)
    }

    func testBoxHoldsEveryPointWithinTheRadius() {
        let lat = 22.74, lon = 114.39
        let box = PlaceMatching.box(lat: lat, lon: lon, radius: 100)
        for bearing in stride(from: 0.0, to: 360.0, by: 15.0) {
            let radians = bearing * Double.pi / 180
            let dLat = 99.9 * cos(radians) / (PlaceMatching.earthRadius * Double.pi / 180)
            let dLon = 99.9 * sin(radians) / (PlaceMatching.earthRadius * Double.pi / 180 * cos(lat * Double.pi / 180))
            XCTAssertTrue(box.contains(lat: lat + dLat, lon: lon + dLon), "bearing \(bearing)")
        }
        XCTAssertFalse(box.contains(lat: IntakeFixtures.north(of: lat, 150), lon: lon))
    }

    func testProfileLimitsReachTheValidator() {
        var rules = IntakeFixtures.profile().intake
        rules.futureSkewSeconds = 60
        rules.maxReceivedAgeDays = 30
        let limits = rules.submissionLimits
        XCTAssertEqual(limits.futureSkew, 60)
        XCTAssertEqual(limits.maxAge, 30 * 86_400)
        let body = { (time: String) in
            Data(#"{"submission_id":"x","channel":"web","received_at":"\#(time)","citizen":{"anonymous":true},"description":"路灯不亮了"}"#.utf8)
        }
        let now = IntakeFixtures.now
        XCTAssertNotNil(SubmissionValidator.validate(body: body("2026-11-23T10:00:59+08:00"), now: now, limits: limits).submission)
        XCTAssertEqual(
            SubmissionValidator.validate(body: body("2026-11-23T10:01:01+08:00"), now: now, limits: limits).problems,
            [FieldProblem(field: "received_at", problem: "in the future")])
        XCTAssertNotNil(SubmissionValidator.validate(body: body("2026-10-25T10:00:00+08:00"), now: now, limits: limits).submission)
        XCTAssertEqual(
            SubmissionValidator.validate(body: body("2026-10-23T09:59:00+08:00"), now: now, limits: limits).problems,
            [FieldProblem(field: "received_at", problem: "too far in the past")])
        // Without the profile keys: the contract's default skew and no age limit.
        XCTAssertEqual(IntakeFixtures.profile { $0.intake.futureSkewSeconds = nil }.intake.submissionLimits.futureSkew, 300)
        XCTAssertNil(SubmissionLimits.default.maxAge)
    }

    func testProfileProblemsCoverTheIntakeKeys() {
        XCTAssertEqual(IntakeFixtures.profile().problems(), [])
        let bad = IntakeFixtures.profile {
            $0.intake.merge = IntakeRules.MergeRules(radiusMeters: -1)
            $0.intake.futureSkewSeconds = -5
            $0.intake.basis = ["no_such_reason": "x"]
        }
        XCTAssertEqual(bad.problems(), [
            "intake.merge.radius_meters: negative", "intake.future_skew_seconds: negative",
            "intake.basis: unknown reason code no_such_reason",
        ])
    }

    func testIntakeKeysAreOptionalInAProfile() throws {
        // A profile written before the intake keys decodes, with the defaults.
        var object = try XCTUnwrap(
            JSONSerialization.jsonObject(with: JSONEncoder().encode(RuleProfiles.pingshan())) as? [String: Any])
        var intake = try XCTUnwrap(object["intake"] as? [String: Any])
        intake["merge"] = nil
        intake["basis"] = nil
        object["intake"] = intake
        var classification = try XCTUnwrap(object["classification"] as? [String: Any])
        classification["kind_from_catalogue_hint"] = nil
        object["classification"] = classification
        let profile = try JSONDecoder().decode(RuleProfile.self, from: JSONSerialization.data(withJSONObject: object))
        XCTAssertNil(profile.intake.merge)
        XCTAssertEqual(profile.intake.mergeRules, IntakeRules.MergeRules(radiusMeters: 100, sameCitizen: true))
        XCTAssertNil(profile.intake.basis)
        XCTAssertNil(profile.classification.kindFromCatalogueHint)
        let merge = try JSONDecoder().decode(IntakeRules.MergeRules.self, from: Data(#"{"radius_meters": 50}"#.utf8))
        XCTAssertEqual(merge, IntakeRules.MergeRules(radiusMeters: 50, sameCitizen: true))
    }
}
