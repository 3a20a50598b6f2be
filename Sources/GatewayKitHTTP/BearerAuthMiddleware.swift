public import GatewayKit
import HTTPTypes
public import Hummingbird

/// Authenticates `Authorization: Bearer <token>` against the gateway's access tokens and puts
/// the ``GatewayKit/Caller`` in the context. A missing, malformed or unknown token is a 401.
public struct BearerAuthMiddleware<Context: GatewayRequestContext>: RouterMiddleware {
    let tokens: AccessTokenManager

    /// Creates the middleware.
    /// - Parameter tokens: the gateway's access tokens (`gateway.tokens`).
    public init(tokens: AccessTokenManager) {
        self.tokens = tokens
    }

    /// Authenticates the request, then calls `next`.
    /// - Throws: `GatewayError` `unauthenticated`.
    public func handle(
        _ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.caller = try tokens.authenticate(authorization: request.headers[.authorization])
        return try await next(request, context)
    }
}

extension AccessTokenManager {
    /// The caller an `Authorization` header's bearer token stands for.
    /// - Throws: `GatewayError` `unauthenticated` for a missing, malformed or unknown token.
    func authenticate(authorization header: String?) throws(GatewayError) -> Caller {
        guard let header else {
            throw GatewayError(.unauthenticated, "send an access token as 'Authorization: Bearer <token>'")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw GatewayError(.unauthenticated, "the Authorization header must be 'Bearer <token>'")
        }
        return try authenticate(String(parts[1]).trimmingSpaces())
    }
}

extension String {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while slice.first == " " || slice.first == "\t" { slice.removeFirst() }
        while slice.last == " " || slice.last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
