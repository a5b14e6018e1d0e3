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

    /// Replaces the middle digits of the phone numbers in `text`: a mobile number (a run of exactly
    /// eleven digits that starts with 1, also written `86…`, `+86…` or `0086…`: `138****8000`) and a
    /// landline written with its area code (`0755-****5678`). Text without one is returned as it is,
    /// without a copy.
    public static func maskPhoneNumbers(_ text: String) -> String {
        var scanner = PhoneScanner()
        var masked: [Range<Int>] = []
        var offset = 0
        for byte in text.utf8 {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                scanner.digit(byte, at: offset)
            } else {
                if scanner.length > 0 { scanner.endRun(at: offset, masking: &masked) }
                scanner.afterDash = byte == UInt8(ascii: "-")
                if !scanner.afterDash { scanner.areaLength = 0 }
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

    /// One pass over a text's digit runs, noting the digits of phone numbers to mask.
    private struct PhoneScanner {
        /// The run being read: where it starts, its length, its first five digits as a number.
        var start = 0, length = 0, head = 0
        /// The run before it, when only `-` stands between them (a landline's area code).
        var areaLength = 0, areaFromZero = false, afterDash = false

        @inline(__always) mutating func digit(_ byte: UInt8, at offset: Int) {
            if length == 0 {
                start = offset
                head = 0
                if !afterDash { areaLength = 0 }
            }
            if length < 5 { head = head * 10 + Int(byte - UInt8(ascii: "0")) }
            length += 1
        }

        @inline(__always) mutating func endRun(at end: Int, masking masked: inout [Range<Int>]) {
            switch length {
            case 3, 4:                                                                       // an area code?
                areaFromZero = head < (length == 3 ? 100 : 1000)
            case 11 where head / 10_000 == 1: masked.append(start + 3..<start + 7)           // 1xxxxxxxxxx
            case 13 where head / 100 == 861: masked.append(start + 5..<start + 9)            // 861xxxxxxxxxx
            case 15 where head == 861: masked.append(start + 7..<start + 11)                 // 00861xxxxxxxxxx
            case 7...8 where afterDash && areaLength > 0 && areaFromZero:                   // 0xx(x)-xxxxxxx(x)
                masked.append(start..<end - 4)
            default: break
            }
            areaLength = length == 3 || length == 4 ? length : 0
            length = 0
        }
    }
}
