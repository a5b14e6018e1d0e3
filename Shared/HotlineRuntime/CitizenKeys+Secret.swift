import Foundation
import HotlineDomain
import Logging

extension CitizenKeys {
    /// The secret local development uses when `HOTLINE_CITIZEN_KEY_FILE` is not set (never in
    /// production, where the service refuses to start without it).
    static let developmentSecret = Array("hotline local development citizen-key secret, not for production".utf8)

    /// The keys of the secret in the file `HOTLINE_CITIZEN_KEY_FILE` names (docs/security.md "Citizen
    /// keys"). Without the setting, production throws and local development uses a fixed secret and
    /// says so.
    public static func load(
        configuration: ServiceConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger
    ) throws -> CitizenKeys {
        if let path = environment["HOTLINE_CITIZEN_KEY_FILE"], !path.isEmpty { return try read(file: path) }
        guard !configuration.isProduction else {
            throw ConfigurationError(
                "HOTLINE_CITIZEN_KEY_FILE not set: give the file of the citizen-key secret (at least \(minimumSecretBytes) bytes, mode 0600)")
        }
        logger.warning("HOTLINE_CITIZEN_KEY_FILE not set: citizen keys use the development secret")
        return try CitizenKeys(secret: developmentSecret)
    }

    /// The keys of the secret in `path`: a file only its owner may read, holding at least
    /// `minimumSecretBytes` bytes (trailing white space and line ends are not part of it).
    public static func read(file path: String) throws -> CitizenKeys {
        let contents: Data
        do {
            contents = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError("cannot read the citizen-key secret \(path): \(error.localizedDescription)")
        }
        try SecretFile.checkPrivate(path, what: "citizen-key secret")
        var secret = Array(contents)
        while let last = secret.last, [0x20, 0x09, 0x0A, 0x0D].contains(last) { secret.removeLast() }
        do {
            return try CitizenKeys(secret: secret)
        } catch {
            throw ConfigurationError("\(path): \(error)")
        }
    }
}
