import Foundation

/// A unit the district has abolished or merged (`retired[]` of a jurisdiction file): it is no longer
/// among the file's units, so it gets no new assignments, and the dispatcher hands its live
/// assignments to `successor`, or to the center's manual dispatch when none is named
/// (docs/rules.md "Retired units").
public struct RetiredUnit: Codable, Sendable, Hashable {
    /// The retired unit's code.
    public var code: String
    /// The unit of the file that takes its work over.
    public var successor: String?

    public init(code: String, successor: String? = nil) {
        self.code = code
        self.successor = successor
    }
}
