import Crypto

/// The platform's SHA-256 (swift-crypto): invalid bodies' digests, the broker's salted password hashes.
public enum SHA256 {
    /// The digest of `bytes`, 32 bytes.
    public static func digest<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        Array(Crypto.SHA256.hash(data: Array(bytes)))
    }

    /// The digest of a string's UTF-8 bytes, as lowercase hex.
    public static func hex(_ text: String) -> String { hex(text.utf8) }

    /// The digest of `bytes`, as lowercase hex.
    public static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Hex.encode(digest(bytes))
    }
}
