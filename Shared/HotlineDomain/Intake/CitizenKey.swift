import Foundation

/// A pseudonymous key for a citizen: the SHA-256 of the canonical form of the phone number, so that
/// repeat counts, merges and concluded matters can match a citizen without copying the number out of
/// `tickets.citizen`. The database function `hotline_citizen_key(text)` (migration 0002) computes the
/// same key.
///
/// Canonical form: the ASCII digits of the number; a `0086` or `86` country prefix removed; a leading
/// `0` restored on a landline written internationally (`+86 755 1234 5678` → `075512345678`).
public enum CitizenKey {
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

    /// The key of a phone number, nil when it has no digits.
    public static func of(phone: String?) -> String? {
        guard let phone, let canonical = canonicalPhone(phone) else { return nil }
        return SHA256.hex("phone:" + canonical)
    }

    /// The key of a citizen (anonymous citizens who left a number still have one).
    public static func of(_ citizen: Citizen) -> String? { of(phone: citizen.phone) }
}
