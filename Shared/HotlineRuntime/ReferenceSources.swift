import Foundation
import HotlineDomain
import HotlineStorage

/// The stored documents reference data is decoded from: cheap to read and compare, costly to decode.
struct ReferenceSources: Equatable, Sendable {
    var jurisdiction: String
    /// The jurisdiction's catalogue version (`hotlinectl catalogue load` numbers each load).
    var catalogueVersion: Int
    var calendars: [String]
    var profile: String
    var profilePath: String

    static func read(database: Database, profileFile: URL) async throws -> ReferenceSources {
        let (jurisdiction, calendarJSONs) = try await database.withConnection { connection -> ((String, Int)?, [String]) in
            let results = try connection.queries([
                ("SELECT document::text AS document, version FROM jurisdiction LIMIT 1", []),
                ("SELECT document::text AS document FROM calendar_years GROUP BY document::text ORDER BY min(year)", []),
            ])
            return (try results[0].first.map { (try $0.decode("document", as: String.self), try $0.decode("version", as: Int.self)) },
                    try results[1].map { try $0.decode("document", as: String.self) })
        }
        guard let (jurisdictionJSON, catalogueVersion) = jurisdiction else {
            throw ReferenceDataError("no jurisdiction loaded: run `hotlinectl catalogue load FILE`")
        }
        guard !calendarJSONs.isEmpty else {
            throw ReferenceDataError("no working calendar loaded: run `hotlinectl calendar load FILE`")
        }
        return ReferenceSources(
            jurisdiction: jurisdictionJSON, catalogueVersion: catalogueVersion, calendars: calendarJSONs, profile: try readProfile(profileFile),
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
                profile: try ReferenceData.decodeProfile(self.profile, path: self.profilePath),
                catalogueVersion: self.catalogueVersion)
        }
    }
}
