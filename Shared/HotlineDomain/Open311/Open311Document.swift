import Foundation

/// A GeoReport v2 answer as a tree, which the open311 service writes as JSON or as XML with the
/// standard's element names (docs/open311.md "Formats").
public struct Open311Document: Sendable, Equatable {
    /// The XML root element (`services`, `service_definition`, `service_requests`, `errors`).
    public var root: String
    public var value: Open311Value

    public init(root: String, value: Open311Value) {
        self.root = root
        self.value = value
    }

    /// A list document: `<root><item>…</item>…</root>` in XML, an array in JSON.
    public static func list(_ root: String, item: String, _ records: [[Open311Field]]) -> Open311Document {
        Open311Document(root: root, value: .list(item: item, records.map(Open311Value.record)))
    }
}

/// A value of a GeoReport v2 document.
public indirect enum Open311Value: Sendable, Equatable {
    /// Text; `null` in JSON and an empty element in XML when absent.
    case string(String?)
    case number(Double?)
    case integer(Int)
    case bool(Bool)
    /// An object in JSON; in XML an element per field, in order.
    case record([Open311Field])
    /// An array in JSON; in XML an element named `item` per entry.
    case list(item: String, [Open311Value])
}

/// A named value of a record.
public struct Open311Field: Sendable, Equatable {
    public var name: String
    public var value: Open311Value

    public init(_ name: String, _ value: Open311Value) {
        self.name = name
        self.value = value
    }

    public static func text(_ name: String, _ value: String?) -> Open311Field { Open311Field(name, .string(value)) }
}

/// A GeoReport v2 answer with its HTTP status.
public struct Open311Answer: Sendable, Equatable {
    public var status: Int
    public var document: Open311Document

    public init(status: Int, document: Open311Document) {
        self.status = status
        self.document = document
    }
}
