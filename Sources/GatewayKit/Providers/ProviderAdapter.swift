public import HTTPTypes
public import NIOCore

/// Everything an adapter needs to know about one upstream call besides the request.
public struct ProviderCall: Sendable {
    /// The model to call.
    public var model: ModelRef
    /// The API key's metadata (settings such as base URL and region), when the target has one.
    public var apiKey: APIKey?
    /// The opened secret, when the target has a key. Never log it.
    public var secret: Secret?
    /// Whether the answer is streamed.
    public var stream: Bool
    /// The endpoint's timeout. The transport enforces it for HTTP providers; an in-process
    /// provider must honour it itself.
    public var timeout: Duration
    /// A short-lived access token a ``CredentialRefreshingAdapter`` obtained for this call (Vertex
    /// AI's OAuth token); `nil` until ``CredentialRefreshingAdapter/authorize(_:transport:)`` sets
    /// it. Never log it.
    public var accessToken: Secret? = nil

    /// Creates a call description.
    public init(model: ModelRef, apiKey: APIKey?, secret: Secret?, stream: Bool, timeout: Duration = Endpoint.defaultTimeout) {
        self.model = model
        self.apiKey = apiKey
        self.secret = secret
        self.stream = stream
        self.timeout = timeout
    }

    /// The key's settings, or empty settings when there is no key.
    public var settings: APIKey.Settings { apiKey?.settings ?? .init() }
}

/// A pure translation between GatewayKit's canonical chat types and one provider's wire format.
///
/// An adapter builds the HTTP request, parses a response, makes a parser for stream events and
/// classifies error responses. It does no I/O: the router sends what it builds over an
/// ``HTTPTransport``, so each adapter is tested against exact payloads without a network.
public protocol ProviderAdapter: Sendable {
    /// Builds the HTTP request for `request` (URL, headers with credentials, body).
    /// - Throws: `GatewayError` `invalidRequest` when the request cannot be expressed for this provider.
    func makeRequest(_ request: ChatRequest, for call: ProviderCall) throws -> UpstreamRequest

    /// Parses a successful (2xx) response.
    /// - Throws: `GatewayError` `upstream` when the body is not what the provider documents.
    func parseResponse(_ response: UpstreamResponse, for call: ProviderCall) throws -> ChatResponse

    /// Makes a parser for one streamed response body.
    func makeStreamParser(for call: ProviderCall) -> any ProviderStreamParser

    /// Turns a non-2xx response into an error whose code and ``FailureClass`` decide fallback.
    func classifyError(status: Int, headers: HTTPFields, body: ByteBuffer, for call: ProviderCall) -> GatewayError
}

/// Turns the bytes of one streamed response into chunks. It keeps state between calls (partial
/// events, tool-call indices), so a new parser is made for every stream.
public protocol ProviderStreamParser: Sendable {
    /// Consumes the next bytes of the body, split anywhere, and returns the chunks they complete.
    /// - Throws: `GatewayError` when the provider reports an error inside the stream or sends
    ///   something that is not its documented format.
    mutating func parse(_ bytes: ByteBuffer) throws -> [ChatChunk]

    /// Called when the body ends; returns any last chunks.
    /// - Throws: `GatewayError` `upstream` when the stream ended before the provider's terminator,
    ///   so a truncated answer never looks complete.
    mutating func finish() throws -> [ChatChunk]
}

/// A provider answered inside the gateway's process, with no HTTP: the `mock` provider, or a
/// test double of your own.
public protocol InProcessProvider: Sendable {
    /// Answers a request.
    /// - Throws: `GatewayError`, classified as an upstream error would be.
    func complete(_ request: ChatRequest, for call: ProviderCall) async throws -> ChatResponse

    /// Streams an answer.
    /// - Throws: `GatewayError`, before or during the stream.
    func stream(_ request: ChatRequest, for call: ProviderCall) async throws
        -> any AsyncSequence<ChatChunk, any Error> & Sendable
}
