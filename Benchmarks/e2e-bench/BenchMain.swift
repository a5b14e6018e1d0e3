import ArgumentParser
import Foundation

/// End-to-end benchmark and fault-test tools of the platform. See docs/benchmark.md.
@main
struct HotlineBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hotline-bench",
        abstract: "End-to-end throughput and latency of the platform beside the machine's raw limits; fault-test streaming and audit.",
        subcommands: [PlatformBench.self, FaultStream.self, FaultAudit.self],
        defaultSubcommand: PlatformBench.self)
}
