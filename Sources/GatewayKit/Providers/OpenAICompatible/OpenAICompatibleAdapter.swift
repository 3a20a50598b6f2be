public import HTTPTypes
public import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The adapter for OpenAI Chat Completions and every host that speaks it: OpenAI, Azure OpenAI,
/// Mistral, xAI, OpenRouter, Together AI, Ollama (`/v1`), vLLM and NVIDIA NIM.
///
/// The hosts differ only in their ``Configuration``: the default base URL, how the secret is sent,
/// how the token limit is named and a few request rewrites. An API key's `base_url` replaces the
/// default; OpenAI-compatible bases include the version path (`http://localhost:11434/v1`), and
/// the adapter appends `/chat/completions`.
///
/// ```swift
/// var registry = ProviderRegistry.standard
/// let groq = OpenAICompatibleAdapter(
///     configuration: .init(name: "Groq", defaultBaseURL: "https://api.groq.com/openai/v1"))
/// registry.register(groq, for: "groq")
/// ```
public struct OpenAICompatibleAdapter: ProviderAdapter {
    /// The providers this adapter serves in ``ProviderRegistry/standard``.
    public static let providers: [Provider] = [
        .openai, .azure, .mistral, .xai, .openrouter, .togetherAI, .ollama, .ollamaChat, .hostedVLLM, .nvidiaNIM,
    ]

    /// The host's configuration.
    public let configuration: Configuration

    /// Creates the adapter for one of GatewayKit's OpenAI-compatible providers.
    /// - Parameter provider: the provider; one not in ``providers`` gets a generic configuration
    ///   whose API keys must set `base_url`.
    public init(provider: Provider) {
        self.configuration = .standard(for: provider)
    }

    /// Creates an adapter for any OpenAI-compatible host.
    /// - Parameter configuration: the host's configuration.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Builds `POST {base}/chat/completions` (Azure: the deployment URL) with the credential header
    /// and the request in OpenAI's wire form, `model` set to the provider's model id. A streamed call
    /// asks for the final usage chunk (`stream_options.include_usage`).
    /// - Parameters:
    ///   - request: the canonical request; its `model` (an endpoint slug) is replaced.
    ///   - call: the model, the API key's settings (`base_url`, `api_version`) and the secret.
    /// - Throws: `GatewayError` `invalidRequest` naming `base_url` when there is no usable base URL,
    ///   or when the request cannot be encoded as JSON.
    public func makeRequest(_ request: ChatRequest, for call: ProviderCall) throws -> UpstreamRequest {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.accept] = call.stream ? "text/event-stream" : "application/json"
        try addCredential(to: &headers, secret: call.secret)
        return UpstreamRequest(
            method: .post, url: try url(for: call), headers: headers, body: try body(request, for: call)
        )
    }

    /// Parses a `chat.completion` body.
    /// - Parameters:
    ///   - response: the 2xx response.
    ///   - call: the call it answers.
    /// - Throws: `GatewayError` classified from the body when a 2xx body is an error object
    ///   (`upstreamRejected`, `upstreamAuthFailed`, `upstreamRateLimited`, `upstream`); `upstream`
    ///   when the body is not a chat completion.
    public func parseResponse(_ response: UpstreamResponse, for call: ProviderCall) throws -> ChatResponse {
        // The hand-written parser first; on any doubt JSONDecoder decodes or the body is classified.
        if let parsed = try? ChatResponse(json: JSONParser.parse(response.body.readableBytesView)) {
            return parsed
        }
        let data = Data(response.body.readableBytesView)
        do {
            return try JSONDecoder().decode(ChatResponse.self, from: data)
        } catch {
            if let body = ErrorBody(json: data) {
                throw classify(body, status: response.status, headers: response.headers, call: call)
            }
            throw GatewayError(
                .upstream, "\(configuration.name) answered with a body that is not a chat completion",
                upstreamStatus: response.status, underlying: error
            )
        }
    }

    /// Makes a parser for a `chat.completion.chunk` SSE stream that ends with `data: [DONE]`.
    ///
    /// The parser throws the classified error for a `data: {"error": …}` event, and `upstream` from
    /// `finish()` when the stream ended without `[DONE]` and before any choice finished.
    /// - Parameter call: the call whose stream is parsed.
    public func makeStreamParser(for call: ProviderCall) -> any ProviderStreamParser {
        OpenAICompatibleStreamParser(adapter: self, call: call)
    }

    /// Classifies an error response: 400/404/413/422 `upstreamRejected`; 401/403
    /// `upstreamAuthFailed`; 402 or a quota 429 `upstreamAuthFailed` with ``FailureClass/quota``;
    /// 429 `upstreamRateLimited` with `retryAfter`; 408/504 `upstreamTimeout`; 409 and 5xx `upstream`.
    /// The message is the provider's `error.message` prefixed with its name, never the secret.
    /// - Parameters:
    ///   - status: the HTTP status.
    ///   - headers: the response headers (`retry-after-ms`, `retry-after`).
    ///   - body: the response body, in any of the error shapes compatible hosts use.
    ///   - call: the call that failed.
    public func classifyError(status: Int, headers: HTTPFields, body: ByteBuffer, for call: ProviderCall)
        -> GatewayError
    {
        let parsed = ErrorBody(json: Data(body.readableBytesView))
        return classify(parsed, status: status, headers: headers, call: call)
    }
}
