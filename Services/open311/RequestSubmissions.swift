import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage
import Metrics

/// `POST /requests` and `GET /tokens/{token}` (docs/open311.md "Posting a request"): a request becomes
/// a `ticket.submit` published to `hotline.intake` as the client's broker user, with confirms; its
/// answer is the outcome intake stored for the submission (`submissions`, or `invalid_messages` for one
/// that breaks the contract), awaited for a short while. The token is the submission's `message_id`
/// and names its `submission_id`, `open311:<token>`.
struct RequestSubmissions: Sendable {
    let runtime: ServiceRuntime
    let publishers: ClientPublishers
    let outcomeWait: Duration

    /// The AMQP `type` and routing key of a submission.
    static let submitType = "ticket.submit"

    /// Submission ids are `open311:<token>`.
    static func submissionID(token: String) -> String { "open311:\(token)" }

    func post(_ form: Open311RequestForm, client: Open311Clients.Client, catalogue: Open311Catalogue) async -> Open311Answer {
        let token = UUID().uuidString.lowercased()
        let submissionID = Self.submissionID(token: token)
        let now = runtime.clock.now()
        let body: JSONValue
        do {
            body = try form.submission(submissionID: submissionID, channel: client.channel, receivedAt: now, catalogue: catalogue)
        } catch {
            count("refused_here")
            return error.answer
        }
        let message = OutgoingMessage(
            exchange: Exchange.intake, routingKey: Self.submitType,
            properties: AMQPProperties(
                messageID: token, type: Self.submitType, userID: client.brokerUser, timestamp: now),
            body: Array((try? HotlineJSON.encode(body)) ?? Data()), mandatory: true)
        do {
            let outcomes = try await publishers.publisher(for: client).publish([message])
            guard outcomes.first == .confirmed else { throw ConfigurationError("not confirmed: \(outcomes)") }
        } catch {
            runtime.logger.error("the broker did not take a submission", metadata: ["client": "\(client.name)", "error": "\(error)"])
            count("not_published")
            return Open311Failure(503, "the request could not be handed to the hotline now; post it again").answer
        }
        let deadline = ContinuousClock.now + outcomeWait
        var pause = Duration.milliseconds(10)
        while true {
            if let outcome = try? await outcome(token: token) {
                count(outcome.type)
                runtime.logger.info("request answered", metadata: [
                    "client": "\(client.name)", "outcome": "\(outcome.type)", "token": "\(token)",
                ])
                return Open311Outcome(type: outcome.type, event: outcome.event).posted
            }
            guard ContinuousClock.now + pause < deadline else { break }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(200))
        }
        count("pending")
        return Open311Outcome.pending(token: token)
    }

    func resolve(token: String) async throws -> Open311Answer {
        guard UUID(uuidString: token) != nil else { throw Open311Failure.notFound("token \(token): not a token") }
        if let outcome = try await outcome(token: token) {
            return Open311Outcome(type: outcome.type, event: outcome.event).resolved(token: token)
        }
        // The submission is still on its way (a well-formed token never issued looks the same, for good).
        return Open311Outcome.unresolved(token: token)
    }

    /// The outcome intake stored for the submission of `token`, if it has decided; for one it could not
    /// read, the problems it kept.
    private func outcome(token: String) async throws -> (type: String, event: JSONValue)? {
        try await runtime.database.withConnection { connection in
            guard let row = try connection.query(
                """
                SELECT outcome_type, outcome, NULL AS errors FROM submissions WHERE submission_id = $1
                UNION ALL
                SELECT $2, NULL, errors::text FROM invalid_messages WHERE consumer = $3 AND message_id = $4
                """,
                [Self.submissionID(token: token), EventType.submissionInvalid.rawValue, HotlineTopology.submissionsConsumer, token]
            ).first else { return nil }
            let type: String = try row.decode("outcome_type")
            if let errors = try row.decodeIfPresent("errors", as: String.self) {
                return (type, .object(["errors": try JSONValue.parse(Data(errors.utf8))]))
            }
            return (type, try JSONValue.parse(try row.decode("outcome", as: Data.self)))
        }
    }

    private func count(_ outcome: String) {
        Counter(label: "hotline_open311_submissions_total", dimensions: [("outcome", outcome)]).increment()
    }
}
