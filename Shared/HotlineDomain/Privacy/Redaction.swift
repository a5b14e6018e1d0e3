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
        let zero = UInt8(ascii: "0"), dash = UInt8(ascii: "-")
        let utf8 = text.utf8
        var masked: [Range<Int>] = []
        // One pass over the digit runs, keeping the one before (a landline's area code).
        var previous: (start: Int, length: Int, first: UInt8)?
        var run: (start: Int, length: Int, first: UInt8, second: UInt8, third: UInt8, fourth: UInt8, fifth: UInt8)?
        func close(_ end: Int) {
            guard let current = run else { return }
            run = nil
            let mobile: Int? = switch current.length {
            case 11 where current.first == UInt8(ascii: "1"): current.start
            case 13 where current.first == UInt8(ascii: "8") && current.second == UInt8(ascii: "6") && current.third == UInt8(ascii: "1"):
                current.start + 2
            case 15 where current.first == zero && current.second == zero && current.third == UInt8(ascii: "8")
                && current.fourth == UInt8(ascii: "6") && current.fifth == UInt8(ascii: "1"):
                current.start + 4
            default: nil
            }
            if let mobile {
                masked.append(mobile + 3..<mobile + 7)
            } else if (7...8).contains(current.length), let area = previous, area.start + area.length == current.start - 1,
                      (3...4).contains(area.length), area.first == zero
            {
                masked.append(current.start..<end - 4)
            }
            previous = (current.start, current.length, current.first)
        }
        var offset = 0
        var afterDash = false
        for byte in utf8 {
            if byte >= zero && byte <= zero + 9 {
                if var current = run {
                    switch current.length {
                    case 1: current.second = byte
                    case 2: current.third = byte
                    case 3: current.fourth = byte
                    case 4: current.fifth = byte
                    default: break
                    }
                    current.length += 1
                    run = current
                } else {
                    // A run not right after `-` cannot be a landline's number: forget the area code.
                    if !afterDash { previous = nil }
                    run = (offset, 1, byte, 0, 0, 0, 0)
                }
            } else {
                close(offset)
                if byte != dash { previous = nil }
                afterDash = byte == dash
            }
            offset += 1
        }
        close(offset)
        guard !masked.isEmpty else { return text }
        var bytes = Array(utf8)
        for range in masked {
            for i in range { bytes[i] = UInt8(ascii: "*") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
