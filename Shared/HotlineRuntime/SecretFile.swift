import Foundation

/// Files that hold secrets (passwords, keys, key hashes): written readable by their owner only
/// (mode 0600, also when the file existed with another mode), and refused when group or others may
/// read them (docs/security.md "Secrets").
public enum SecretFile {
    /// Writes `contents` to `path`, mode 0600; `what` names the file in the error.
    public static func write(_ contents: Data, to path: String, what: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: contents, attributes: [.posixPermissions: 0o600])
        else { throw ConfigurationError("\(path): cannot write the \(what)") }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    /// Throws when group or others may read the file at `path`.
    public static func checkPrivate(_ path: String, what: String) throws {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        if let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw ConfigurationError(
                "the \(what) \(path) may be read by others (mode \(String(mode, radix: 8))): make it 0600, owned by the service's user")
        }
    }
}
