import HotlineDomain
import Hummingbird

/// What no route answers: a method the path does not take gets 405 with `Allow`, and an unknown
/// path 404, both with the standard's error array. A `HEAD` (routed with its `GET`) loses the body.
struct Open311Fallback: RouterMiddleware {
    typealias Context = Open311Context

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            var response = try await next(request, context)
            if request.method == .head { response.body = ResponseBody() }
            return response
        } catch let error as HTTPError where error.status == .notFound {
            let path = request.uri.path
            let allowed = Self.methods(of: path)
            let failure = allowed.isEmpty
                ? Open311Failure.notFound("no such resource: \(path)")
                : Open311Failure(405, "\(request.method.rawValue) is not allowed here: \(allowed.joined(separator: ", "))")
            let format = Open311Format.split(path).map(\.1) ?? .json
            var headers: HTTPFields = [.contentType: format.contentType]
            if !allowed.isEmpty { headers[.allow] = allowed.joined(separator: ", ") }
            return Response(
                status: HTTPResponse.Status(code: failure.status), headers: headers,
                body: .init(byteBuffer: ByteBuffer(data: failure.answer.document.rendered(as: format))))
        }
    }

    /// The methods the routes of `path` take (`Open311API.router`).
    static func methods(of path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        switch (segments.count, segments.first) {
        case (1, "requests.json"?), (1, "requests.xml"?): return ["GET", "HEAD", "POST"]
        case (1, "services.json"?), (1, "services.xml"?): return ["GET", "HEAD"]
        case (2, "services"?), (2, "requests"?), (2, "tokens"?): return segments.last?.isEmpty == false ? ["GET", "HEAD"] : []
        default: return []
        }
    }
}
