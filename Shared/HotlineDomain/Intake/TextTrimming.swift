/// Trimming as the rules read free text: scalar by scalar in Swift, the same result as Foundation's
/// `trimmingCharacters(in: .whitespacesAndNewlines)` at a fraction of its cost (it bridges to
/// `NSString` on Linux).
extension String {
    /// Without leading and trailing whitespace and newlines.
    public var trimmingWhitespace: String { trimming(\.isWhitespace) }

    /// Without leading and trailing whitespace, newlines and punctuation (Unicode category P).
    public var trimmingWhitespaceAndPunctuation: String { trimming { $0.isWhitespace || $0.isPunctuation } }

    private func trimming(_ trimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !trimmed($0) }),
              let last = scalars.lastIndex(where: { !trimmed($0) })
        else { return "" }
        if first == scalars.startIndex, last == scalars.index(before: scalars.endIndex) { return self }
        return String(Substring(scalars[first...last]))
    }
}

extension Unicode.Scalar {
    /// Foundation's whitespace and newlines: Unicode White_Space and the zero-width space.
    var isWhitespace: Bool { properties.isWhitespace || value == 0x200B }

    var isPunctuation: Bool {
        switch properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation:
            true
        default:
            false
        }
    }
}
