import Foundation
import HotlineStorage
import Metrics
import Synchronization

/// Keeps reference data fresh without a query per message: the sources are read again when older than
/// `maxAge` (once, however many handlers of a batch ask meanwhile) and decoded again only when they
/// changed.
///
/// While the database is unreachable the last data read is used (the messages then wait for the
/// database anyway). Data that cannot be read for any other reason (the profile file gone, no
/// calendar loaded, a document that does not decode) makes the cache unavailable: `/health` says so
/// and consumers wait (`ServiceRuntime.current`) until it can be read again.
public actor ReferenceDataCache {
    private let database: Database
    private let profileFile: URL
    private let maxAge: TimeInterval
    private var cached: (sources: ReferenceSources, data: ReferenceData, checkedAt: Date)?
    /// The read in progress, which callers arriving meanwhile wait for.
    private var inFlight: Task<(ReferenceSources, ReferenceData), any Error>?
    private let available = Mutex(true)

    public init(database: Database, profileFile: URL, maxAge: TimeInterval = 30) {
        self.database = database
        self.profileFile = profileFile
        self.maxAge = maxAge
    }

    /// False once a read failed for another reason than the database's absence, until one succeeds.
    public nonisolated var isAvailable: Bool { available.withLock { $0 } }

    /// The data last read, without reading again (nil before the first read): for health checks,
    /// which must answer while the database is away.
    public var latest: ReferenceData? { cached?.data }

    /// Reads the sources again now, whatever their age (`reference.changed` was heard). A read in
    /// progress began before the announcement, so it is waited for and then read again.
    @discardableResult
    public func refresh() async throws -> ReferenceData {
        if let inFlight { _ = try? await inFlight.value }
        cached?.checkedAt = .distantPast
        return try await current()
    }

    public func current() async throws -> ReferenceData {
        if let cached, Date().timeIntervalSince(cached.checkedAt) < maxAge { return cached.data }
        if let inFlight { return try await inFlight.value.1 }
        let previous = cached
        let task = Task { [database, profileFile] in
            let sources: ReferenceSources
            do {
                sources = try await ReferenceSources.read(database: database, profileFile: profileFile)
            } catch let error as DatabaseError where error.isTransient {
                // The database is away: the last data read serves until the next check.
                guard let previous else { throw error }
                return (previous.sources, previous.data)
            }
            if let previous, previous.sources == sources { return (sources, previous.data) }
            return (sources, try await sources.decode())
        }
        inFlight = task
        defer { inFlight = nil }
        do {
            let (sources, data) = try await task.value
            cached = (sources, data, Date())
            available.withLock { $0 = true }
            Gauge(label: "hotline_catalogue_version").record(data.catalogueVersion)
            return data
        } catch let error as DatabaseError where error.isTransient {
            throw error
        } catch {
            available.withLock { $0 = false }
            throw error
        }
    }
}
