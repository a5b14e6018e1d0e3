import CLibPQ
import Foundation

/// The settings a libpq connection string gives, read by libpq itself (`PQconninfoParse`), in either
/// form: a `postgres://` URL (several hosts separated by commas) or `key=value` pairs. Environment
/// variables such as `PGSSLMODE` are not applied.
public enum ConnectionSettings {
    /// The settings given, by keyword (`host`, `sslmode`, …); throws libpq's message when the string
    /// cannot be read.
    public static func parse(_ connection: String) throws -> [String: String] {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connection, &error) else {
            defer { if let error { PQfreemem(error) } }
            let message = error.map { String(cString: $0) } ?? "out of memory"
            throw DatabaseError(
                sqlState: nil, message: message.trimmingCharacters(in: .whitespacesAndNewlines), isConnectionFailure: false)
        }
        defer { PQconninfoFree(options) }
        var settings: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { settings[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        return settings
    }
}
