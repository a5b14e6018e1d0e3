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
        var line = HotlineJSON.stringObject(object)
        line.append(0x0a)
        FileHandle.standardError.write(line)
    }
}
