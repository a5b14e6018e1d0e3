import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage
import Logging
import Metrics
import ServiceLifecycle

/// Re-keys the citizen keys intake stored under another secret (or unkeyed, before keys were HMACs)
/// from the tickets' phone numbers, so that a new secret applies to earlier demands and concluded
/// matters too (docs/security.md "Citizen keys"). A row whose ticket keeps no number loses
/// its key. It runs at start until nothing is left, then every `HOTLINE_REKEY_INTERVAL` seconds
/// (default 3600: during a rolling restart, copies with the old secret still write for a while).
/// Every copy of intake runs one; they share rows through `FOR UPDATE SKIP LOCKED`.
final class CitizenRekeying: Service, Sendable {
    /// A table with citizen keys: its row id and the column naming the ticket whose citizen it is.
    struct Table: Sendable {
        let name: String
        let id: String
        let ticket: String
    }

    static let tables = [
        Table(name: "intake_demands", id: "ticket_no", ticket: "ticket_no"),
        Table(name: "concluded_matters", id: "id", ticket: "ticket_no"),
    ]

    private let database: Database
    private let keys: CitizenKeys
    private let logger: Logger
    private let interval: Double
    private let batchSize = 1000
    private let loop: PollingLoop

    init(
        runtime: ServiceRuntime, keys: CitizenKeys, environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        database = runtime.database
        self.keys = keys
        logger = runtime.logger
        interval = max(1, environment["HOTLINE_REKEY_INTERVAL"].flatMap(Double.init) ?? 3600)
        loop = PollingLoop("citizen re-keying", logger: runtime.logger)
    }

    func run() async throws {
        await loop.run {
            var rekeyed = 0
            for table in Self.tables { rekeyed += try await rekey(table) }
            guard rekeyed == 0 else { return .now }
            return .after(.seconds(interval))
        }
    }

    /// One transaction: re-keys up to a batch of `table`'s rows made without the current secret.
    func rekey(_ table: Table) async throws -> Int {
        let keys = self.keys
        let batchSize = self.batchSize
        let count = try await database.transaction { connection -> Int in
            let rows = try connection.query(
                """
                SELECT r.\(table.id)::text AS id, t.citizen->>'phone' AS phone
                FROM \(table.name) r LEFT JOIN tickets t ON t.ticket_no = r.\(table.ticket)
                WHERE r.citizen_key IS NOT NULL AND NOT starts_with(r.citizen_key, $1)
                LIMIT $2 FOR UPDATE OF r SKIP LOCKED
                """, [keys.prefix, batchSize])
            guard !rows.isEmpty else { return 0 }
            let ids: [String] = try rows.map { try $0.decode("id") }
            let newKeys: [String?] = try rows.map { keys.of(phone: try $0.decodeIfPresent("phone")) }
            try connection.query(
                """
                UPDATE \(table.name) r SET citizen_key = k.key
                FROM unnest($1::text[], $2::text[]) AS k(id, key) WHERE r.\(table.id)::text = k.id
                """, [ids, NullableArray(newKeys)])
            return rows.count
        }
        if count > 0 {
            Counter(label: "hotline_citizen_keys_rekeyed_total", dimensions: [("table", table.name)]).increment(by: count)
            logger.info("citizen keys re-keyed", metadata: ["table": "\(table.name)", "rows": "\(count)", "key_id": "\(keys.id)"])
        }
        return count
    }
}
