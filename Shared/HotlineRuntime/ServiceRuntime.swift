import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineStorage
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// What a running service is made of: its settings, clock, logger, database pool, publisher and
/// outbox relay. Services build their consumers from it.
public struct ServiceRuntime: Sendable {
    public let configuration: ServiceConfiguration
    public let amqp: AMQPConfiguration
    public let clock: any ServiceClock
    public let logger: Logger
    public let database: Database
    public let publisher: AMQPPublisher
    public let relay: OutboxRelay
    /// The consumers made with `consumer(queue:topology:handler:)`, whose connections `/health` reports.
    public let consumers = ConsumerRegistry()
    /// The service's reference data (`HOTLINE_PROFILES_DIR/<HOTLINE_PROFILE>.yaml`, the jurisdiction
    /// and the calendars in the database).
    public let reference: ReferenceDataCache

    public init(
        configuration: ServiceConfiguration, amqp: AMQPConfiguration, clock: any ServiceClock, logger: Logger,
        database: Database, publisher: AMQPPublisher, relay: OutboxRelay
    ) {
        self.configuration = configuration
        self.amqp = amqp
        self.clock = clock
        self.logger = logger
        self.database = database
        self.publisher = publisher
        self.relay = relay
        reference = ReferenceDataCache(
            database: database, profileFile: configuration.profileFile, maxAge: configuration.referenceMaxAge)
    }

    /// A consumer of `queue` (declaring `topology` on every connect) that runs `handler` per delivery,
    /// the deliveries of a batch together in one transaction.
    public func consumer(
        queue: String, topology: AMQPTopology, linger: Duration? = nil,
        handler: @escaping @Sendable (Delivery) async -> Disposition
    ) -> ConsumerService {
        let consumer = AMQPConsumer(
            configuration: amqp, queue: queue, topology: topology, prefetch: configuration.prefetch, logger: logger)
        consumers.register(consumer)
        return ConsumerService(
            consumer: consumer,
            runtime: self, batchSize: configuration.batchSize,
            linger: linger ?? .milliseconds(configuration.batchLingerMilliseconds),
            handler: handler)
    }

    /// This process's listener for `reference.changed`, on a queue of its own (every copy of every
    /// service hears each announcement).
    func referenceAnnouncements() -> ReferenceAnnouncements {
        let (queue, topology) = HotlineTopology.announcements(
            service: configuration.service, process: UUID().uuidString.lowercased())
        let consumer = AMQPConsumer(configuration: amqp, queue: queue, topology: topology, prefetch: 10, logger: logger)
        consumers.register(consumer)
        return ReferenceAnnouncements(consumer: consumer, reference: reference, logger: logger)
    }

