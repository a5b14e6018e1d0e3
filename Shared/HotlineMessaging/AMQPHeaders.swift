import CRabbitMQ
import Foundation

/// A value of an AMQP field table (message headers such as `x-death`).
public indirect enum AMQPHeaderValue: Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case timestamp(Date)
    case table([(key: String, value: AMQPHeaderValue)])
    case array([AMQPHeaderValue])
    case bytes([UInt8])
    case void

    public static func == (lhs: AMQPHeaderValue, rhs: AMQPHeaderValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.double(let a), .double(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.timestamp(let a), .timestamp(let b)): a == b
        case (.table(let a), .table(let b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        case (.array(let a), .array(let b)): a == b
        case (.bytes(let a), .bytes(let b)): a == b
        case (.void, .void): true
        default: false
        }
    }

    public var stringValue: String? {
        switch self {
        case .string(let text): text
        case .bytes(let bytes): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }

    public var intValue: Int64? {
        if case .int(let number) = self { return number }
        return nil
    }

    public subscript(key: String) -> AMQPHeaderValue? {
        if case .table(let entries) = self { return entries.first { $0.key == key }?.value }
        return nil
    }

    public var description: String {
        switch self {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .bool(let flag): return String(flag)
        case .timestamp(let date): return ISO8601DateFormatter().string(from: date)
        case .table(let entries): return "{" + entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .array(let values): return "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .bytes(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .void: return "null"
        }
    }
}

/// Reading the headers table of a message's properties.
enum AMQPHeaders {
    static func decode(_ properties: amqp_basic_properties_t) -> [(key: String, value: AMQPHeaderValue)] {
        guard properties._flags & HOTLINE_FLAG_HEADERS != 0 else { return [] }
        return decode(table: properties.headers)
    }

    /// The quorum queue's `x-delivery-count` (deliveries before this one), when present.
    static func deliveryCount(_ properties: amqp_basic_properties_t) -> Int? {
        guard let value = decode(properties).first(where: { $0.key == "x-delivery-count" })?.value.intValue else { return nil }
        return Int(value)
    }

    static func decode(table: amqp_table_t) -> [(key: String, value: AMQPHeaderValue)] {
        guard table.num_entries > 0, let entries = table.entries else { return [] }
        return (0..<Int(table.num_entries)).map { index in
            let entry = entries[index]
            return (string(entry.key), decode(value: entry.value))
        }
    }

    static func decode(value: amqp_field_value_t) -> AMQPHeaderValue {
        switch Int(value.kind) {
        case Int(AMQP_FIELD_KIND_UTF8.rawValue): return .string(string(value.value.bytes))
        case Int(AMQP_FIELD_KIND_BYTES.rawValue):
            let bytes = value.value.bytes
            guard bytes.len > 0, let pointer = bytes.bytes else { return .bytes([]) }
            return .bytes(Array(UnsafeRawBufferPointer(start: pointer, count: bytes.len)))
        case Int(AMQP_FIELD_KIND_BOOLEAN.rawValue): return .bool(value.value.boolean != 0)
        case Int(AMQP_FIELD_KIND_I8.rawValue): return .int(Int64(value.value.i8))
        case Int(AMQP_FIELD_KIND_U8.rawValue): return .int(Int64(value.value.u8))
        case Int(AMQP_FIELD_KIND_I16.rawValue): return .int(Int64(value.value.i16))
        case Int(AMQP_FIELD_KIND_U16.rawValue): return .int(Int64(value.value.u16))
        case Int(AMQP_FIELD_KIND_I32.rawValue): return .int(Int64(value.value.i32))
        case Int(AMQP_FIELD_KIND_U32.rawValue): return .int(Int64(value.value.u32))
        case Int(AMQP_FIELD_KIND_I64.rawValue): return .int(value.value.i64)
        case Int(AMQP_FIELD_KIND_U64.rawValue): return .int(Int64(clamping: value.value.u64))
        case Int(AMQP_FIELD_KIND_F32.rawValue): return .double(Double(value.value.f32))
        case Int(AMQP_FIELD_KIND_F64.rawValue): return .double(value.value.f64)
        case Int(AMQP_FIELD_KIND_TIMESTAMP.rawValue):
            return .timestamp(Date(timeIntervalSince1970: TimeInterval(value.value.u64)))
        case Int(AMQP_FIELD_KIND_TABLE.rawValue): return .table(decode(table: value.value.table))
        case Int(AMQP_FIELD_KIND_ARRAY.rawValue):
            let array = value.value.array
            guard array.num_entries > 0, let entries = array.entries else { return .array([]) }
            return .array((0..<Int(array.num_entries)).map { decode(value: entries[$0]) })
        default: return .void
        }
    }
}
