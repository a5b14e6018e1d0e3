import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The Open311 API of the fleet's open311 copies (docs/open311.md), posted to as the local client
/// `local` whose key `platform.sh prepare` wrote next to the clients file.
struct Open311Client: Sendable {
    let endpoints: [URL]
    let apiKey: String
    let session: URLSession

    /// Requests in flight at most when submitting as fast as possible.
    static let inFlight = 64

    /// The client, or why the Open311 phases cannot run (a build without open311, no key).
    static func make(fleet: ServiceFleet, environment: BenchEnvironment) -> Result<Open311Client, Unavailable> {
        let ports = fleet.open311Ports
        guard !ports.isEmpty else { return .failure(Unavailable("hotline-open311 is not in \(environment.binDirectory)")) }
        let key = (try? String(contentsOfFile: environment.open311KeyFile, encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !key.isEmpty else { return .failure(Unavailable("no API key in \(environment.open311KeyFile) (platform.sh prepare writes it)")) }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = inFlight
        configuration.timeoutIntervalForRequest = 120
        return .success(Open311Client(
            endpoints: ports.map { URL(string: "http://127.0.0.1:\($0)/requests.json")! }, apiKey: key,
            session: URLSession(configuration: configuration)))
    }

    struct Unavailable: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// The form of submission `id`: the demand of `BenchSubmission.body` (same phone, house address,
    /// street, community, title, description), so that intake does the same work for it and the
    /// unit's `assignment.created` is matched by its address whether the answer was 201 or 202. No
    /// `lat`/`long`: intake merges open demands of a category within 100 m, and the sandbox keeps
    /// every earlier run's tickets open, so random points would merge sooner or later.
    func form(id: String) -> Data {
        let fields = [
            ("api_key", apiKey), ("service_code", BenchSubmission.category),
            ("address_string", BenchSubmission.addressPrefix + id), ("description", BenchSubmission.description),
            ("phone", BenchSubmission.phone(for: id)),
            ("last_name", BenchSubmission.familyName), ("first_name", BenchSubmission.givenName),
            ("attribute[street]", BenchSubmission.street), ("attribute[community]", BenchSubmission.community),
            ("attribute[title]", BenchSubmission.title),
        ]
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text }
        return Data(fields.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&").utf8)
    }
}

/// Posts one phase's submissions to `POST /requests.json` (spread over the open311 copies), each as
/// its own request, and records each answer's status and round trip.
final class Open311Sender: SubmissionSender {
    struct Answer: Sendable {
        var status: Int
        var milliseconds: Double
    }

    /// What the API answered over a phase.
    struct Answers: Sendable {
        var roundTrip: Percentiles
        var created = 0
        var accepted = 0
        /// Every other answer by status (0: no answer, the request failed).
        var other: [Int: Int] = [:]

        var otherCount: Int { other.values.reduce(0, +) }

        /// "17 (429 ×12, no answer ×5)".
        var otherText: String {
            guard !other.isEmpty else { return "0" }
            return "\(otherCount) (" + other.sorted { $0.key < $1.key }.map {
                "\($0.key == 0 ? "no answer" : String($0.key)) ×\($0.value)"
            }.joined(separator: ", ") + ")"
        }
    }

    let client: Open311Client
    let forms: [Data]
    private let answers = Mutex<[Answer]>([])

    var chunk: Int { 1 }
    var parallel: Int { Open311Client.inFlight }

    init(client: Open311Client, ids: [String]) {
        self.client = client
        forms = ids.map(client.form(id:))
    }

    func send(_ range: Range<Int>) async throws {
        if range.count == 1 { return await post(range.lowerBound) }
        await withTaskGroup(of: Void.self) { group in
            for index in range { group.addTask { await self.post(index) } }
        }
    }

    /// Requests answered neither 201 nor 202: no ticket to wait for.
    var refused: Int { answers.withLock { $0.filter { $0.status != 201 && $0.status != 202 }.count } }

    var summary: Answers {
        let all = answers.withLock { $0 }
        var result = Answers(roundTrip: Percentiles(all.map(\.milliseconds)))
        for answer in all {
            switch answer.status {
            case 201: result.created += 1
            case 202: result.accepted += 1
            default: result.other[answer.status, default: 0] += 1
            }
        }
        return result
    }

    private func post(_ index: Int) async {
        var request = URLRequest(url: client.endpoints[index % client.endpoints.count])
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = forms[index]
        let started = ContinuousClock.now
        let status = ((try? await client.session.data(for: request))?.1 as? HTTPURLResponse)?.statusCode ?? 0
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        answers.withLock { $0.append(Answer(status: status, milliseconds: milliseconds)) }
    }
}
