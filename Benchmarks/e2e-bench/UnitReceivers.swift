import Foundation
import HotlineMessaging
import HotlineStorage
import Synchronization

/// Consumes every `hotline.unit.*` queue of the loaded jurisdiction as the units' systems would
/// (manual ack, prefetch), and records when each `assignment.created` arrived, by submission id, and
/// under which message ids.
final class UnitReceivers: Sendable {
    struct Arrival: Sendable {
        var first: Date
        var messageIDs: Set<String>
        var assignmentIDs: Set<String>
        var deliveries: Int
    }

    private let consumers: [AMQPConsumer]
    private let tasks: Mutex<[Task<Void, Never>]> = Mutex([])
    private let arrivals = Mutex<[String: Arrival]>([:])
    /// assignment_id → the message ids its `assignment.created` came under.
    private let byAssignment = Mutex<[String: Set<String>]>([:])
    /// Called with the unit's code and each delivery as it arrives, before its ack (the lifecycle phase's units).
    private let listener = Mutex<(@Sendable (String, Delivery) -> Void)?>(nil)
    let otherMessages = Atomic<Int>(0)

    static func unitCodes(_ database: Database) async throws -> [String] {
        try await database.withConnection { connection in
            try connection.query("SELECT code FROM units ORDER BY code").map { try $0.decode("code", as: String.self) }
        }
    }

    init(amqpURL: String, units: [String], prefetch: Int = 500) throws {
        let configuration = try AMQPConfiguration(url: amqpURL)
        consumers = units.map { code in
            // The queues exist (declared by `hotlinectl broker setup`); consume them as they are.
            AMQPConsumer(
                configuration: configuration, queue: "hotline.unit.\(code)", topology: AMQPTopology(), prefetch: prefetch,
                logger: BenchEnvironment.logger)
        }
        for (code, consumer) in zip(units, consumers) {
            let task = Task { [self] in
                for await delivery in consumer.deliveries {
                    let received = Date()
                    listener.withLock { $0 }?(code, delivery)
                    if delivery.properties.type == "assignment.created",
                       let submission = BenchSubmission.submissionID(ofAssignment: delivery.body) {
                        let messageID = delivery.properties.messageID ?? ""
                        let assignmentID = (try? JSONSerialization.jsonObject(with: Data(delivery.body)) as? [String: Any])?[
                            "assignment_id"] as? String ?? ""
                        arrivals.withLock { all in
                            if var arrival = all[submission] {
                                arrival.messageIDs.insert(messageID)
                                arrival.assignmentIDs.insert(assignmentID)
                                arrival.deliveries += 1
                                all[submission] = arrival
                            } else {
                                all[submission] = Arrival(
                                    first: received, messageIDs: [messageID], assignmentIDs: [assignmentID], deliveries: 1)
                            }
                        }
                        byAssignment.withLock { _ = $0[assignmentID, default: []].insert(messageID) }
                    } else {
                        otherMessages.add(1, ordering: .relaxed)
                    }
                    consumer.ack(delivery)
                }
            }
            tasks.withLock { $0.append(task) }
        }
    }

    /// Hands every later delivery to `body` too (nil: to nobody).
    func listen(_ body: (@Sendable (String, Delivery) -> Void)?) {
        listener.withLock { $0 = body }
    }

    func waitConnected(timeout: TimeInterval = 30) async {
        let deadline = Date().addingTimeInterval(timeout)
        while consumers.contains(where: { !$0.isConnected }), Date() < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    func count(prefix: String) -> Int {
        arrivals.withLock { $0.keys.filter { $0.hasPrefix(prefix) }.count }
    }

    func snapshot(prefix: String) -> [String: Arrival] {
        arrivals.withLock { $0.filter { $0.key.hasPrefix(prefix) } }
    }

    /// Assignments whose `assignment.created` arrived under more than one message id.
    func assignmentsWithSeveralIDs() -> Int {
        byAssignment.withLock { $0.values.filter { $0.count > 1 }.count }
    }

    func stop() async {
        for consumer in consumers { consumer.pause() }
        for consumer in consumers { await consumer.stop() }
        for task in tasks.withLock({ $0 }) { task.cancel() }
    }
}
