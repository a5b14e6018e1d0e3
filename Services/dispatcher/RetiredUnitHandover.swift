import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage
import ServiceLifecycle

/// Hands the live assignments of retired units over (docs/rules.md "Retired units"). Once at start (a
/// handover a stopped copy left unfinished) and whenever the catalogue version this copy reads changes
/// (`reference.changed`), it finds the tickets with a live assignment of a unit no longer in the
/// jurisdiction and hands each over in a transaction of its own (`TicketHandover`). Copies doing the
/// same meet on the ticket's lock, and the later finds nothing left to do.
struct RetiredUnitHandover: Service {
    let runtime: ServiceRuntime
    /// Tickets read at a time.
    static let batch = 100
    /// How often the catalogue version is looked at (the cached reference data: no query).
    static let interval = Duration.seconds(2)

    /// The tickets with a live assignment of a unit not among `$1` (the live states as in the partial
    /// index `assignments_live`).
    private static let ticketsQuery = """
        SELECT DISTINCT ticket_no FROM assignments
        WHERE state IN ('pending', 'signed', 'return_requested', 'resolution_submitted', 'stage_resolved')
          AND unit <> ALL($1::text[])
        ORDER BY ticket_no LIMIT $2
        """

    func run() async throws {
        let loop = PollingLoop("retired unit handover", logger: runtime.logger)
        var handled: Int?
        await loop.run {
            let reference = try await runtime.reference.current()
            if reference.catalogueVersion != handled {
                while try await handOver(reference) == Self.batch {}
                handled = reference.catalogueVersion
            }
            return .after(Self.interval)
        }
    }

    /// Hands over up to `batch` tickets; returns how many it handed over.
    func handOver(_ reference: ReferenceData) async throws -> Int {
        let active = reference.jurisdiction.units.map(\.code)
        let tickets: [String] = try await runtime.database.withConnection { connection in
            try connection.query(Self.ticketsQuery, [active, Self.batch]).map { try $0.decode("ticket_no") }
        }
        let clock = runtime.clock
        let publisher = runtime.relay.service
        var handedOver = 0
        for ticketNo in tickets {
            let transferred = try await runtime.database.transaction { connection in
                let now = clock.now()
                let handover = TicketHandover(reference: reference, connection: connection, now: now)
                let (messages, transferred) = try handover.handOver(ticketNo)
                try Outbox.enqueue(messages, by: publisher, on: connection, now: now)
                return transferred
            }
            guard !transferred.isEmpty else { continue }
            handedOver += 1
            runtime.relay.nudge()
            runtime.logger.info("assignments of a retired unit handed over", metadata: [
                "ticket_no": "\(ticketNo)", "assignments": "\(transferred.joined(separator: ","))",
            ])
        }
        return handedOver
    }
}
