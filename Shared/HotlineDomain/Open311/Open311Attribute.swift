/// An attribute of a service definition (docs/open311.md "Services"): what a request of the service
/// may say beyond the standard fields, and where it goes in the submission.
public struct Open311Attribute: Sendable, Equatable {
    /// GeoReport v2's data types.
    public enum DataType: String, Sendable {
        case string, number, datetime, text, singlevaluelist, multivaluelist
    }

    public var code: String
    public var datatype: DataType
    /// False for an informational attribute, which a request does not fill in.
    public var variable: Bool
    public var description: String
    /// The keys and names of a list's values.
    public var values: [(key: String, name: String)]

    public init(code: String, datatype: DataType, variable: Bool = true, description: String, values: [(key: String, name: String)] = []) {
        self.code = code
        self.datatype = datatype
        self.variable = variable
        self.description = description
        self.values = values
    }

    public static func == (lhs: Open311Attribute, rhs: Open311Attribute) -> Bool {
        lhs.code == rhs.code && lhs.datatype == rhs.datatype && lhs.variable == rhs.variable && lhs.description == rhs.description
            && lhs.values.map(\.key) == rhs.values.map(\.key) && lhs.values.map(\.name) == rhs.values.map(\.name)
    }

    /// The attribute as a definition lists it, `order` counting from 1.
    func fields(order: Int) -> [Open311Field] {
        var fields: [Open311Field] = [
            Open311Field("variable", .bool(variable)), .text("code", code), .text("datatype", datatype.rawValue),
            Open311Field("required", .bool(false)), .text("datatype_description", nil), Open311Field("order", .integer(order)),
            .text("description", description),
        ]
        if !values.isEmpty {
            fields.append(Open311Field("values", .list(item: "value", values.map { .record([.text("key", $0.key), .text("name", $0.name)]) })))
        }
        return fields
    }

    /// Why `value` cannot be this attribute's, or nil.
    func problem(with value: String) -> String? {
        guard variable else { return "attribute[\(code)]: informational, not to be given" }
        if datatype == .singlevaluelist, !values.contains(where: { $0.key == value }) {
            return "attribute[\(code)]: not one of " + values.map(\.key).joined(separator: ", ")
        }
        return nil
    }
}
