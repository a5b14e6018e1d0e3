import Foundation
import HotlineStorage

/// Keeps reference data fresh without a query per message: the sources are read again when older than
/// `maxAge` and decoded again only when they changed.
public actor ReferenceDataCache {
    private let database: Database
    private let profileFile: URL
    private let maxAge: TimeInterval
    private var cached: (sources: ReferenceSources, data: ReferenceData, checkedAt: Date)?

    public init(database: Database, profileFile: URL, maxAge: TimeInterval = 30) {
        self.database = database
        self.profileFile = profileFile
        self.maxAge = maxAge
    }

    public func current() async throws -> ReferenceData {
        if let cached, Date().timeIntervalSince(cached.checkedAt) < maxAge { return cached.data }
        let sources = try await ReferenceSources.read(database: database, profileFile: profileFile)
        let data: ReferenceData
        if let cached, cached.sources == sources {
            data = cached.data
        } else {
            data = try await sources.decode()
        }
        cached = (sources, data, Date())
        return data
    }
}
