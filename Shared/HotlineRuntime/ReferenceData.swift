import Foundation
import HotlineDomain
import HotlineStorage
import ServiceLifecycle
import Yams

/// The data every decision needs besides the message: the loaded jurisdiction (units, areas,
/// duty catalogue), the working calendar and the rule profile.
public struct ReferenceData: Sendable {
    public let jurisdiction: JurisdictionFile
    public let calendar: WorkingCalendar
    public let profile: RuleProfile
    /// The version of the jurisdiction (and its duty catalogue): each `hotlinectl catalogue load` or
    /// `import` numbers it one higher. A ticket keeps the version it was routed under.
    public let catalogueVersion: Int

    public init(jurisdiction: JurisdictionFile, calendar: WorkingCalendar, profile: RuleProfile, catalogueVersion: Int = 1) {
        self.jurisdiction = jurisdiction
        self.calendar = calendar
        self.profile = profile
        self.catalogueVersion = catalogueVersion
    }

    /// The jurisdiction's duty catalogue (indexed when the file was read).
    public var catalogue: DutyCatalogue { jurisdiction.dutyCatalogue }

    /// The prefix of ticket numbers: the jurisdiction's `ticket_prefix`, or its code in capitals.
    public var ticketNumberPrefix: String {
        jurisdiction.jurisdiction.ticketPrefix ?? jurisdiction.jurisdiction.code.uppercased()
    }

    /// Reads the jurisdiction and calendar from the database and the profile from its file.
    public static func load(database: Database, profileFile: URL) async throws -> ReferenceData {
        try await ReferenceSources.read(database: database, profileFile: profileFile).decode()
    }

    /// Decodes and checks a rule profile file.
    public static func loadProfile(_ url: URL) throws -> RuleProfile {
        try decodeProfile(try ReferenceSources.readProfile(url), path: url.path)
    }

    static func decodeProfile(_ text: String, path: String) throws -> RuleProfile {
        let profile: RuleProfile
        do {
            profile = try YAMLDecoder().decode(RuleProfile.self, from: text)
        } catch {
            throw ReferenceDataError("\(path): \(FileProblem.describe(error))")
        }
        let problems = profile.problems()
        guard problems.isEmpty else {
            throw ReferenceDataError("\(path): \(problems.joined(separator: "; "))")
        }
        return profile
    }
}

public struct ReferenceDataError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// One-line descriptions of decoding errors, naming the key path and the line where known.
public enum FileProblem {
    public static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): required but missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case let error as YamlError:
            return "\(error)".split(separator: "\n").joined(separator: " ")
        default:
            return "\(error)"
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "(top level)" : text)
    }
}

extension ServiceRuntime {
    /// The current reference data. While it cannot be read, the handler waits here (consumption
    /// pauses, `/health` is red) and tries again every second; nil only when the service is shutting
    /// down meanwhile (the caller then answers `.retry`).
    public func current(_ cache: ReferenceDataCache) async -> ReferenceData? {
        var failures = 0
        while true {
            do {
                return try await cache.current()
            } catch {
                // Logged at once, then once a minute.
                if failures % 60 == 0 {
                    logger.error("reference data unavailable; consumption waits until it can be read", metadata: [
                        "error": "\(error)",
                    ])
                }
                failures += 1
                if Task.isShuttingDownGracefully || Task.isCancelled { return nil }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
