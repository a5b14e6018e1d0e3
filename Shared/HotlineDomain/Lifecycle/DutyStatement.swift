import Foundation

/// A unit's written statement of duty performed (书面履责意见, PL §19(三)): with a re-handling's
/// resolution, where the matter could not be settled for reasons beyond the unit (the law, policy,
/// expectations beyond them), the unit's head states what was done and signs it. The center sees it
/// with the resolution; the reply still explains it to the citizen.
public struct DutyStatement: Codable, Sendable, Hashable {
    /// What the unit did, and why the matter cannot be settled further.
    public var statement: String
    /// The head who signed it (负责人).
    public var signedBy: String
    /// When it was signed.
    public var signedAt: Date

    public init(statement: String, signedBy: String, signedAt: Date) {
        self.statement = statement
        self.signedBy = signedBy
        self.signedAt = signedAt
    }

    enum CodingKeys: String, CodingKey {
        case statement
        case signedBy = "signed_by"
        case signedAt = "signed_at"
    }

    /// The longest statement and name, in characters.
    public static let maxStatement = 4_000, maxName = 64

    /// What is wrong with its fields, as phrases (empty when fine).
    public var problems: [String] {
        var problems: [String] = []
        if statement.allSatisfy(\.isWhitespace) { problems.append("duty_statement.statement must not be blank") }
        if signedBy.allSatisfy(\.isWhitespace) { problems.append("duty_statement.signed_by must not be blank") }
        if statement.count > Self.maxStatement { problems.append("duty_statement.statement must be at most \(Self.maxStatement) characters") }
        if signedBy.count > Self.maxName { problems.append("duty_statement.signed_by must be at most \(Self.maxName) characters") }
        return problems
    }

    /// Why a resolution may not carry a statement, or nil: the profile must take them
    /// (`handling.duty_statement_on_rehandling`) and the assignment must be re-handled (reopened).
    /// (`signed_at` is checked like every time a unit reports: `ReportedTime`.)
    public static func refusal(acceptedByProfile: Bool, rehandling: Bool) -> CommandRefusal? {
        guard acceptedByProfile else {
            return CommandRefusal(
                .notAllowed, "this profile takes no statement of duty performed (duty_statement)",
                rule: "handling.duty_statement_on_rehandling")
        }
        guard rehandling else {
            return CommandRefusal(
                .notAllowed, "a statement of duty performed goes with the resolution of a re-handling (PL §19(三)); this assignment was not reopened")
        }
        return nil
    }
}
