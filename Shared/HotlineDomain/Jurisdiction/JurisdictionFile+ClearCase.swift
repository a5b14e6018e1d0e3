import Foundation

extension JurisdictionFile {
    /// A clear case (PS §9: 职责明确、管辖清晰): the ticket's category is an item of the duty catalogue whose
    /// owner is a unit of the jurisdiction, or, for a territorial item, the street office of a street
    /// the jurisdiction knows. The center dispatches it within `dispatch.clear_case_within`.
    public func isClearCase(category: String?, street: String?) -> Bool {
        guard let category, let item = dutyCatalogue.item(code: category) else { return false }
        switch item.owner {
        case .unit(let code): return unit(code) != nil
        case .territorial: return street.flatMap(streetOffice(of:)) != nil
        }
    }
}
