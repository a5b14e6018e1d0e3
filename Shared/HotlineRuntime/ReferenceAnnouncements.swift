import Foundation
import HotlineDomain
import HotlineMessaging
import Logging
import ServiceLifecycle

/// Hears `reference.changed` on the process's own announcement queue and has the reference data read
/// again at once, so that a catalogue or calendar loaded while the platform runs takes effect within
/// moments rather than when the cache ages out (`HOTLINE_REFERENCE_MAX_AGE_SECONDS`, which still
/// covers an announcement missed while the broker was away).
struct ReferenceAnnouncements: Service {
    let consumer: AMQPConsumer
    let reference: ReferenceDataCache
    let logger: Logger

    func run() async throws {
        let consumer = self.consumer
        await withGracefulShutdownHandler {
            while let deliveries = await consumer.nextBatch(upTo: 100) {
                for delivery in deliveries {
                    if let event = try? HotlineJSON.decode(ReferenceChanged.self, from: Data(delivery.body)) {
                        logger.info("reference data changed", metadata: [
                            "reference": "\(event.reference.rawValue)",
                            "catalogue_version": "\(event.catalogueVersion.map(String.init) ?? "-")",
                        ])
                    } else {
                        logger.warning("unreadable reference.changed announcement; reading reference data again anyway",
                                       metadata: ["message_id": "\(delivery.properties.messageID ?? "-")"])
                    }
                }
                // The announcement only says "read again": whatever it says, the database decides.
                do {
                    _ = try await reference.refresh()
                } catch {
                    logger.warning("reference data could not be read again", metadata: ["error": "\(error)"])
                }
                for delivery in deliveries { consumer.ack(delivery) }
            }
        } onGracefulShutdown: {
            consumer.pause()
        }
        await consumer.stop()
    }
}