    /// Sets up logging and metrics, connects, and runs the health server, the outbox relay and the
    /// services `build` returns until SIGTERM or SIGINT; then shuts down in reverse order: consumers
    /// first, the relay flushes, connections close. The clock is the wall clock, shifted by
    /// `HOTLINE_CLOCK_OFFSET_SECONDS` when that is set, unless one is given.
    ///
    /// A service that cannot start as configured (a server address missing, the rule profile
    /// unreadable, reference data that does not load while the database answers) says why and exits
    /// with status 78 (`EX_CONFIG`) instead of running and retrying every message.
    public static func run(
        service: String, defaultHTTPPort: Int, clock: (any ServiceClock)? = nil,
        build: @Sendable (ServiceRuntime) async throws -> [any Service]
    ) async throws {
        let configuration = ServiceConfiguration(service: service, defaultHTTPPort: defaultHTTPPort)
        let clock = clock ?? (configuration.clockOffset == 0 ? SystemClock() : OffsetClock(offset: configuration.clockOffset))
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, service: service, level: level) }
        let registry = PrometheusCollectorRegistry()
        var metrics = PrometheusMetricsFactory(registry: registry)
        metrics.valueHistogramBuckets["hotline_batch_size"] = ConsumerService.batchSizeBuckets
        MetricsSystem.bootstrap(metrics)
        let logger = Logger(label: "hotline.\(service)")
        /// Says why (log and standard error) and exits with `status`.
        func exit(_ status: Int32, _ what: String, _ error: any Error) -> Never {
            logger.critical("\(what)", metadata: ["error": "\(error)"])
            FileHandle.standardError.write(Data("hotline-\(service): \(what): \(error)\n".utf8))
            Foundation.exit(status)
        }
        func refuseToStart(_ error: any Error) -> Never { exit(78, "cannot start", error) }

        let amqp: AMQPConfiguration
        let retention: RetentionPolicy
        do {
            try configuration.checkServers()
            amqp = try AMQPConfiguration(url: configuration.amqpURL)
            retention = try configuration.retention.get()
        } catch {
            refuseToStart(error)
        }
        let database = Database(
            url: configuration.databaseURL, applicationName: "hotline-\(service)",
            size: configuration.databaseConnections, logger: logger)
        let publisher = AMQPPublisher(configuration: amqp, logger: logger)
        let relay = OutboxRelay(
            service: service, database: database, publisher: publisher, clock: clock, batchSize: configuration.relayBatch,
            idleInterval: configuration.relayInterval, logger: logger)
        let runtime = ServiceRuntime(
            configuration: configuration, amqp: amqp, clock: clock, logger: logger, database: database,
            publisher: publisher, relay: relay)
        // All reference data when the database answers; the rule profile alone when it does not.
        do {
            if let unreachable = await database.probe() {
                logger.warning("database unreachable at start; consumption waits for it", metadata: ["error": "\(unreachable)"])
                _ = try ReferenceData.decodeProfile(
                    try ReferenceSources.readProfile(configuration.profileFile), path: configuration.profileFile.path)
            } else {
                _ = try await runtime.reference.current()
            }
        } catch let error as DatabaseError where error.isTransient {
            logger.warning("database lost while reading reference data; consumption waits for it")
        } catch {
            refuseToStart(error)
        }
        let services: [any Service]
        do {
            services = try await build(runtime)
        } catch {
            refuseToStart(error)
        }
        let consumers = runtime.consumers
        let reference = runtime.reference
        // How far the working calendar reaches from today, by the data last read (no database work),
        // recorded as `hotline_calendar_days_left`.
        let calendarCoverage: @Sendable () async -> CalendarCoverage? = { [clock] in
            guard let calendar = await reference.latest?.calendar else { return nil }
            let coverage = CalendarCoverage(calendar: calendar, today: CalendarDate(clock.now(), in: calendar.timeZone))
            Gauge(label: "hotline_calendar_days_left").record(coverage.daysLeft)
            return coverage
        }
        let health = HealthServer.make(
            host: configuration.httpHost, port: configuration.httpPort, registry: registry, logger: logger,
            check: HealthCheck { [warningDays = configuration.calendarWarningDays] in
                HealthReport(
                    parts: [
                        "database": await database.ping(), "broker": consumers.allConnected, "reference": reference.isAvailable,
                    ],
                    warnings: [await calendarCoverage()?.warning(warningDays: warningDays)].compactMap { $0 })
            },
            refreshGauges: { _ = await calendarCoverage() })
        logger.info("starting", metadata: [
            "amqp": "\(AMQPConfiguration.redact(configuration.amqpURL))", "profile": "\(configuration.profile)",
            "batch": "\(configuration.batchSize)", "prefetch": "\(configuration.prefetch)",
        ])
        if configuration.clockOffset != 0 {
            logger.warning("service clock shifted", metadata: ["offset_seconds": "\(configuration.clockOffset)"])
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    // A health server that cannot listen (its port taken) stops the service, which
                    // then says why and exits: no service runs unobserved.
                    .init(service: health, failureTerminationBehavior: .gracefullyShutdownGroup), .init(service: relay),
                    .init(service: RecordRetention(
                        database: database, clock: clock, policy: retention, service: service,
                        interval: .milliseconds(Int(configuration.retentionInterval * 1000)), logger: logger)),
                    .init(service: runtime.referenceAnnouncements()),
                ] + services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        let failure: (any Error)?
        do {
            try await group.run()
            failure = nil
        } catch {
            failure = error
        }
        await publisher.shutdown()
        await database.shutdown()
        if let failure { exit(1, "stopped", failure) }
        logger.info("stopped")
    }
}
