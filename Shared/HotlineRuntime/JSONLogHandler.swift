import Foundation
import HotlineDomain
import Logging

/// Writes one JSON object a line to standard error: time, level, service, message and metadata.
/// Anything that looks like a mainland phone number is masked on the way out, as a last guard;
/// code never logs citizen names or contact data in the first place.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let service: String

    public init(label: String, service: String, level: Logger.Level) {
        self.label = label
        self.service = service
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: String] = [
            "ts": RFC3339.preciseString(from: Date()),
            "level": event.level.rawValue,
            "service": service,
            "logger": label,
            "msg": Redaction.maskPhoneNumbers(event.message.description),
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            object[key] = Redaction.maskPhoneNumbers(value.description)
        }
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        line.append(0x0a)
        FileHandle.standardError.write(line)
    }
}

/// Masking of personal data in free text.
public enum Redaction {
    /// Replaces the middle digits of 11-digit mobile numbers: `138****8000`.
    public static func maskPhoneNumbers(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 11 else { return text }
        var output = String.UnicodeScalarView()
        var index = 0
        func isDigit(_ i: Int) -> Bool { i >= 0 && i < scalars.count && ("0"..."9").contains(scalars[i]) }
        while index < scalars.count {
            if scalars[index] == "1", !isDigit(index - 1), index + 11 <= scalars.count,
               (index..<index + 11).allSatisfy(isDigit), !isDigit(index + 11) {
                output.append(contentsOf: scalars[index..<index + 3])
                output.append(contentsOf: "****".unicodeScalars)
                output.append(contentsOf: scalars[index + 7..<index + 11])
                index += 11
            } else {
                output.append(scalars[index])
                index += 1
            }
        }
        return String(output)
    }
}
