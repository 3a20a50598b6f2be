/// Issues, lists, revokes and checks callers' access tokens. Managing them is Admin only.
public struct AccessTokenManager: Sendable {
    let writer: ConfigWriter
    let live: LiveConfiguration

    /// Issues a token with a role. The token is in the result and cannot be read again.
    /// - Throws: `GatewayError` `forbidden`; `invalidRequest` for an empty name.
    public func create(name: String, role: Role, by caller: Caller) async throws -> IssuedAccessToken {
        try caller.require(.manageTokens)
        return try await writer.createToken(name: name, role: role)
    }

    /// Makes sure a token chosen by the operator exists with `role` (the server's
    /// `GATEWAY_ADMIN_TOKEN`); does nothing if it is already stored.
    /// - Throws: `GatewayError` `invalidRequest` when the token is shorter than 16 characters.
    @discardableResult
    public func seed(name: String, role: Role, token: Secret) async throws -> AccessToken {
        guard token.reveal().count >= 16 else {
            throw GatewayError.invalid("token", "a seeded access token must be at least 16 characters")
        }
        return try await writer.seedToken(name: name, role: role, secret: token)
    }

    /// Revokes a token; it fails from the next request on.
    /// - Throws: `GatewayError` `forbidden`; `notFound`.
    public func delete(_ id: AccessToken.ID, by caller: Caller) async throws {
        try caller.require(.manageTokens)
        try await writer.deleteToken(id)
    }

    /// Every token's record, sorted by name; never the tokens themselves.
    /// - Throws: `GatewayError` `forbidden`.
    public func list(by caller: Caller) throws(GatewayError) -> [AccessToken] {
        try caller.require(.manageTokens)
        return live.current.tokens.values.sorted { ($0.name, $0.id.rawValue) < ($1.name, $1.id.rawValue) }
    }

    /// The caller a bearer token stands for.
    /// - Throws: `GatewayError` `unauthenticated` when the token is unknown or revoked.
    public func authenticate(_ bearer: String) throws(GatewayError) -> Caller {
        let hash = AccessToken.hash(bearer)
        guard let token = live.current.tokensByHash[hash], constantTimeEquals(token.tokenHash.utf8, hash.utf8) else {
            throw GatewayError(.unauthenticated, "the access token is missing, unknown or revoked")
        }
        return Caller(role: token.role, tokenID: token.id)
    }
}
