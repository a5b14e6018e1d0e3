/// U+0000 cannot be stored by PostgreSQL in `text` or `jsonb`, and C strings end at it: a message
/// holding one anywhere is refused with the path of each string that does (docs/contract.md,
/// problem `must not contain NUL characters`).
extension JSONValue {
    /// The problem phrase for a string or key holding U+0000.
    public static let nulProblem = "must not contain NUL characters"

    /// The dotted paths (`description`, `demands[1].note`; `body` for the value itself) of the
    /// strings and object keys holding U+0000. A key's own NUL is written `\u0000` in its path.
    public func pathsWithNUL(at path: String = "") -> [String] {
        func child(_ key: String) -> String {
            let key = key.replacingNUL
            return path.isEmpty ? key : path + "." + key
        }
        switch self {
        case .string(let text):
            return text.containsNUL ? [path.isEmpty ? "body" : path] : []
        case .array(let items):
            return items.enumerated().flatMap { index, item in item.pathsWithNUL(at: "\(path)[\(index)]") }
        case .object(let fields):
            return fields.sorted { $0.key < $1.key }.flatMap { key, value in
                (key.containsNUL ? [child(key)] : []) + value.pathsWithNUL(at: child(key))
            }
        case .null, .bool, .number:
            return []
        }
    }
}

extension String {
    /// Whether the text holds U+0000.
    public var containsNUL: Bool { utf8.contains(0) }

    /// The text with each U+0000 written as `\u0000`.
    var replacingNUL: String { containsNUL ? split(separator: "\u{0}", omittingEmptySubsequences: false).joined(separator: "\\u0000") : self }
}
