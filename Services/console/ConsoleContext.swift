import Hummingbird
import NIOCore

/// A request's context: Hummingbird's, the caller's address (for the audit log) and, once the
/// session middleware found a session, who is signed in.
struct ConsoleContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?
    var visitor: Visitor?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        remote = remoteAddress?.ipAddress
    }

    /// The person's IP address as text, for the audit log (set by `SessionMiddleware`: the peer's,
    /// or the one the trusted proxy names).
    var remote: String?

    /// The signed-in person; the session middleware lets no request without one reach a page.
    var signedIn: Visitor {
        get throws {
            guard let visitor else { throw HTTPError(.unauthorized) }
            return visitor
        }
    }
}
