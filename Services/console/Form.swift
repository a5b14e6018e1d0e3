import Foundation
import HotlineDomain
import Hummingbird

/// A submitted `application/x-www-form-urlencoded` form, or a query string.
struct Form: Sendable {
    /// Each field's values in order (a multiple `<select>` sends several).
    private(set) var fields: [String: [String]]

    static let maximumBody = 64 * 1024

    init(_ request: Request) async throws {
        let buffer = try await request.body.collect(upTo: Self.maximumBody)
        self.init(encoded: String(buffer: buffer))
    }

    init(query request: Request) {
        self.init(encoded: request.uri.query ?? "")
    }

    init(encoded: String) {
        var fields: [String: [String]] = [:]
        for (name, value) in FormEncoding.pairs(encoded) { fields[name, default: []].append(value) }
        self.fields = fields
    }

    mutating func remove(_ name: String) { fields[name] = nil }

    /// The field's first value trimmed, nil when absent or blank.
    subscript(_ name: String) -> String? { values(name).first }

    /// The field's values trimmed, blank ones left out.
    func values(_ name: String) -> [String] {
        (fields[name] ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}
