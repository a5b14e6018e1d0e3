import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime

/// Announces loaded reference data (`reference.changed`) so that running services read it again at
/// once. It is published after the load committed, with a confirm; if the broker cannot be reached the
/// load stands and the services take it up when their cached copy ages out
/// (`HOTLINE_REFERENCE_MAX_AGE_SECONDS`), which this says.
enum ReferenceAnnouncement {
    static func publish(_ event: ReferenceChanged) async {
        let environment = CtlEnvironment()
        do {
            let message = try OutboxMessage.event(event).outgoing(createdAt: event.occurredAt)
            let publisher = AMQPPublisher(
                configuration: try AMQPConfiguration(url: try environment.amqpURL()), confirmTimeout: 10,
                logger: environment.logger)
            let outcomes = try await publisher.publish([message])
            await publisher.shutdown()
            guard outcomes == [.confirmed] else { throw ReferenceDataError("the broker answered \(outcomes)") }
        } catch {
            FileHandle.standardError.write(Data((
                "warning: reference.changed was not announced (\(error)); running services take the change up "
                + "within HOTLINE_REFERENCE_MAX_AGE_SECONDS (default 30 s)\n").utf8))
        }
    }
}
