import Crypto
import Foundation

/// Pseudonymous keys for citizens, so that repeat counts, merges and concluded matters can match a
/// citizen without copying the phone number out of `tickets.citizen` (docs/security.md "Citizen
/// keys"). A key is HMAC-SHA256, under a secret kept outside the database, of `phone:` and the
/// number's canonical digits: without the secret, a stolen table cannot be turned back into numbers
/// by trying every one (an unkeyed hash of an 11-digit number can).
///
/// A key is written `<id>:<64 hex digits>`, where `id` names the secret (the first 8 hex digits of
/// its SHA-256), so that keys of another secret, or the unkeyed keys of earlier versions (64 hex
/// digits alone), never match a new one and can be found to be re-keyed.
///
/// Canonical form: the ASCII digits of the number; a `0086` or `86` country prefix removed; a leading
/// `0` restored on a landline written internationally (`+86 755 1234 5678` → `075512345678`).
public struct CitizenKeys: Sendable {
    /// The shortest secret accepted, in bytes.
    public static let minimumSecretBytes = 32

    /// Names the secret (`prefix`).
    public let id: String
    private let secret: SymmetricKey

    /// Keys under `secret`; throws when it is shorter than `minimumSecretBytes`.
    public init(secret: [UInt8]) throws(CitizenKeySecretTooShort) {
        guard secret.count >= Self.minimumSecretBytes else { throw CitizenKeySecretTooShort(length: secret.count) }
        self.secret = SymmetricKey(data: secret)
        id = String(SHA256.hex(secret).prefix(8))
    }

    /// The key of a phone number, nil when it has no digits.
    public func of(phone: String?) -> String? {
        guard let phone, let canonical = Self.canonicalPhone(phone) else { return nil }
        let code = HMAC<Crypto.SHA256>.authenticationCode(for: Array(("phone:" + canonical).utf8), using: secret)
        return prefix + Hex.encode(code)
    }

    /// The key of a citizen (anonymous citizens who left a number still have one).
    public func of(_ citizen: Citizen) -> String? { of(phone: citizen.phone) }

    /// What every key made with this secret starts with: `id:`.
    public var prefix: String { id + ":" }

    /// The canonical digits of a phone number, nil when it has none.
    public static func canonicalPhone(_ phone: String) -> String? {
        var digits = String(phone.unicodeScalars.filter { $0.value >= 0x30 && $0.value <= 0x39 }.map(Character.init))
        if digits.hasPrefix("0086") {
            digits.removeFirst(4)
        } else if digits.hasPrefix("86") {
            digits.removeFirst(2)
        }
        guard let first = digits.first else { return nil }
        if first != "0" && first != "1" { digits = "0" + digits }
        return digits
    }
}

/// A citizen-key secret shorter than `CitizenKeys.minimumSecretBytes`.
public struct CitizenKeySecretTooShort: Error, CustomStringConvertible {
    public let length: Int
    public var description: String {
        "the citizen-key secret has \(length) bytes; at least \(CitizenKeys.minimumSecretBytes) are needed"
    }
}
