import Foundation

/// `application/x-www-form-urlencoded` text, as forms and query strings send it.
public enum FormEncoding {
    /// The name–value pairs in order (`+` is a space; a pair without `=` has an empty value; a
    /// pair without a name is left out).
    public static func pairs(_ text: String) -> [(String, String)] {
        text.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String? {
                part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            guard let name = decode(parts[0]), !name.isEmpty else { return nil }
            return (name, parts.count > 1 ? decode(parts[1]) ?? "" : "")
        }
    }
}
