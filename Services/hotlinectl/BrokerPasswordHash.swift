import Foundation
import HotlineDomain

/// A broker password as RabbitMQ stores it (`rabbit_password_hashing_sha256`): base64 of a random
/// 4-byte salt followed by SHA-256 of the salt and the password's UTF-8 bytes. Definitions carry
/// only this, never the password.
enum BrokerPasswordHash {
    static let algorithm = "rabbit_password_hashing_sha256"

    static func hash(_ password: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<4).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(salt + SHA256.digest(salt + Array(password.utf8))).base64EncodedString()
    }
}
