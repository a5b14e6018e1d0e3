import HotlineMessaging
import Logging

/// The dead letters in `hotline.dead` (docs/operations.md "Dead letters"): taken without being
/// consumed, and republished with confirms to where they were first published.
public enum DeadLetters {
    /// Takes up to `limit` dead letters without consuming them, runs `body`, and gives back every
    /// one `body` did not ack.
    public static func browse<T>(
        _ configuration: AMQPConfiguration, limit: Int, _ body: (QueueBrowser, [DeadLetter]) async throws -> T
    ) async throws -> T {
        let browser = try await QueueBrowser.connect(configuration)
        do {
            let messages = try await browser.take(queue: HotlineTopology.deadQueue, limit: limit)
            let letters = messages.enumerated().map { DeadLetter(index: $0.offset + 1, message: $0.element) }
            let result = try await body(browser, letters)
            await browser.close()
            return result
        } catch {
            await browser.close()
            throw error
        }
    }

    /// A letter requeued to `target`, or not requeued because of `target`'s problem.
    public struct Outcome: Sendable {
        public let id: String
        public let target: String
    }

    /// Publishes each letter to its original exchange and routing key, with its properties, as the
    /// broker user `publisher(letter)` names (a `user_id` needs that user, or an impersonator: the
    /// broker checks it; nil: the problem why none), and acks the dead copy once the broker confirmed
    /// the new one.
    public static func requeue(
        _ letters: [DeadLetter], browser: QueueBrowser, logger: Logger,
        publisher: (DeadLetter) throws -> Result<AMQPConfiguration, Problem>
    ) async throws -> (requeued: [Outcome], failed: [Outcome]) {
        var requeued: [Outcome] = []
        var failed: [Outcome] = []
        var publishers: [String: AMQPPublisher] = [:]
        for letter in letters {
            let id = letter.message.properties.messageID ?? "#\(letter.index)"
            let target = "\(letter.originalExchange.isEmpty ? "(default)" : letter.originalExchange)/\(letter.originalRoutingKey)"
            let configuration: AMQPConfiguration
            switch try publisher(letter) {
            case .success(let found): configuration = found
            case .failure(let problem):
                failed.append(Outcome(id: id, target: problem.text))
                continue
            }
            let publisher = publishers[configuration.user] ?? AMQPPublisher(configuration: configuration, logger: logger)
            publishers[configuration.user] = publisher
            let message = OutgoingMessage(
                exchange: letter.originalExchange, routingKey: letter.originalRoutingKey,
                properties: letter.message.properties, body: letter.message.body, mandatory: true)
            let outcome: PublishOutcome
            do {
                outcome = try await publisher.publish([message]).first ?? .nacked
            } catch {
                failed.append(Outcome(id: id, target: "\(target): \(error)"))
                continue
            }
            guard outcome == .confirmed else {
                failed.append(Outcome(id: id, target: "\(target): \(outcome)"))
                continue
            }
            try await browser.ack(letter.message)
            requeued.append(Outcome(id: id, target: target))
        }
        for publisher in publishers.values { await publisher.shutdown() }
        return (requeued, failed)
    }

    /// Why a letter has no broker user to be republished as.
    public struct Problem: Error, Sendable {
        public let text: String
        public init(_ text: String) { self.text = text }
    }
}
