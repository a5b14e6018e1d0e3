/// Whether a rule's word occurs in a demand's text: the one way the rules look for cue, hazard,
/// sensitive and catalogue words.
///
/// Compared byte for byte in UTF-8, which for the rules' words (Chinese, digits, Latin letters) is
/// the same as comparing characters, at a fraction of the cost of Foundation's `contains`, which
/// folds character clusters through `NSString` on Linux.
extension StringProtocol {
    public func containsWord(_ word: some StringProtocol) -> Bool {
        var text = String(self)
        var needle = String(word)
        return text.withUTF8 { text in
            needle.withUTF8 { needle in
                guard let first = needle.first, needle.count <= text.count else { return false }
                var start = 0
                while start <= text.count - needle.count {
                    if text[start] == first {
                        var matched = 1
                        while matched < needle.count, text[start + matched] == needle[matched] { matched += 1 }
                        if matched == needle.count { return true }
                    }
                    start += 1
                }
                return false
            }
        }
    }
}
