import Foundation

/// One row of a result, read by column name.
public struct PostgresRow: Sendable {
    let columns: [String: Int]
    let values: [String?]

    /// The column's raw text, or nil for SQL NULL. A column not in the result is a programming error.
    public subscript(column: String) -> String? {
        guard let index = columns[column] else {
            preconditionFailure("no column \(column) in result (have \(columns.keys.sorted()))")
        }
        return values[index]
    }

    /// The column decoded as `T`; throws on NULL or on text that does not parse as `T`.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let text = self[column] else {
            throw DatabaseError(sqlState: nil, message: "column \(column) is NULL, expected \(T.self)")
        }
        guard let value = T(postgresText: text) else {
            throw DatabaseError(sqlState: nil, message: "column \(column) does not decode as \(T.self)")
        }
        return value
    }

    /// The column decoded as `T`, or nil for NULL.
    public func decodeIfPresent<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T? {
        guard self[column] != nil else { return nil }
        return try decode(column, as: type)
    }
}
