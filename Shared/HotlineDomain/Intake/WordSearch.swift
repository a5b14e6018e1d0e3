/// Whether a rule's word occurs in a demand's text: the one way the rules look for cue, hazard,
/// sensitive and catalogue words.
///
/// Compared byte for byte in UTF-8, which for the rules' words (Chinese, digits, Latin letters) is
/// the same as comparing characters, at a fraction of the cost of Foundation's `contains`, which
/// folds character clusters through `NSString` on Linux.
extension StringProtocol {
    public func containsWord(_ word: some StringProtocol) -> Bool {
        !word.isEmpty && utf8.firstRange(of: word.utf8) != nil
    }
}
