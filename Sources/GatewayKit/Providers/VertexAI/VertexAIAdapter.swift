public import HTTPTypes
public import NIOCore

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Google Vertex AI (`vertex_ai/…`): Gemini models on the regional publisher URL, and Claude
/// models (`vertex_ai/claude-…`) with the Anthropic body on `rawPredict`/`streamRawPredict`.
///
/// The key's secret is a service-account JSON; its `settings.project` and `settings.location`
/// name where the model runs. Before each call the router asks ``authorize(_:transport:)`` for an
/// OAuth access token: an RS256-signed JWT exchanged at the JSON's `token_uri`, cached until a
/// minute before it expires, and fetched once however many requests need it at the same moment.
/// A key's `base_url`, when set, replaces the `https://{location}-aiplatform.googleapis.com` origin.
///
/// ```swift
/// var providers = ProviderRegistry()
/// providers.register(VertexAIAdapter(anthropic: AnthropicAdapter()), for: .vertexAI)
/// ```
public struct VertexAIAdapter: CredentialRefreshingAdapter {
    /// The `anthropic_version` Vertex's Claude endpoints expect in the body.
    public static let anthropicVersion = "vertex-2023-10-16"

    let gemini: GeminiAdapter
    let anthropic: (any ProviderAdapter)?
    private let tokens: ServiceAccountTokenCache
    private let now: @Sendable () -> Date

    /// Creates the adapter.
    /// - Parameters:
    ///   - gemini: builds and parses the Gemini body.
    ///   - anthropic: builds and parses the Anthropic body for Claude models; without it, Claude
    ///     models fail with `upstream` (class `unavailable`).
    ///   - clock: the clock that decides when a cached access token is due for renewal.
    ///   - now: the wall clock for the JWT's `iat` and `exp`; defaults to the system time.
    public init(
        gemini: GeminiAdapter = .init(), anthropic: (any ProviderAdapter)? = nil,
        clock: some Clock<Duration> = ContinuousClock(), now: (@Sendable () -> Date)? = nil
    ) {
        self.gemini = gemini
        self.anthropic = anthropic
        self.tokens = ServiceAccountTokenCache(clock: clock)
        self.now = now ?? { Date() }
    }

    /// Sets the call's ``ProviderCall/accessToken`` from the cache, exchanging a new JWT at the
    /// service account's `token_uri` when none is valid.
    /// - Parameters:
    ///   - call: the call; its secret is the service-account JSON.
    ///   - transport: the transport for the token exchange.
    /// - Returns: `call` with its access token set.
    /// - Throws: `GatewayError` `invalidRequest` naming `project` or `location` when the key lacks
    ///   them; `upstreamAuthFailed` when the secret is not a usable service account or the token
    ///   endpoint refuses it; `upstream`, `upstreamTimeout` or `upstreamRateLimited` when the token
    ///   endpoint fails.
    public func authorize(_ call: ProviderCall, transport: any HTTPTransport) async throws -> ProviderCall {
        _ = try Self.place(call.settings)
        guard let secret = call.secret, !secret.isEmpty else {
            throw GatewayError(
                .upstreamAuthFailed, "vertex_ai: the API key has no secret; it must be a service-account JSON")
        }
        let account = try ServiceAccount(secret: secret)
        let issuedAt = Int(now().timeIntervalSince1970)
        let timeout = call.timeout
        let token = try await tokens.token(for: .init(clientEmail: account.clientEmail, tokenURI: account.tokenURI)) {
            try await account.fetchToken(issuedAt: issuedAt, transport: transport, timeout: timeout)
        }
        var call = call
        call.accessToken = token
        return call
    }

    /// Builds the Vertex request: the Gemini body on `publishers/google`, or for Claude models the
    /// Anthropic body (without `model`, with `anthropic_version`) on `publishers/anthropic`.
    /// - Parameters:
    ///   - request: the chat request.
    ///   - call: the authorized call.
    /// - Returns: the request, with the access token as a bearer token.
    /// - Throws: `GatewayError` `invalidRequest` naming `project` or `location` when the key lacks
    ///   them, or when the request cannot be expressed; `upstreamAuthFailed` when the call carries no
    ///   access token; `upstream` (class `unavailable`) for a Claude model without an Anthropic adapter.
    public func makeRequest(_ request: ChatRequest, for call: ProviderCall) throws -> UpstreamRequest {
        let (project, location) = try Self.place(call.settings)
        guard let token = call.accessToken else {
            throw GatewayError(
                .upstreamAuthFailed,
                "vertex_ai: the call has no access token; authorize(_:transport:) must run before makeRequest"
            )
        }
        let base = "\(Self.origin(call.settings, location: location))/v1/projects/\(project)/locations/\(location)"
        if Self.isClaude(call.model) {
            return try claudeRequest(request, for: call, base: base, token: token)
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.authorization] = "Bearer \(token.reveal())"
        let method = call.stream ? "streamGenerateContent?alt=sse" : "generateContent"
        return UpstreamRequest(
            url: "\(base)/publishers/google/models/\(call.model.name):\(method)", headers: headers,
            body: try GeminiRequestBody.encode(request)
        )
    }

