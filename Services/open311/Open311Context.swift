import Hummingbird
import NIOCore

/// A request's context: Hummingbird's, and the caller's address, which limits reads without a key.
struct Open311Context: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
