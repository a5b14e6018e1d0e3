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

    /// Replaces the middle digits of 11-digit mobile numbers (a run of exactly eleven digits that starts
    /// with 1): `138****8000`. Text without one is returned as it is, without a copy.
    public static func maskPhoneNumbers(_ text: String) -> String {
        var starts: [Int] = []
        var offset = 0
        var runStart = 0
        var runLength = 0
        var first: UInt8 = 0
        for byte in text.utf8 {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if runLength == 0 { runStart = offset; first = byte }
                runLength += 1
            } else {
                if runLength == 11 && first == UInt8(ascii: "1") { starts.append(runStart) }
                runLength = 0
            }
            offset += 1
        }
        if runLength == 11 && first == UInt8(ascii: "1") { starts.append(runStart) }
        guard !starts.isEmpty else { return text }
        var bytes = Array(text.utf8)
        for start in starts {
            for i in start + 3..<start + 7 { bytes[i] = UInt8(ascii: "*") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