    /// Parses a Gemini or (for Claude models) an Anthropic response.
    /// - Parameters:
    ///   - response: the 2xx response.
    ///   - call: the call it answers.
    /// - Returns: the chat completion.
    /// - Throws: `GatewayError` `upstream` when the body is not what the model's publisher documents;
    ///   `upstreamRejected` for a blocked prompt.
    public func parseResponse(_ response: UpstreamResponse, for call: ProviderCall) throws -> ChatResponse {
        if Self.isClaude(call.model) { return try claude().parseResponse(response, for: call) }
        return try GeminiResponseMapper(provider: .vertexAI, model: call.model.name, created: gemini.created())
            .chatResponse(response.body)
    }

    /// Makes a parser for the Gemini `alt=sse` stream, or the Anthropic stream for Claude models.
    /// - Parameter call: the call being streamed.
    /// - Returns: the parser.
    public func makeStreamParser(for call: ProviderCall) -> any ProviderStreamParser {
        guard Self.isClaude(call.model) else {
            return GeminiStreamParser(provider: .vertexAI, model: call.model.name, created: gemini.created())
        }
        do {
            return try claude().makeStreamParser(for: call)
        } catch {
            return FailingStreamParser(error: GatewayError.classifying(error))
        }
    }

    /// Classifies an error: Google RPC bodies (`{"error":{"status":…}}`) as for Gemini, Anthropic
    /// bodies from Claude models by the Anthropic adapter.
    /// - Parameters:
    ///   - status: the HTTP status.
    ///   - headers: the response headers.
    ///   - body: the response body.
    ///   - call: the call that failed.
    /// - Returns: the classified error (see ``GeminiAdapter/classifyError(status:headers:body:for:)``).
    public func classifyError(status: Int, headers: HTTPFields, body: ByteBuffer, for call: ProviderCall)
        -> GatewayError
    {
        if Self.isClaude(call.model), let anthropic, !GoogleRPCError.isGoogleBody(body) {
            return anthropic.classifyError(status: status, headers: headers, body: body, for: call)
        }
        return GoogleRPCError.classify(provider: .vertexAI, status: status, headers: headers, body: body)
    }
}

extension VertexAIAdapter {
    static func isClaude(_ model: ModelRef) -> Bool {
        model.name.lowercased().hasPrefix("claude")
    }

    static func place(_ settings: APIKey.Settings) throws(GatewayError) -> (project: String, location: String) {
        guard let project = settings.project?.trimmingWhitespace(), !project.isEmpty else {
            throw GatewayError.invalid(
                "project", "vertex_ai: the API key needs a project (the Google Cloud project id)")
        }
        guard let location = settings.location?.trimmingWhitespace(), !location.isEmpty else {
            throw GatewayError.invalid(
                "location", "vertex_ai: the API key needs a location (us-central1, europe-west4, global, …)")
        }
        return (project, location)
    }

    /// The origin for `location`: `global` and the `us`/`eu` multi-regions have their own hosts.
    static func origin(_ settings: APIKey.Settings, location: String) -> String {
        if let base = settings.baseURL, !base.isEmpty { return GeminiAdapter.trimmingSlashes(base) }
        switch location {
        case "global": return "https://aiplatform.googleapis.com"
        case "us", "eu": return "https://aiplatform.\(location).rep.googleapis.com"
        default: return "https://\(location)-aiplatform.googleapis.com"
        }
    }

    func claude() throws(GatewayError) -> any ProviderAdapter {
        guard let anthropic else {
            throw GatewayError(
                .upstream, "vertex_ai: Claude models need an Anthropic adapter, and none is configured",
                failureClass: .unavailable
            )
        }
        return anthropic
    }
}

/// A stream parser that fails at once: for a stream that cannot be parsed at all.
struct FailingStreamParser: ProviderStreamParser {
    let error: GatewayError

    func parse(_ bytes: ByteBuffer) throws -> [ChatChunk] { throw error }
    func finish() throws -> [ChatChunk] { throw error }
}
