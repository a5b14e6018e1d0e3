import Foundation

/// A passwords file: `user: password` lines (either side may be quoted; `#` comments and blank lines
/// ignored), kept with mode 0600. `hotlinectl` writes the broker users' and the database roles';
/// the local stack, the tests and the benchmark read them.
public enum PasswordFile {
    /// The file's passwords by user.
    public static func read(_ url: URL) throws -> [String: String] {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ConfigurationError("\(url.path): cannot read the passwords file (\(error.localizedDescription))")
        }
        var passwords: [String: String] = [:]
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let colon = trimmed.firstIndex(of: ":") else {
                throw ConfigurationError("\(url.path):\(number + 1): expected `user: password`")
            }
            passwords[unquoted(trimmed[..<colon])] = unquoted(trimmed[trimmed.index(after: colon)...])
        }
        return passwords
    }

    /// The file's passwords, with one generated for each of `users` it lacks; the file (when given)
    /// is written back with them, mode 0600.
    public static func load(_ url: URL?, users: [String]) throws -> [String: String] {
        var passwords: [String: String] = [:]
        if let url, FileManager.default.fileExists(atPath: url.path) { passwords = try read(url) }
        let missing = users.filter { passwords[$0] == nil }
        guard !missing.isEmpty else { return passwords }
        for user in missing { passwords[user] = generatePassword() }
        if let url {
            let text = passwords.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n") + "\n"
            try SecretFile.write(Data(text.utf8), to: url.path, what: "passwords file")
        }
        return passwords
    }

    /// 24 characters of an alphabet without look-alikes: a broker user's or a role's password.
    public static func generatePassword() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<24).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// Trimmed, and without one pair of surrounding quotes.
    private static func unquoted(_ text: Substring) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.count >= 2, let first = trimmed.first, first == "\"" || first == "'", trimmed.last == first {
            return String(trimmed.dropFirst().dropLast())
        }
        return trimmed
    }
}
