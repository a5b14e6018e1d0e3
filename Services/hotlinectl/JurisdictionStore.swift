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

    /// Replaces the jurisdiction with `jurisdiction` (already validated) as the next catalogue version
    /// (kept in `jurisdiction_versions`): its units' queues first, so that no assignment to a loaded unit
    /// is ever unroutable; units no longer listed become inactive. Then announces the change
    /// (`reference.changed`) and returns the version loaded.
    @discardableResult
    static func load(_ jurisdiction: JurisdictionFile) async throws -> Int {
        var topology = HotlineTopology.core
        for unit in jurisdiction.units { topology = topology + HotlineTopology.unit(unit.code) }
        try await CtlEnvironment().admin().declare(topology)
        let document = JSONText(data: try JSONEncoder().encode(jurisdiction))
        let now = Date()
        let version: Int = try await withDatabase { database in
            try await database.transaction { connection in
                // The lock makes concurrent loads take their numbers one after the other.
                try connection.query("LOCK TABLE jurisdiction_versions IN EXCLUSIVE MODE")
                let version: Int = try connection.query(
                    "SELECT coalesce(max(version), 0) + 1 AS version FROM jurisdiction_versions"
                ).first!.decode("version")
                try connection.query(
                    "INSERT INTO jurisdiction_versions (version, code, document, loaded_at) VALUES ($1, $2, $3::jsonb, $4)",
                    [version, jurisdiction.jurisdiction.code, document, now])
                try connection.query("DELETE FROM jurisdiction")
                try connection.query(
                    """
                    INSERT INTO jurisdiction (code, name, profile, document, loaded_at, version)
                    VALUES ($1, $2, $3, $4::jsonb, $5, $6)
                    """,
                    [jurisdiction.jurisdiction.code, jurisdiction.jurisdiction.name,
                     jurisdiction.jurisdiction.profile, document, now, version])
                try connection.query("UPDATE units SET active = false")
                for unit in jurisdiction.units {
                    try connection.query(
                        """
                        INSERT INTO units (code, name, kind, active) VALUES ($1, $2, $3, true)
                        ON CONFLICT (code) DO UPDATE SET name = $2, kind = $3, active = true
                        """, [unit.code, unit.name, unit.kind.rawValue])
                }
                return version
            }
        }
        await ReferenceAnnouncement.publish(ReferenceChanged(
            eventID: UUID().uuidString, occurredAt: now, reference: .jurisdiction, catalogueVersion: version))
        return version
    }
}
