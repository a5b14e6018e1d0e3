import Foundation

/// Runs CPU work that recurses deeply (YAML decoding of a rule profile in a debug build) on a
/// thread with a large stack: the cooperative pool's threads have small stacks.
enum LargeStackThread {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.stackSize = 64 << 20
            thread.name = "hotline-decode"
            thread.start()
        }
    }
}
