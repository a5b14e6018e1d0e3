import Foundation

extension IntakeDecision {
    /// The street of a submission's location (in the jurisdiction's spelling) and its street office,
    /// whose grid worker verifies the matter on site (PS §8(一)3); nil without a street of the jurisdiction.
    public func verificationPlace(_ submission: Submission) -> (street: String, office: String)? {
        guard let street = canonical(submission.location)?.street,
              let area = areas.first(where: { $0.street == street }) else { return nil }
        return (area.street, area.office)
    }
}
