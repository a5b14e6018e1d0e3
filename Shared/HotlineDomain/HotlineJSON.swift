import Foundation

/// The JSON conventions of the wire contract: snake_case keys (spelled out in each type's
/// `CodingKeys`), RFC 3339 times with an offset, sorted keys for stable output.
public enum HotlineJSON {
    /// The offset that times are written in: China Standard Time (+08:00).
    public static let outputTimeZone = TimeZone(identifier: "Asia/Shanghai")!

    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.string(from: date))
        }
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.date(from: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "not an RFC 3339 time with an offset: \(text)")
            }
            return date
        }
        return decoder
    }

    public static func encode<T: Encodable>(_ value: T) throws -> Data { try encoder().encode(value) }
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try decoder().decode(type, from: data)
    }
}

/// RFC 3339 times: parsing requires an explicit offset (`Z` or `±hh:mm`); output uses +08:00.
public enum RFC3339 {
    public static func date(from text: String) -> Date? {
        // Fast structural check so that "2026-11-23T09:15:00" (no offset) is refused.
        guard text.count >= 20 else { return nil }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    public static func string(from date: Date, timeZone: TimeZone = HotlineJSON.outputTimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = timeZone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
