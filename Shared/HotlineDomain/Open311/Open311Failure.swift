/// A request the API refuses: its HTTP status and the standard's error array, one entry per problem
/// (docs/open311.md "Formats").
public struct Open311Failure: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var descriptions: [String]

    public init(_ status: Int, _ descriptions: [String]) {
        self.status = status
        self.descriptions = descriptions
    }

    public init(_ status: Int, _ description: String) { self.init(status, [description]) }

    public static func notFound(_ what: String) -> Open311Failure { Open311Failure(404, what) }

    /// `[{"code": status, "description": …}, …]`.
    public var answer: Open311Answer {
        Open311Answer(
            status: status,
            document: .list("errors", item: "error", descriptions.map { [Open311Field("code", .integer(status)), .text("description", $0)] }))
    }

    public var description: String { "\(status): " + descriptions.joined(separator: "; ") }
}
