import Foundation

/// The knowledge base's identifiers: entries `KB-000042`, corrections `KB-000042-C1` (the entry's
/// first correction), so that a correction names its entry.
public enum KnowledgeNaming {
    /// An entry's id from its number.
    public static func knowledgeID(number: Int) -> String {
        "KB-" + String(repeating: "0", count: max(0, 6 - String(number).count)) + String(number)
    }

    /// The `n`th correction of an entry.
    public static func correctionID(knowledgeID: String, number: Int) -> String { "\(knowledgeID)-C\(number)" }

    /// The entry a correction id names; nil for anything else.
    public static func knowledgeID(ofCorrection correctionID: String) -> String? {
        guard let marker = correctionID.range(of: "-C", options: .backwards),
              !correctionID[marker.upperBound...].isEmpty,
              correctionID[marker.upperBound...].allSatisfy(\.isASCIIDigit)
        else { return nil }
        return String(correctionID[..<marker.lowerBound])
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
