import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage
import Metrics

/// Consumes `hotline.knowledge.queries`: each `gateway.search-knowledge` is answered on the sender's
/// reply queue with the ranked entries in force (`knowledge.search-results`), or `command.rejected`
/// (docs/contract.md "Queries"). A query changes nothing: it is read, answered with a confirmed
/// publish and then acked; one redelivered after a crash is answered again, from the entries in force then.
struct KnowledgeQueries: Sendable {
    static let consumer = "knowledge.queries"
    /// Entries the database hands over for ranking, at most.
    static let candidates = 200

    let runtime: ServiceRuntime

    func handle(_ delivery: Delivery) async -> Disposition {
        let commandID = delivery.messageKey
        guard let reply = delivery.replyAddress else {
            // Nowhere to answer: a query without reply_to or user_id is dropped from the queue, counted.
            Counter(label: "hotline_knowledge_queries_total", dimensions: [("outcome", "no_reply_to")]).increment()
            return .ack
        }
        let now = runtime.clock.now()
        let answer: OutboxMessage
        do {
            answer = try await search(delivery, at: now)
        } catch let refused as CommandRefused {
            if refused.unreadable, await keep(delivery, refused, now: now) == false { return .retry }
            guard let rejected = try? refused.outcome(
                commandID: commandID, commandType: delivery.commandType, body: delivery.body, now: now)
            else { return .retry }
            answer = rejected
        } catch {
            runtime.logger.error("knowledge search failed; the query goes back to the queue", metadata: [
                "message_id": "\(commandID)", "error": "\(error)",
            ])
            try? await Task.sleep(for: .milliseconds(200))
            return .retry
        }
        var message = reply.annotate(answer).reply(to: reply.queue)
        message.correlationID = commandID
        do {
            let outcomes = try await runtime.publisher.publish([message.outgoing(createdAt: now)])
            guard outcomes.first == .confirmed else { return .retry }
        } catch {
            return .retry
        }
        Counter(label: "hotline_knowledge_queries_total", dimensions: [("outcome", answer.type)]).increment()
        return .ack
    }

    /// The ranked entries for a readable query from a gateway.
    private func search(_ delivery: Delivery, at now: Date) async throws -> OutboxMessage {
        guard let id = delivery.properties.messageID, !id.isEmpty else {
            throw CommandRefused(
                .invalid, "message_id is required: the answer's correlation_id names it",
                errors: [FieldProblem(field: "message_id", problem: "required")], unreadable: true)
        }
        let received = try ReceivedCommand(delivery, answeredOn: "the knowledge base's query queue")
        guard case .gatewaySearchKnowledge(let query) = received.command else { throw received.notAnsweredHere }
        let search = KnowledgeSearch(query: query.query)
        let at = query.at ?? now
        // Ranked on the database's thread, off the cooperative pool: up to 200 bodies are scanned.
        let hits = try await runtime.database.withConnection { connection in
            let documents = try KnowledgeStore.candidates(for: search, filter: query, at: at, candidates: Self.candidates, on: connection)
            return search.rank(documents, limit: query.resultLimit).map { KnowledgeSearchResults.Hit(entry: $0.document, score: $0.score) }
        }
        let results = KnowledgeSearchResults(query: query.query, at: at, results: hits)
        return OutboxMessage(
            exchange: Exchange.direct, routingKey: "", messageID: UUID().uuidString, type: KnowledgeSearchResults.messageType,
            mandatory: false, body: try HotlineJSON.encode(results))
    }

    /// Keeps an unreadable query in `invalid_messages`; false when the database could not take it.
    private func keep(_ delivery: Delivery, _ refused: CommandRefused, now: Date) async -> Bool {
        do {
            _ = try await runtime.database.transaction { connection in
                try InvalidMessages.keep(
                    delivery, consumer: Self.consumer,
                    problems: refused.problems,
                    on: connection, now: now)
            }
            return true
        } catch {
            return false
        }
    }
}
