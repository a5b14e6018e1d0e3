import ArgumentParser
import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage

struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "Working calendars and deadline arithmetic.",
        subcommands: [Load.self, Add.self])

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load a working calendar file for the years it covers.")

        @Argument(help: "The calendar file (YAML).")
        var file: String

        func run() async throws {
            try await runReportingErrors {
                let calendarFile = try ReferenceFile.decode(CalendarFile.self, path: file)
                do {
                    _ = try WorkingCalendar(file: calendarFile)
                } catch {
                    throw ReferenceDataError("\(file): \(error)")
                }
                let document = JSONText(data: try JSONEncoder().encode(calendarFile))
                let years = calendarFile.coveredYears.sorted()
                guard !years.isEmpty else { throw ReferenceDataError("\(file): the file covers no year") }
                let now = Date()
                try await withDatabase { database in
                    // Refuse a file that disagrees with the years already loaded (time zone, hours).
                    let others = try await CalendarStore.files(database, excluding: years)
                    do {
                        _ = try WorkingCalendar(files: others + [calendarFile])
                    } catch {
                        throw ReferenceDataError("\(file): does not fit the calendars already loaded: \(error)")
                    }
                    try await database.transaction { connection in
                        for year in years {
                            try connection.query(
                                """
                                INSERT INTO calendar_years (year, document, loaded_at) VALUES ($1, $2::jsonb, $3)
                                ON CONFLICT (year) DO UPDATE SET document = $2::jsonb, loaded_at = $3
                                """, [year, document, now])
                        }
                    }
                }
                print("loaded calendar for \(years.map(String.init).joined(separator: ", "))")
                await ReferenceAnnouncement.publish(ReferenceChanged(
                    eventID: UUID().uuidString, occurredAt: now, reference: .calendar, years: years))
                if calendarFile.provisional {
                    FileHandle.standardError.write(Data(
                        "warning: \(file) is provisional (statutory days only); load the official arrangement when it is published\n".utf8))
                }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the deadline N working days or hours after a time.")

        @Option(help: "The start, RFC 3339 with an offset.")
        var from: String

        @Option(name: .customLong("working-days"), help: "Working days to add.")
        var workingDays: Int?

        @Option(name: .customLong("working-hours"), help: "Working hours to add.")
        var workingHours: Double?

        func validate() throws {
            guard (workingDays == nil) != (workingHours == nil) else {
                throw ValidationError("give exactly one of --working-days and --working-hours")
            }
        }

        func run() async throws {
            try await runReportingErrors {
                guard let start = RFC3339.date(from: from) else {
                    throw ValidationError("--from: not an RFC 3339 time with an offset: \(from)")
                }
                let calendar = try await withDatabase { database in
                    try WorkingCalendar(files: try await CalendarStore.files(database, excluding: []))
                }
                let deadline = try workingDays.map { try calendar.addingWorkingDays($0, to: start) }
                    ?? calendar.addingWorkingHours(workingHours!, to: start)
                print(RFC3339.string(from: deadline, timeZone: calendar.timeZone))
            }
        }
    }
}

/// The calendar files loaded in the database.
enum CalendarStore {
    static func files(_ database: Database, excluding years: [Int]) async throws -> [CalendarFile] {
        let texts = try await database.withConnection { connection in
            try connection.query(
                "SELECT DISTINCT document::text AS document FROM calendar_years WHERE NOT (year = ANY($1::int[]))",
                [years]).map { try $0.decode("document", as: String.self) }
        }
        return try texts.map { try JSONDecoder().decode(CalendarFile.self, from: Data($0.utf8)) }
    }
}
