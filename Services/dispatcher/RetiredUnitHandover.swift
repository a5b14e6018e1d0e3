import Foundation
import HotlineDomain
import HotlineRuntime
import HotlineStorage
import ServiceLifecycle

/// Hands the live assignments of retired units over (docs/rules.md "Retired units"). At start, whenever
/// the catalogue version this copy reads changes (`reference.changed`), and once a minute besides (a
/// sweep another copy left unfinished), it pages through the tickets with a live assignment of a unit
/// no longer in the jurisdiction and hands each over in a transaction of its own (`TicketHandover`).
/// Copies doing the same meet on the ticket's lock, and the later finds nothing left to do. A ticket
/// that cannot be handed over is logged and tried again at the next sweep; it holds up no other.
struct RetiredUnitHandover: Service {
    let runtime: ServiceRuntime
    /// Tickets read at a time.
    static let batch = 100
    /// How often the catalogue version is looked at (the cached reference data: no query).
    static let interval = Duration.seconds(2)
    /// How often a sweep runs although the version did not change.
    static let sweepEvery: TimeInterval = 60

    /// The tickets after `$3` with a live assignment of a unit not among `$1` (the live states as in
    /// the partial index `assignments_live`, so that the index serves).
    private static let ticketsQuery = """
        SELECT DISTINCT ticket_no FROM assignments
        WHERE state IN ('pending', 'signed', 'return_requested', 'resolution_submitted', 'stage_resolved')
          AND unit <> ALL($1::text[]) AND ticket_no > $3
        ORDER BY ticket_no LIMIT $2
        """

    func run() async throws {
        let loop = PollingLoop("retired unit handover", logger: runtime.logger)
        var swept: (version: Int, at: Date)?
        await loop.run {
            let reference = try await runtime.reference.current()
            if let swept, swept.version == reference.catalogueVersion,
               Date().timeIntervalSince(swept.at) < Self.sweepEvery
            {
                return .after(Self.interval)
            }
            try await sweep(reference)
            swept = (reference.catalogueVersion, Date())
            return .after(Self.interval)
        }
    }

    /// Hands over every ticket that needs it, a page at a time.
    func sweep(_ reference: ReferenceData) async throws {
        let active = reference.jurisdiction.units.map(\.code)
        var after = ""
        while true {
            let page = after
            let tickets: [String] = try await runtime.database.withConnection { connection in
                try connection.query(Self.ticketsQuery, [active, Self.batch, page]).map { try $0.decode("ticket_no") }
            }
            for ticketNo in tickets { await handOver(ticketNo, reference) }
            guard tickets.count == Self.batch, let last = tickets.last else { return }
            after = last
        }
    }

    /// One ticket in its own transaction; a failure is logged, and the next sweep tries again.
    func handOver(_ ticketNo: String, _ reference: ReferenceData) async {
        let clock = runtime.clock
        let publisher = runtime.relay.service
        do {
            let transferred = try await runtime.database.transaction { connection in
                let now = clock.now()
                let handover = TicketHandover(reference: reference, connection: connection, now: now)
                let (messages, transferred) = try handover.handOver(ticketNo)
                try Outbox.enqueue(messages, by: publisher, on: connection, now: now)
                return transferred
            }
            guard !transferred.isEmpty else { return }
            runtime.relay.nudge()
            runtime.logger.info("assignments of a retired unit handed over", metadata: [
                "ticket_no": "\(ticketNo)", "assignments": "\(transferred.joined(separator: ","))",
            ])
        } catch {
            runtime.logger.warning("a retired unit's assignments could not be handed over", metadata: [
                "ticket_no": "\(ticketNo)", "error": "\(error)",
            ])
        }
    }
}
