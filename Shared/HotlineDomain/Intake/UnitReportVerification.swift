import Foundation

/// `unit.report-verification`: the street office reports its grid worker's on-site verification of a
/// held submission (PS §8(一)3: 核实属实后再予受理). Found true, intake decides the submission as any
/// other; found untrue, it is not accepted (`no_substance`).
public struct UnitReportVerification: Codable, Sendable, Hashable, CommandBody {
    public static let commandType = CommandType.unitReportVerification
    /// From `verification.requested`.
    public var verificationID: String
    /// Whether the matter is as the citizen described it (属实).
    public var verified: Bool
    /// When the grid worker verified it.
    public var verifiedAt: Date
    /// The grid worker (name or number), for the record.
    public var verifier: String
    /// What the grid worker found; required when the matter is not verified.
    public var note: String?

    public init(verificationID: String, verified: Bool, verifiedAt: Date, verifier: String, note: String? = nil) {
        self.verificationID = verificationID
        self.verified = verified
        self.verifiedAt = verifiedAt
        self.verifier = verifier
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case verificationID = "verification_id"
        case verified
        case verifiedAt = "verified_at"
        case verifier, note
    }

    /// The longest verifier and note, in characters.
    public static let maxVerifier = 64, maxNote = 1000

    public func validationProblems() -> [String] {
        var problems = required(("verification_id", verificationID), ("verifier", verifier))
        if verifier.count > Self.maxVerifier { problems.append("verifier must be at most \(Self.maxVerifier) characters") }
        if let note, note.count > Self.maxNote { problems.append("note must be at most \(Self.maxNote) characters") }
        if !verified, blank(note ?? "") { problems.append("note is required when the matter is not verified") }
        return problems
    }
}
