import Foundation

/// Why an operator did not accept a demand (不予受理, PS §8(二), ZS §13-14, PL §7): the contract's
/// reason codes for `not_accepted.reason` and `ticket.rejected`.
public enum NonAcceptanceReason: String, Codable, Sendable, CaseIterable {
    /// Outside the jurisdiction.
    case outOfJurisdiction = "out_of_jurisdiction"
    /// Belongs to party, NPC, CPPCC, courts, procuratorates, discipline bodies or the army.
    case otherAuthority = "other_authority"
    /// In or due for litigation, arbitration, administrative review or information disclosure.
    case legalProcedure = "legal_procedure"
    /// A petition (信访) matter.
    case petition
    /// State secrets, trade secrets or privacy.
    case secretOrPrivacy = "secret_or_privacy"
    /// Unlawful or against public order.
    case unlawful
    /// No substantive content, or cannot be verified.
    case noSubstance = "no_substance"
    /// Same facts and reasons as a ticket in progress.
    case duplicateInProgress = "duplicate_in_progress"
    /// Same matter as a concluded one, without new facts (PS §15(六)).
    case concludedMatter = "concluded_matter"
    /// An emergency for 110/119/120/122: the citizen is redirected (ZS §13(一)).
    case emergencyRedirect = "emergency_redirect"
    /// Anonymous, asserting the caller's own rights: cannot be verified (PL §7(十)).
    case unverifiableAnonymous = "unverifiable_anonymous"
    /// Any other reason, explained in the note.
    case other
}
