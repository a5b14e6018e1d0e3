import ArgumentParser
import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

struct CatalogueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue", abstract: "The jurisdiction: units, areas and duty catalogue.",
        subcommands: [Load.self])

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a jurisdiction file (all or nothing) and declare every unit's queue.")

        @Argument(help: "The jurisdiction file (YAML or JSON).")
        var file: String

        func run() async throws {
            try await runReportingErrors {
                let jurisdiction = try ReferenceFile.decode(JurisdictionFile.self, path: file)
                let problems = jurisdiction.validate()
                guard problems.isEmpty else {
                    throw ReferenceDataError("\(file): \(problems.map(\.description).joined(separator: "; "))")
                }
                // Unit queues first, so that no assignment to a loaded unit is ever unroutable.
                var topology = HotlineTopology.core
                for unit in jurisdiction.units { topology = topology + HotlineTopology.unit(unit.code) }
                try await CtlEnvironment().admin().declare(topology)
                let document = JSONText(data: try JSONEncoder().encode(jurisdiction))
                let now = Date()
                try await withDatabase { database in
                    try await database.transaction { connection in
                        try connection.query("DELETE FROM jurisdiction")
                        try connection.query(
                            "INSERT INTO jurisdiction (code, name, profile, document, loaded_at) VALUES ($1, $2, $3, $4::jsonb, $5)",
                            [jurisdiction.jurisdiction.code, jurisdiction.jurisdiction.name,
                             jurisdiction.jurisdiction.profile, document, now])
                        try connection.query("UPDATE units SET active = false")
                        for unit in jurisdiction.units {
                            try connection.query(
                                """
                                INSERT INTO units (code, name, kind, active) VALUES ($1, $2, $3, true)
                                ON CONFLICT (code) DO UPDATE SET name = $2, kind = $3, active = true
                                """, [unit.code, unit.name, unit.kind.rawValue])
                        }
                    }
                }
                print("loaded \(jurisdiction.jurisdiction.code): \(jurisdiction.units.count) units, "
                    + "\(jurisdiction.areas.count) streets, \(jurisdiction.catalogue.count) catalogue items")
            }
        }
    }
}
