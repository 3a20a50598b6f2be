/// An adapter whose provider needs a short-lived credential obtained over the network before a
/// request can be built, such as Vertex AI's OAuth access token minted from a service account.
///
/// The router calls ``authorize(_:transport:)`` before ``ProviderAdapter/makeRequest(_:for:)`` and
/// uses the call it returns for the whole attempt, so the adapter's translation stays pure.
public protocol CredentialRefreshingAdapter: ProviderAdapter {
    /// Returns `call` with the credential the request needs (usually ``ProviderCall/accessToken``),
    /// fetching or refreshing it over `transport` when no cached one is still valid.
    /// - Parameters:
    ///   - call: the call about to be made.
    ///   - transport: the router's transport, for the token exchange.
    /// - Returns: the call to build the request from.
    /// - Throws: `GatewayError` `upstreamAuthFailed` when the credential is unusable or refused,
    ///   `upstream` or `upstreamTimeout` when the token endpoint cannot be reached.
    func authorize(_ call: ProviderCall, transport: any HTTPTransport) async throws -> ProviderCall
}

extension ProviderCall {
    /// This call as `adapter` needs it: authorized when the adapter refreshes credentials,
    /// unchanged otherwise.
    func authorized(for adapter: any ProviderAdapter, transport: any HTTPTransport) async throws -> ProviderCall {
        guard let refreshing = adapter as? any CredentialRefreshingAdapter else { return self }
        return try await refreshing.authorize(self, transport: transport)
    }
}
