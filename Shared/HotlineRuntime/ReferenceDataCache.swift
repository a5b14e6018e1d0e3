import Foundation
import HotlineStorage

/// Keeps reference data fresh without a query per message: the sources are read again when older than
/// `maxAge` (once, however many handlers of a batch ask meanwhile) and decoded again only when they
/// changed.
public actor ReferenceDataCache {
    private let database: Database
    private let profileFile: URL
    private let maxAge: TimeInterval
    private var cached: (sources: ReferenceSources, data: ReferenceData, checkedAt: Date)?
    /// The read in progress, which callers arriving meanwhile wait for.
    private var refresh: Task<(ReferenceSources, ReferenceData), any Error>?

    public init(database: Database, profileFile: URL, maxAge: TimeInterval = 30) {
        self.database = database
        self.profileFile = profileFile
        self.maxAge = maxAge
    }

    public func current() async throws -> ReferenceData {
        if let cached, Date().timeIntervalSince(cached.checkedAt) < maxAge { return cached.data }
        if let refresh { return try await refresh.value.1 }
        let previous = cached
        let task = Task { [database, profileFile] in
            let sources = try await ReferenceSources.read(database: database, profileFile: profileFile)
            if let previous, previous.sources == sources { return (sources, previous.data) }
            return (sources, try await sources.decode())
        }
        refresh = task
        defer { refresh = nil }
        let (sources, data) = try await task.value
        cached = (sources, data, Date())
        return data
    }
}
