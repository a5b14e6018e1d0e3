import Foundation
import HotlineRuntime
#if canImport(Glibc)
import Glibc
#endif

/// The text of a spreadsheet export, in the encoding it came in: UTF-8 (with or without a byte order
/// mark), UTF-16 with a byte order mark (Excel's "Unicode text"), or GB18030 (Excel's CSV on Chinese
/// Windows), which the C library's iconv decodes.
struct SpreadsheetText {
    let text: String
    /// The encoding found: `UTF-8`, `UTF-16` or `GB18030`.
    let encoding: String

    init(data: Data, path: String) throws {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]), let text = String(validating: bytes.dropFirst(3), as: UTF8.self) {
            (self.text, encoding) = (text, "UTF-8")
        } else if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]),
                  let text = String(data: data, encoding: .utf16) {
            (self.text, encoding) = (text, "UTF-16")
        } else if let text = String(validating: bytes, as: UTF8.self) {
            (self.text, encoding) = (text, "UTF-8")
        } else if let text = Self.gb18030(bytes) {
            (self.text, encoding) = (text, "GB18030")
        } else {
            throw ReferenceDataError("\(path): neither UTF-8, UTF-16 nor GB18030 text")
        }
    }

    /// `bytes` decoded from GB18030 (a superset of GBK and GB2312); nil when they are not.
    static func gb18030(_ bytes: [UInt8]) -> String? {
        let converter = iconv_open("UTF-8", "GB18030")
        guard converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var input = bytes.map { CChar(bitPattern: $0) }
        // Every GB18030 character (1, 2 or 4 bytes) is at most 4 bytes of UTF-8.
        var output = [CChar](repeating: 0, count: bytes.count * 2 + 4)
        let written = input.withUnsafeMutableBufferPointer { source -> Int? in
            output.withUnsafeMutableBufferPointer { target -> Int? in
                var sourcePointer = source.baseAddress
                var sourceLeft = source.count
                var targetPointer = target.baseAddress
                var targetLeft = target.count
                guard iconv(converter, &sourcePointer, &sourceLeft, &targetPointer, &targetLeft) != -1, sourceLeft == 0
                else { return nil }
                return target.count - targetLeft
            }
        }
        guard let written else { return nil }
        return String(validating: output.prefix(written).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
