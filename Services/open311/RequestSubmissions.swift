import Foundation
import HotlineDomain
import HotlineMessaging
import HotlineRuntime
import HotlineStorage
import Metrics

/// `POST /requests` and `GET /tokens/{token}` (docs/open311.md "Posting a request"): a request becomes
/// a `ticket.submit` published to `hotline.intake` as the client's broker user, with confirms; its
/// answer is the outcome intake stored for the submission, awaited for a short while (`OutcomeWatch`).
/// The token is the submission's `message_id` and names its `submission_id`, `open311:<token>`.
struct RequestSubmissions: Sendable {
    let runtime: ServiceRuntime
    let publishers: ClientPublishers
    let watch: OutcomeWatch
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
        guard let outcome = await watch.outcome(of: token, until: .now + outcomeWait) else {
            count("pending")
            return Open311Outcome.pending(token: token)
        }
        count(outcome.type)
        runtime.logger.info("request answered", metadata: ["client": "\(client.name)", "outcome": "\(outcome.type)", "token": "\(token)"])
        return outcome.posted
    }

    func resolve(token: String) async throws -> Open311Answer {
        guard UUID(uuidString: token) != nil else { throw Open311Failure.notFound("token \(token): not a token") }
        // Unknown: the submission is still on its way (a well-formed token never issued looks the same, for good).
        let outcome = try await OutcomeWatch.outcomes(of: [token], in: runtime.database)[token]
        return outcome?.resolved(token: token) ?? Open311Outcome.unresolved(token: token)
    }

    private func count(_ outcome: String) {
        Counter(label: "hotline_open311_submissions_total", dimensions: [("outcome", outcome)]).increment()
    }
}
