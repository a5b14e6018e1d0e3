import HotlineDomain
import HotlineMessaging

extension AMQPHeaderValue {
    /// The header as JSON for the dead letters' detail: timestamps as RFC 3339 strings, bytes as text.
    public var jsonValue: JSONValue {
        switch self {
        case .string(let text): return .string(text)
        case .int(let number): return .number(Double(number))
        case .double(let number): return .number(number)
        case .bool(let flag): return .bool(flag)
        case .timestamp(let date): return .string(RFC3339.string(from: date))
        case .table(let entries): return .object(Dictionary(entries.map { ($0.key, $0.value.jsonValue) }, uniquingKeysWith: { $1 }))
        case .array(let values): return .array(values.map(\.jsonValue))
        case .bytes(let bytes): return .string(String(decoding: bytes, as: UTF8.self))
        case .void: return .null
        }
    }
}
