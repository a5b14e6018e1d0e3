import Foundation

/// The outcome of matching a description against the duty catalogue.
public enum CatalogueMatch: Sendable, Hashable {
    /// One item matched best, by these keywords.
    case item(code: String, matchedKeywords: [String])
    /// Several items matched equally well (codes in catalogue order): a human decides.
    case tie([String])
    /// No keyword matched.
    case none
}
