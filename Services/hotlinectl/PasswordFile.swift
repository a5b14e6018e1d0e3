import ArgumentParser
import Foundation

/// Reads and completes the passwords file: `user: password` lines.
enum PasswordFile {
    static func load(_ url: URL?, users: [String]) throws -> [String: String] {
        var passwords: [String: String] = [:]
        if let url, FileManager.default.fileExists(atPath: url.path) {
            let text = try String(contentsOf: url, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                guard let colon = trimmed.firstIndex(of: ":") else {
                    throw ValidationError("\(url.path):\(number + 1): expected `user: password`")
                }
                let user = trimmed[..<colon].trimmingCharacters(in: .whitespaces)
                var password = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if password.count >= 2, let first = password.first, first == "\"" || first == "'", password.last == first {
                    password = String(password.dropFirst().dropLast())
                }
                passwords[user] = password
            }
        }
        let missing = users.filter { passwords[$0] == nil }
        guard !missing.isEmpty else { return passwords }
        for user in missing { passwords[user] = generatePassword() }
        if let url {
            let text = passwords.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n") + "\n"
            guard FileManager.default.createFile(
                atPath: url.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
            else { throw ValidationError("\(url.path): cannot write the passwords file") }
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        }
        return passwords
    }

    static func generatePassword() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<24).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
