import Foundation
import Synchronization

/// Requests a minute per key, as token buckets that fill at the key's rate and hold a minute's worth
/// (docs/open311.md "Clients and keys"). Kept in this process: every copy of the service counts alone.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var at: ContinuousClock.Instant
    }

    private let buckets = Mutex<[String: Bucket]>([:])
    private let clock = ContinuousClock()

    /// Whether `key` may make one more request at `perMinute`; otherwise the seconds until it may.
    func admit(_ key: String, perMinute: Int) -> (admitted: Bool, retryAfter: Int) {
        let now = clock.now
        let rate = Double(perMinute) / 60
        return buckets.withLock { buckets in
            if buckets.count > 100_000 { buckets = buckets.filter { now - $0.value.at < .seconds(60) } }
            var bucket = buckets[key] ?? Bucket(tokens: Double(perMinute), at: now)
            let elapsed = now - bucket.at
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(Double(perMinute), bucket.tokens + seconds * rate)
            bucket.at = now
            defer { buckets[key] = bucket }
            guard bucket.tokens >= 1 else { return (false, max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))) }
            bucket.tokens -= 1
            return (true, 0)
        }
    }
}
