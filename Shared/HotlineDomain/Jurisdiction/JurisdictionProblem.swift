import Foundation

/// One problem found by `JurisdictionFile.validate()` or `validate(under:)`.
public struct JurisdictionProblem: Sendable, Hashable, CustomStringConvertible {
    public var kind: Kind
    /// Where: `units[3].code`, `catalogue[CG-001].owner`…
    public var path: String
    public var message: String

    public init(kind: Kind, path: String, message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    /// Problem kinds.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case unknownTimeZone = "unknown_time_zone"
        case blankField = "blank_field"
        case invalidUnitCode = "invalid_unit_code"
        case duplicateUnitCode = "duplicate_unit_code"
        case missingHead = "missing_head"
        case unknownOfficeUnit = "unknown_office_unit"
        case officeNotStreetOffice = "office_not_street_office"
        case duplicateStreet = "duplicate_street"
        case unknownWarningUnit = "unknown_warning_unit"
        case duplicateItemCode = "duplicate_item_code"
        case unknownOwner = "unknown_owner"
        case unknownCoUnit = "unknown_co_unit"
        case coUnitIsOwner = "co_unit_is_owner"
        case duplicateCoUnit = "duplicate_co_unit"
        case emptyKeywords = "empty_keywords"
        case blankKeyword = "blank_keyword"
        case invalidWorkingDays = "invalid_working_days"
        case unfoundedHandlingLimit = "unfounded_handling_limit"
        case territorialWithoutAreas = "territorial_without_areas"
        case retiredUnitListed = "retired_unit_listed"
        case unknownSuccessor = "unknown_successor"
        case invalidTransfer = "invalid_transfer"
        case committeeResponsible = "committee_responsible"
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}
