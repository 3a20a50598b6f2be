#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Everything a store holds, as loaded at one moment.
public struct StoreContents: Sendable, Hashable {
    /// Every endpoint.
    public var endpoints: [Endpoint]
    /// Every API key, with its sealed secret.
    public var apiKeys: [StoredAPIKey]
    /// Every access token (hashed).
    public var accessTokens: [AccessToken]
    /// Every guardrail rule, active or not.
    public var guardrails: [GuardrailRule]

    /// Creates contents.
    public init(
        endpoints: [Endpoint] = [], apiKeys: [StoredAPIKey] = [], accessTokens: [AccessToken] = [],
        guardrails: [GuardrailRule] = []
    ) {
        self.endpoints = endpoints
        self.apiKeys = apiKeys
        self.accessTokens = accessTokens
        self.guardrails = guardrails
    }
}

/// A change a store reports through ``GatewayStore/changes()``: something was written, possibly
/// by another gateway instance, and the live configuration should be refreshed.
public enum StoreChange: Sendable, Hashable {
    /// An endpoint was created, edited or deleted.
    case endpoint(Endpoint.Slug)
    /// An API key was created, edited or deleted.
    case apiKey(APIKey.ID)
    /// An access token was created or deleted.
    case accessToken(AccessToken.ID)
    /// Anything may have changed (for example after a reconnect): reload everything.
    case everything
}

/// Where a gateway keeps its configuration: endpoints, API keys (secrets sealed) and access tokens.
///
/// Writes are optimistic: an update names the version it read, and a store whose stored version
/// differs throws `conflict` rather than overwrite a newer write. A store never sees a plain secret.
/// Every backend must pass `StoreConformanceSuite` from `GatewayKitTesting`.
///
/// Errors: implementations throw `GatewayError` — `conflict` for a taken slug or id or a stale
/// version, `notFound` for a missing record, `storageUnavailable` when the backend cannot be
/// reached — and keep the backend's own error in `underlying`.
public protocol GatewayStore: Sendable {
    /// Loads everything.
    /// - Throws: `GatewayError` `storageUnavailable`.
    func load() async throws -> StoreContents

    /// Adds an endpoint.
    /// - Throws: `GatewayError` `conflict` when the slug is taken.
    func insertEndpoint(_ endpoint: Endpoint) async throws

    /// Replaces an endpoint whose stored version is `expectedVersion`; `endpoint.version` is the new one.
    /// - Throws: `GatewayError` `conflict` when the stored version differs; `notFound` when missing.
    func updateEndpoint(_ endpoint: Endpoint, expectedVersion: Int) async throws

    /// Deletes an endpoint; with `expectedVersion`, only if the stored version matches.
    /// - Throws: `GatewayError` `notFound` when missing; `conflict` on a version mismatch.
    func deleteEndpoint(_ slug: Endpoint.Slug, expectedVersion: Int?) async throws

    /// Adds an API key.
    /// - Throws: `GatewayError` `conflict` when the id is taken.
    func insertAPIKey(_ key: StoredAPIKey) async throws

    /// Replaces an API key whose stored version is `expectedVersion`.
    /// - Throws: `GatewayError` `conflict` when the stored version differs; `notFound` when missing.
    func updateAPIKey(_ key: StoredAPIKey, expectedVersion: Int) async throws

    /// Deletes an API key.
    /// - Throws: `GatewayError` `notFound` when missing.
    func deleteAPIKey(_ id: APIKey.ID) async throws

    /// Records when keys were last used; a key that no longer exists is ignored. Not versioned.
    func recordAPIKeyUse(_ uses: [APIKey.ID: Date]) async throws

    /// Adds an access token.
    /// - Throws: `GatewayError` `conflict` when the id or hash is taken.
    func insertAccessToken(_ token: AccessToken) async throws

    /// Deletes an access token.
    /// - Throws: `GatewayError` `notFound` when missing.
    func deleteAccessToken(_ id: AccessToken.ID) async throws

    /// Changes made through this store by anyone, including other processes where the backend can
    /// tell. A store that only sees its own writes may return a stream that never yields.
    func changes() -> AsyncStream<StoreChange>
}
