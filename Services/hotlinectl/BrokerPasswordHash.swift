import Crypto
import Foundation

/// A broker password as RabbitMQ stores it (`rabbit_password_hashing_sha256`): base64 of a random
/// 4-byte salt followed by SHA-256 of the salt and the password's UTF-8 bytes. Definitions carry
/// only this, never the password.
enum BrokerPasswordHash {
    static let algorithm = "rabbit_password_hashing_sha256"

    static func hash(_ password: String, salt: [UInt8]? = nil) -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = salt ?? (0..<4).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let digest = SHA256.hash(data: salt + Array(password.utf8))
        return Data(salt + Array(digest)).base64EncodedString()
    }
}
