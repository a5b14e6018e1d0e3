// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "hotline",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hotline-intake", targets: ["Intake"]),
        .executable(name: "hotline-dispatcher", targets: ["Dispatcher"]),
        .executable(name: "hotline-sla-timer", targets: ["SLATimer"]),
        .executable(name: "hotline-escalation-notifier", targets: ["EscalationNotifier"]),
        .executable(name: "hotline-survey", targets: ["Survey"]),
        .executable(name: "hotline-knowledge", targets: ["Knowledge"]),
        .executable(name: "hotline-open311", targets: ["Open311"]),
        .executable(name: "hotline-console", targets: ["Console"]),
        .executable(name: "hotlinectl", targets: ["HotlineCtl"]),
        .executable(name: "hotline-timer-bench", targets: ["TimerBench"]),
        .executable(name: "hotline-bench", targets: ["E2EBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CRabbitMQ",
            path: "Shared/CRabbitMQ",
            pkgConfig: "librabbitmq",
            providers: [.apt(["librabbitmq-dev"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            path: "Shared/CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "HotlineDomain",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            path: "Shared/HotlineDomain",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HotlineMessaging",
            dependencies: [
                "CRabbitMQ",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/HotlineMessaging",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HotlineStorage",
            dependencies: [
                "CLibPQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Shared/HotlineStorage",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HotlineRuntime",
            dependencies: [
                "HotlineDomain", "HotlineMessaging", "HotlineStorage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Shared/HotlineRuntime",
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "Intake", dependencies: ["HotlineRuntime"], path: "Services/intake", swiftSettings: swiftSettings),
        .executableTarget(name: "Dispatcher", dependencies: ["HotlineRuntime"], path: "Services/dispatcher", swiftSettings: swiftSettings),
        .executableTarget(name: "SLATimer", dependencies: ["HotlineRuntime"], path: "Services/sla-timer", swiftSettings: swiftSettings),
        .executableTarget(name: "EscalationNotifier", dependencies: ["HotlineRuntime"], path: "Services/escalation-notifier", swiftSettings: swiftSettings),
        .executableTarget(name: "Survey", dependencies: ["HotlineRuntime"], path: "Services/survey", swiftSettings: swiftSettings),
        .executableTarget(name: "Knowledge", dependencies: ["HotlineRuntime"], path: "Services/knowledge", swiftSettings: swiftSettings),
        .executableTarget(
            name: "Open311",
            dependencies: ["HotlineRuntime", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Services/open311",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "Console",
            dependencies: [
                "HotlineRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            path: "Services/console",
            resources: [.embedInCode("Templates")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "HotlineCtl",
            dependencies: [
                "HotlineRuntime",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Services/hotlinectl",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "TimerBench",
            dependencies: [
                "HotlineRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/timer-bench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "E2EBench",
            dependencies: [
                "HotlineDomain",
                "HotlineRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/e2e-bench",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HotlineDomainTests",
            dependencies: ["HotlineDomain", .product(name: "Yams", package: "Yams")],
            path: "Tests/HotlineDomainTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ArchitectureTests", dependencies: ["HotlineRuntime"], path: "Tests/ArchitectureTests",
            swiftSettings: swiftSettings),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["HotlineRuntime"],
            path: "Tests/IntegrationTests",
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
