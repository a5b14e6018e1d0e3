import Foundation
import HotlineDomain
import HotlineStorage
import Yams

/// The data every decision needs besides the message: the loaded jurisdiction (units, areas,
/// duty catalogue), the working calendar and the rule profile.
public struct ReferenceData: Sendable {
    public let jurisdiction: JurisdictionFile
    public let calendar: WorkingCalendar
    public let profile: RuleProfile

    public init(jurisdiction: JurisdictionFile, calendar: WorkingCalendar, profile: RuleProfile) {
        self.jurisdiction = jurisdiction
        self.calendar = calendar
        self.profile = profile
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

/// The stored documents reference data is decoded from: cheap to read and compare, costly to decode.
struct ReferenceSources: Equatable, Sendable {
    var jurisdiction: String
    var calendars: [String]
    var profile: String
    var profilePath: String

    static func read(database: Database, profileFile: URL) async throws -> ReferenceSources {
        let (jurisdictionJSON, calendarJSONs) = try await database.withConnection { connection -> (String?, [String]) in
            let jurisdiction = try connection.query("SELECT document::text AS document FROM jurisdiction LIMIT 1")
            let calendars = try connection.query(
                "SELECT document::text AS document FROM calendar_years GROUP BY document::text ORDER BY min(year)")
            return (try jurisdiction.first?.decode("document", as: String.self),
                    try calendars.map { try $0.decode("document", as: String.self) })
        }
        guard let jurisdictionJSON else {
            throw ReferenceDataError("no jurisdiction loaded: run `hotlinectl catalogue load FILE`")
        }
        guard !calendarJSONs.isEmpty else {
            throw ReferenceDataError("no working calendar loaded: run `hotlinectl calendar load FILE`")
        }
        return ReferenceSources(
            jurisdiction: jurisdictionJSON, calendars: calendarJSONs, profile: try readProfile(profileFile),
            profilePath: profileFile.path)
    }

    static func readProfile(_ url: URL) throws -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ReferenceDataError("\(url.path): cannot read the rule profile (\(error.localizedDescription))")
        }
    }

    /// Decodes the documents (on a thread with a large stack: the decoders recurse).
    func decode() async throws -> ReferenceData {
        try await LargeStackThread.run {
            let jurisdiction = try JSONDecoder().decode(JurisdictionFile.self, from: Data(self.jurisdiction.utf8))
            let files = try self.calendars.map { try JSONDecoder().decode(CalendarFile.self, from: Data($0.utf8)) }
            return ReferenceData(
                jurisdiction: jurisdiction, calendar: try WorkingCalendar(files: files),
                profile: try ReferenceData.decodeProfile(self.profile, path: self.profilePath))
        }
    }
}

/// Keeps reference data fresh without a query per message: the sources are read again when older than
/// `maxAge` and decoded again only when they changed.
public actor ReferenceDataCache {
    private let database: Database
    private let profileFile: URL
    private let maxAge: TimeInterval
    private var cached: (sources: ReferenceSources, data: ReferenceData, checkedAt: Date)?

    public init(database: Database, profileFile: URL, maxAge: TimeInterval = 30) {
        self.database = database
        self.profileFile = profileFile
        self.maxAge = maxAge
    }

    public func current() async throws -> ReferenceData {
        if let cached, Date().timeIntervalSince(cached.checkedAt) < maxAge { return cached.data }
        let sources = try await ReferenceSources.read(database: database, profileFile: profileFile)
        let data: ReferenceData
        if let cached, cached.sources == sources {
            data = cached.data
        } else {
            data = try await sources.decode()
        }
        cached = (sources, data, Date())
        return data
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
    /// The current reference data, or nil (logged, after a short pause) when it cannot be loaded:
    /// the caller then answers `.retry`, so the message waits in its queue.
    public func current(_ cache: ReferenceDataCache) async -> ReferenceData? {
        do {
            return try await cache.current()
        } catch {
            logger.error("reference data unavailable", metadata: ["error": "\(error)"])
            try? await Task.sleep(for: .seconds(1))
            return nil
        }
    }

    /// The reference data cache for this service's profile (`HOTLINE_PROFILES_DIR/<HOTLINE_PROFILE>.yaml`).
    public func referenceData() -> ReferenceDataCache {
        ReferenceDataCache(
            database: database,
            profileFile: URL(fileURLWithPath: configuration.profilesDirectory)
                .appendingPathComponent("\(configuration.profile).yaml"))
    }
}
