import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage

/// The jurisdiction in the database (`jurisdiction`, `units`), which `hotlinectl` alone writes.
enum JurisdictionStore {
    /// The jurisdiction loaded now; throws when none is.
    static func current() async throws -> JurisdictionFile {
        guard let loaded = try await loaded() else {
            throw ReferenceDataError("no jurisdiction is loaded: load one first (hotlinectl catalogue load FILE)")
        }
        return loaded
    }

    /// The jurisdiction loaded now, if any.
    static func loaded() async throws -> JurisdictionFile? {
        let document: String? = try await withDatabase { database in
            try await database.withConnection { connection in
                try connection.query("SELECT document::text AS document FROM jurisdiction LIMIT 1").first?.decode("document")
            }
        }
        return try document.map { try JSONDecoder().decode(JurisdictionFile.self, from: Data($0.utf8)) }
    }

    /// Replaces the jurisdiction with `jurisdiction` (already validated): its units' queues first, so
    /// that no assignment to a loaded unit is ever unroutable; units no longer listed become inactive.
    static func load(_ jurisdiction: JurisdictionFile) async throws {
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
    }
}
