import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HotlineDomain

/// The two formats of GeoReport v2 (docs/open311.md "Formats").
enum Open311Format: String, Sendable {
    case json, xml

    var contentType: String { self == .json ? "application/json; charset=utf-8" : "application/xml; charset=utf-8" }

    /// `name` without its `.json` or `.xml` ending, and the format it names; nil without one.
    static func split(_ name: String) -> (String, Open311Format)? {
        guard let dot = name.lastIndex(of: "."), let format = Open311Format(rawValue: String(name[name.index(after: dot)...])) else {
            return nil
        }
        return (String(name[..<dot]), format)
    }
}

extension Open311Document {
    func rendered(as format: Open311Format) -> Data {
        switch format {
        case .json: return (try? HotlineJSON.encode(Self.json(value))) ?? Data("[]".utf8)
        case .xml:
            let root = XMLElement(name: root)
            Self.append(value, to: root)
            let document = XMLDocument(rootElement: root)
            document.version = "1.0"
            document.characterEncoding = "UTF-8"
            return document.xmlData(options: [.nodeCompactEmptyElement])
        }
    }

    private static func json(_ value: Open311Value) -> JSONValue {
        switch value {
        case .string(let text): return .optional(text)
        case .number(let number): return number.map(JSONValue.number) ?? .null
        case .integer(let number): return .integer(number)
        case .bool(let flag): return .bool(flag)
        case .record(let fields): return .object(Dictionary(fields.map { ($0.name, json($0.value)) }, uniquingKeysWith: { $1 }))
        case .list(_, let items): return .array(items.map(json))
        }
    }

    /// The children (or text) of `value` under `element`.
    private static func append(_ value: Open311Value, to element: XMLElement) {
        switch value {
        case .string(let text): element.stringValue = text ?? ""
        case .number(let number): element.stringValue = number.map { "\($0)" } ?? ""
        case .integer(let number): element.stringValue = String(number)
        case .bool(let flag): element.stringValue = flag ? "true" : "false"
        case .record(let fields):
            for field in fields { element.addChild(child(field.name, field.value)) }
        case .list(let item, let items):
            for entry in items { element.addChild(child(item, entry)) }
        }
    }

    private static func child(_ name: String, _ value: Open311Value) -> XMLElement {
        let element = XMLElement(name: name)
        append(value, to: element)
        return element
    }
}
