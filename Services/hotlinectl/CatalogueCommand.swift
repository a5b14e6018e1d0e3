import ArgumentParser
import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

struct CatalogueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue", abstract: "The jurisdiction: units, areas and duty catalogue.",
        subcommands: [Load.self, Import.self])

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a jurisdiction file (all or nothing) and declare every unit's queue.")

        @Argument(help: "The jurisdiction file (YAML or JSON).")
        var file: String

        @Flag(help: "Print what loading would change (units added, renamed, retired; items added, changed, removed) and load nothing.")
        var dryRun = false

        func run() async throws {
            try await runReportingErrors {
                let jurisdiction = try ReferenceFile.decode(JurisdictionFile.self, path: file)
                let problems = jurisdiction.validate(
                    under: try CtlEnvironment().profile(named: jurisdiction.jurisdiction.profile))
                guard problems.isEmpty else {
                    throw ReferenceDataError("\(file): \(problems.map(\.description).joined(separator: "; "))")
                }
                if dryRun {
                    let changes = JurisdictionChanges(from: try await JurisdictionStore.loaded(), to: jurisdiction)
                    print("dry run: loading \(file) would change \(jurisdiction.jurisdiction.code):")
                    for line in changes.report { print("  \(line)") }
                    print("nothing loaded")
                    return
                }
                let version = try await JurisdictionStore.load(jurisdiction)
                print("loaded \(jurisdiction.jurisdiction.code) as catalogue version \(version): \(jurisdiction.units.count) units, "
                    + "\(jurisdiction.areas.count) streets, \(jurisdiction.catalogue.count) catalogue items")
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the loaded jurisdiction's duty catalogue with a spreadsheet's (CSV; all or nothing).",
            discussion: """
                Columns by their headers: code, name, keywords, owner, co_units, kind, urgency, limit, basis, \
                needs_photos, survey_excluded, or the usual Chinese ones (事项编码, 事项名称, 关键词, 责任单位, \
                协办单位, 诉求类型, 紧急程度, 办理时限, 依据, …); --mapping names other headers. UTF-8, UTF-16 or \
                GB18030, comma- or tab-separated. Every problem is reported with its row and column.
                """)

        @Argument(help: "The catalogue spreadsheet, saved as CSV (or tab-separated text).")
        var file: String

        @Option(help: "YAML file of field → header, for a sheet whose headers differ (e.g. `owner: 牵头单位`).")
        var mapping: String?

        @Flag(help: "Print what importing would change (items added, changed, removed) and load nothing.")
        var dryRun = false

        func run() async throws {
            try await runReportingErrors {
                let source = try SpreadsheetText(data: try Data(contentsOf: URL(fileURLWithPath: file)), path: file)
                let fields = try mapping.map { try CatalogueSheetFile.read(path: $0) } ?? [:]
                let loaded = try await JurisdictionStore.current()
                var jurisdiction = loaded
                let (header, rows) = try CatalogueSheetFile.rows(of: source.text, path: file)
                let sheet = CatalogueSheet(header: header, rows: rows, mapping: fields, units: jurisdiction.units)
                // The rows read, in the jurisdiction: what they mean together, at their rows too.
                jurisdiction.catalogue = sheet.items.map(\.item)
                let problems = sheet.problems.map(\.description)
                    + jurisdiction.validate(under: try CtlEnvironment().profile(named: jurisdiction.jurisdiction.profile))
                    .map { sheet.problem(for: $0)?.description ?? $0.description }
                guard problems.isEmpty else {
                    throw ReferenceDataError(
                        "\(file): nothing imported, \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n"
                            + problems.map { "  \($0)" }.joined(separator: "\n"))
                }
                if dryRun {
                    print("dry run: importing \(file) (\(source.encoding)) would change \(jurisdiction.jurisdiction.code):")
                    for line in JurisdictionChanges(from: loaded, to: jurisdiction).report { print("  \(line)") }
                    print("nothing loaded")
                    return
                }
                let version = try await JurisdictionStore.load(jurisdiction)
                print("imported \(sheet.items.count) catalogue items from \(file) (\(source.encoding)) into "
                    + "\(jurisdiction.jurisdiction.code) as catalogue version \(version)")
            }
        }
    }
}

