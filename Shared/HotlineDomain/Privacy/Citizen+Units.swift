import Foundation

extension Citizen {
    /// The citizen as the units handling the ticket see them (`assignment.created`): an anonymous
    /// citizen's name and phone never reach a unit, which must not learn who complained about it
    /// (PS §24, PL §33); the platform keeps them for its own SMS to the citizen.
    public var asSeenByUnits: Citizen {
        anonymous ? Citizen(anonymous: true, callback: callback) : self
    }
}
