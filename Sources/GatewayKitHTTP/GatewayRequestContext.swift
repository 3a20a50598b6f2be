public import GatewayKit
public import Hummingbird
public import NIOCore

/// A request context the gateway's routes can run in: it carries the authenticated ``Caller`` and,
/// when known, the connection, so an oversized body can be refused without reading the rest.
///
/// Use ``BasicGatewayRequestContext``, or conform your own context to mount the routes in an app
/// that needs more per-request state.
public protocol GatewayRequestContext: RequestContext {
    /// The caller the bearer token stands for; set by ``BearerAuthMiddleware``.
    var caller: Caller? { get set }
    /// The connection the request arrived on, or `nil` when the context does not know it.
    var channel: (any Channel)? { get }
}

extension GatewayRequestContext {
    /// The authenticated caller.
    /// - Throws: `GatewayError` `unauthenticated` when no bearer token was accepted.
    public func requireCaller() throws(GatewayError) -> Caller {
        guard let caller else {
            throw GatewayError(.unauthenticated, "send an access token as 'Authorization: Bearer <token>'")
        }
        return caller
    }
}

/// The plain ``GatewayRequestContext``: Hummingbird's core storage, the caller and the channel.
public struct BasicGatewayRequestContext: GatewayRequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The authenticated caller, once ``BearerAuthMiddleware`` has run.
    public var caller: Caller?
    /// The connection the request arrived on.
    public let channel: (any Channel)?

    /// Creates a context for a request arriving on `source.channel`.
    /// - Parameter source: the application's request context source.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.caller = nil
        self.channel = source.channel
    }
}
