import Foundation

/// One problem with one field of a message: an item of `submission.invalid`'s `errors`.
///
/// `field` is a dotted path (`citizen.phone`, `demands[1].description`), or `body` for the message as a
/// whole; `problem` is a short English phrase (`required`, `in the future`, …).
public struct FieldProblem: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The dotted path of the field, or `body`.
    public var field: String
    /// What is wrong with it.
    public var problem: String

    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    enum CodingKeys: String, CodingKey {
        case field, problem
    }

    public var description: String { "\(field): \(problem)" }
}
