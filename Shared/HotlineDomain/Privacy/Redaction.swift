import Foundation

/// Masking of personal data in free text.
public enum Redaction {
    /// A phone number for lists: its first three and last four characters, the rest as `*`
    /// (`138****8000`); a number of seven characters or fewer keeps only its last two.
    public static func maskPhone(_ phone: String) -> String {
        let characters = Array(phone)
        guard characters.count > 7 else {
            return String(repeating: "*", count: max(0, characters.count - 2)) + String(characters.suffix(2))
        }
        return String(characters.prefix(3)) + String(repeating: "*", count: characters.count - 7) + String(characters.suffix(4))
    }

    /// Replaces the middle digits of the phone numbers in `text`, in every form intake accepts
    /// (`MainlandPhoneNumber`): a mobile number (eleven digits from 1: `138****8000`), a landline with
    /// its area code, joined by `-` or not (`0755-****5678`, `075*****5678`), and either after `86`,
    /// `+86` or `0086`, joined or written apart with a space or `-` (`+86 755****5678`,
    /// `+86-10-****5678`). Text without one is returned as it is, without a copy.
    public static func maskPhoneNumbers(_ text: String) -> String {
        var scanner = PhoneScanner()
        var masked: [Range<Int>] = []
        var offset = 0
        for byte in text.utf8 {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                scanner.digit(byte, at: offset)
            } else {
                if scanner.length > 0 { scanner.endRun(at: offset, masking: &masked) }
                scanner.separator(byte)
            }
            offset += 1
        }
        if scanner.length > 0 { scanner.endRun(at: offset, masking: &masked) }
        guard !masked.isEmpty else { return text }
        var bytes = Array(text.utf8)
        for range in masked {
            for i in range { bytes[i] = UInt8(ascii: "*") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A message body as sent, for people who may not see phone numbers (a dead letter): the value
    /// of every `phone` field (or one ending in `_phone`), in whatever form it was written, masked as
    /// `maskPhone` masks it, and every other phone number as `maskPhoneNumbers` does.
    public static func maskPhones(inJSON text: String) -> String {
        var phones: Set<String> = []
        func collect(_ value: JSONValue, key: String?) {
            switch value {
            case .object(let fields): for (name, field) in fields { collect(field, key: name) }
            case .array(let items): for item in items { collect(item, key: key) }
            case .string(let phone) where key == "phone" || key?.hasSuffix("_phone") == true:
                if phone.contains(where: \.isNumber) { phones.insert(phone) }
            default: break
            }
        }
        if let value = try? JSONValue.parse(Data(text.utf8)) { collect(value, key: nil) }
        var masked = text
        for phone in phones { masked = masked.replacingOccurrences(of: "\"\(phone)\"", with: "\"\(maskPhone(phone))\"") }
        return maskPhoneNumbers(masked)
    }

    /// One pass over a text's digit runs, noting the digits of phone numbers to mask.
    private struct PhoneScanner {
        /// What a digit run may be the first part of.
        enum Part { case none, countryCode, areaCode }

        /// The run being read: where it starts, its length, its first five digits as a number.
        var start = 0, length = 0, head = 0
        /// What the run before it was, when only one joiner stands between them.
        var previous = Part.none
        /// What the last run was, and the bytes since it.
        var last = Part.none, gap = 0, joiner: UInt8 = 0

        @inline(__always) mutating func separator(_ byte: UInt8) {
            gap += 1
            joiner = byte
        }

        @inline(__always) mutating func digit(_ byte: UInt8, at offset: Int) {
            if length == 0 {
                start = offset
                head = 0
                // An area code is joined to its number by `-`; a country code by `-`, a space or nothing.
                let joined = gap == 1 && (joiner == UInt8(ascii: "-") || (joiner == UInt8(ascii: " ") && last == .countryCode))
                previous = joined ? last : .none
                gap = 0
            }
            if length < 5 { head = head * 10 + Int(byte - UInt8(ascii: "0")) }
            length += 1
        }

        @inline(__always) mutating func endRun(at end: Int, masking masked: inout [Range<Int>]) {
            // `head` holds the first five digits (all of a shorter run): it starts with 0 when it is
            // below 10^(digits - 1).
            var power = 1
            for _ in 1..<min(length, 5) { power *= 10 }
            let fromZero = head < power
            switch length {
            case 11 where head / 10_000 == 1: masked.append(start + 3..<end - 4)               // 1xxxxxxxxxx
            case 11...12 where fromZero: masked.append(start + 3..<end - 4)                    // 0755xxxxxxxx
            case 10...11 where previous == .countryCode: masked.append(start + 3..<end - 4)    // +86 755xxxxxxxx
            case 12...13 where head / 1000 == 86: masked.append(start + 5..<end - 4)           // 86 + 1xxxxxxxxxx or 755xxxxxxxx
            case 14...15 where head / 10 == 86: masked.append(start + 7..<end - 4)             // 0086 + the same
            case 7...8 where previous == .areaCode: masked.append(start..<end - 4)            // 0755-xxxxxxxx
            default: break
            }
            if (length == 2 || length == 4) && head == 86 {
                last = .countryCode                                                            // 86, 0086
            } else if (3...4).contains(length) && fromZero || (2...3).contains(length) && !fromZero && previous == .countryCode {
                last = .areaCode                                                               // 0755, or 755 after +86
            } else {
                last = .none
            }
            length = 0
        }
    }
}
