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

    public static func encode<T: Encodable>(_ value: T) throws -> Data { try sharedEncoder.encode(value) }

    /// `value` indented for people (the operator tool's `--json` output), with the same conventions.
    public static func pretty<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try prettyEncoder.encode(value), as: UTF8.self)
    }
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try sharedDecoder.decode(type, from: data)
    }

    /// One of each for `encode` and `decode` (they keep no state between calls and are thread-safe).
    private static let sharedEncoder = encoder()
    private static let sharedDecoder = decoder()
    private static let prettyEncoder: JSONEncoder = {
        let pretty = HotlineJSON.encoder()
        pretty.outputFormatting.insert(.prettyPrinted)
        return pretty
    }()
}

/// RFC 3339 times: parsing requires an explicit offset (`Z` or `±hh:mm`); output uses +08:00.
public enum RFC3339 {
    public static func date(from text: String) -> Date? { strictDate(from: text) }

    /// Whole seconds in the zone's offset at that instant (`Z` for UTC).
    public static func string(from date: Date, timeZone: TimeZone = HotlineJSON.outputTimeZone) -> String {
        EventTime.string(date, offsetSeconds: offset(of: timeZone, at: date))
    }

    /// UTC with milliseconds, `2026-11-23T01:15:00.250Z`: for logs and state the platform keeps for itself.
    public static func preciseString(from date: Date) -> String {
        EventTime.string(date, offsetSeconds: 0, milliseconds: true)
    }

    /// China Standard Time has had one offset since 1992; other zones ask Foundation.
    private static func offset(of timeZone: TimeZone, at date: Date) -> Int {
        if timeZone == HotlineJSON.outputTimeZone, date.timeIntervalSince1970 > 700_000_000 { return 8 * 3600 }
        return timeZone.secondsFromGMT(for: date)
    }
}
