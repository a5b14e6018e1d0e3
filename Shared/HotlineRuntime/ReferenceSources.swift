import Foundation
import HotlineDomain
import HotlineStorage

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
