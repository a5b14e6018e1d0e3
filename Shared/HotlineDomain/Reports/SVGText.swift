/// What the charts need to write SVG by hand: XML escaping, numbers without locale, text width estimates.
enum SVGText {
    /// `text` safe in XML character data and in quoted attribute values: `& < > " '` escaped, and the
    /// control characters XML 1.0 forbids dropped.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                guard scalar.value >= 0x20, scalar.value != 0xFFFE, scalar.value != 0xFFFF else { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `<name a="v" …/>`, or `<name …>text children</name>`: attribute values and `text` escaped,
    /// `children` (already markup) as given.
    static func element(
        _ name: String, _ attributes: KeyValuePairs<String, String> = [:], text: String? = nil, children: [String] = []
    ) -> String {
        let opening = name + attributes.map { " \($0.key)=\"\(escaped($0.value))\"" }.joined()
        guard text != nil || !children.isEmpty else { return "<\(opening)/>" }
        let lines = children.count > 1 ? "\n" : ""
        let inner = (text.map(escaped) ?? "") + lines + children.joined(separator: "\n") + lines
        return "<\(opening)>\(inner)</\(name)>"
    }

    /// A whole chart: an `<svg>` of `width` × `height` with `title` as its accessible name, a white
    /// background and the title at the top left, then `body`.
    static func chart(title: String, width: Int, height: Int, body: [String]) -> String {
        element("svg", [
            "xmlns": "http://www.w3.org/2000/svg", "viewBox": "0 0 \(width) \(height)", "width": "\(width)",
            "height": "\(height)", "role": "img", "aria-label": title, "font-family": "sans-serif",
        ], children: [
            element("title", text: title),
            element("rect", ["width": "\(width)", "height": "\(height)", "fill": "#ffffff"]),
            element("text", ["x": "12", "y": "22", "font-size": "14px", "font-weight": "bold", "fill": "#222222"], text: title),
        ] + body)
    }

    /// `value` with exactly `decimals` digits after a `.` (0…6), rounded half away from zero;
    /// `0` for NaN and infinities. Never a locale's separators.
    static func number(_ value: Double, decimals: Int = 0) -> String {
        guard value.isFinite else { return "0" }
        let places = min(max(decimals, 0), 6)
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        guard let whole = Int(exactly: (abs(value) * scale).rounded()) else { return value.description }
        var digits = String(whole)
        if places > 0 {
            digits = String(repeating: "0", count: max(0, places + 1 - digits.count)) + digits
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -places))
        }
        return (value < 0 && whole != 0 ? "-" : "") + digits
    }

    /// A coordinate: one decimal.
    static func coordinate(_ value: Double) -> String { number(value, decimals: 1) }

    /// Roughly how wide `text` is in a sans-serif font: 0.6 em per ASCII character, 1 em for others
    /// (CJK ideographs and punctuation).
    static func estimatedWidth(of text: String, fontSize: Double) -> Double {
        text.reduce(0) { $0 + ($1.isASCII ? 0.6 : 1) } * fontSize
    }

    /// `text`, cut and ended with `…` when it is estimated wider than `width`.
    static func truncated(_ text: String, toWidth width: Double, fontSize: Double) -> String {
        guard estimatedWidth(of: text, fontSize: fontSize) > width else { return text }
        var kept = ""
        var used = fontSize  // room for the ellipsis
        for character in text {
            used += (character.isASCII ? 0.6 : 1) * fontSize
            guard used <= width else { break }
            kept.append(character)
        }
        return kept + "…"
    }
}
