import Foundation

/// Plausibility of mainland China phone numbers, as the intake rules require a real contact number
/// (PS §8(一)).
///
/// Accepted: mobile `1[3-9]` + 9 digits; landline with area code, `0755-12345678`, `075512345678`,
/// `010-12345678`; each optionally prefixed by `+86` or `0086` (with an optional space or hyphen, and
/// the landline's leading `0` optional after it). Leading and trailing whitespace is ignored.
public enum MainlandPhoneNumber {
    /// Whether `text` is a plausible mainland mobile or landline number.
    public static func isPlausible(_ text: String) -> Bool {
        var rest = Substring(text.trimmingWhitespace)
        guard !rest.isEmpty, rest.utf8.count <= 32 else { return false }
        var international = false
        for prefix in ["+86", "0086"] where rest.hasPrefix(prefix) {
            rest = rest.dropFirst(prefix.count)
            if rest.first == " " || rest.first == "-" { rest = rest.dropFirst() }
            international = true
            break
        }
        if isMobile(rest) { return true }
        return isLandline(rest, leadingZeroOptional: international)
    }

    private static func isDigits(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    private static func isMobile(_ text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count == 11 && isDigits(text) && bytes[0] == UInt8(ascii: "1")
            && bytes[1] >= UInt8(ascii: "3") && bytes[1] <= UInt8(ascii: "9")
    }

    private static func isLandline(_ text: Substring, leadingZeroOptional: Bool) -> Bool {
        var number = text
        if number.first == "0" {
            number = number.dropFirst()
        } else if !leadingZeroOptional {
            return false
        }
        // Now: area code without its 0 (2-3 digits, not starting with 0), optional '-', local number.
        guard let first = number.utf8.first, first >= UInt8(ascii: "1"), first <= UInt8(ascii: "9") else { return false }
        let parts = number.split(separator: "-", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            // 2-digit area + 8 local, or 3-digit area + 7 or 8 local.
            return isDigits(number) && (10...11).contains(number.utf8.count)
        case 2:
            let area = parts[0], local = parts[1]
            guard isDigits(area), isDigits(local), (2...3).contains(area.utf8.count),
                  let localFirst = local.utf8.first, localFirst >= UInt8(ascii: "1") else { return false }
            return area.utf8.count == 2 ? local.utf8.count == 8 : (7...8).contains(local.utf8.count)
        default:
            return false
        }
    }
}
