public import HTTPTypes
public import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The Google Gemini API (`gemini/…`): `generateContent` and `streamGenerateContent?alt=sse` on
/// `generativelanguage.googleapis.com`, with the key in `x-goog-api-key`.
///
/// System messages become `systemInstruction`; assistant turns are role `model`; tools become
/// `functionDeclarations`, and tool results `functionResponse` parts matched to their call by
/// function name (Gemini has no call ids, so the adapter makes stable ones). A key's `base_url` is
/// the bare origin; the adapter appends `/v1beta/models/{model}:…`.
///
/// ```swift
/// var providers = ProviderRegistry()
/// providers.register(GeminiAdapter(), for: .gemini)
/// ```
public struct GeminiAdapter: ProviderAdapter {
    /// The API's origin when the key sets no `base_url`.
    public static let defaultBaseURL = "https://generativelanguage.googleapis.com"

    private let now: @Sendable () -> Int

    /// Creates the adapter.
    /// - Parameter now: the clock for `created` timestamps, in Unix seconds; defaults to the system time.
    public init(now: (@Sendable () -> Int)? = nil) {
        self.now = now ?? { Int(Date().timeIntervalSince1970) }
    }

    /// Builds the `generateContent` (or `streamGenerateContent?alt=sse`) request.
    /// - Parameters:
    ///   - request: the chat request.
    ///   - call: the model, key and whether to stream.
    /// - Returns: the request, with the key in `x-goog-api-key`.
    /// - Throws: `GatewayError` `upstreamAuthFailed` when the key has no secret; `invalidRequest`
    ///   when a message cannot be expressed for Gemini (a tool result answering no known call,
    ///   tool-call arguments that are not a JSON object, an unsupported content part).
    public func makeRequest(_ request: ChatRequest, for call: ProviderCall) throws -> UpstreamRequest {
        guard let secret = call.secret, !secret.isEmpty else {
            throw GatewayError(.upstreamAuthFailed, "gemini: the API key has no secret")
        }
        let base = Self.trimmingSlashes(call.settings.baseURL ?? Self.defaultBaseURL)
        let model = call.model.name.hasPrefix("models/") ? String(call.model.name.dropFirst(7)) : call.model.name
        let method = call.stream ? "streamGenerateContent?alt=sse" : "generateContent"
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if let name = HTTPField.Name("x-goog-api-key") { headers[name] = secret.reveal() }
        return UpstreamRequest(
            url: "\(base)/v1beta/models/\(model):\(method)", headers: headers,
            body: try GeminiRequestBody.encode(request)
        )
    }

    /// Parses a `GenerateContentResponse` into a chat completion.
    /// - Parameters:
    ///   - response: the 2xx response.
    ///   - call: the call it answers.
    /// - Returns: one choice per candidate, with tool calls, finish reason and usage.
    /// - Throws: `GatewayError` `upstream` when the body is not a Gemini response or has no
    ///   candidates; `upstreamRejected` when Gemini blocked the prompt (`promptFeedback.blockReason`).
    public func parseResponse(_ response: UpstreamResponse, for call: ProviderCall) throws -> ChatResponse {
        try GeminiResponseMapper(provider: .gemini, model: call.model.name, created: now()).chatResponse(response.body)
    }

    /// Makes a parser for an `alt=sse` stream.
    /// - Parameter call: the call being streamed.
    /// - Returns: a parser that ends cleanly only after a candidate had a `finishReason`.
    public func makeStreamParser(for call: ProviderCall) -> any ProviderStreamParser {
        GeminiStreamParser(provider: .gemini, model: call.model.name, created: now())
    }

    /// Classifies a Google RPC error body (`{"error":{"code","message","status","details"}}`).
    /// - Parameters:
    ///   - status: the HTTP status.
    ///   - headers: the response headers (`Retry-After` is read when the body gives no `RetryInfo`).
    ///   - body: the response body.
    ///   - call: the call that failed.
    /// - Returns: `upstreamRateLimited` for `RESOURCE_EXHAUSTED` (with `retryAfter` from
    ///   `RetryInfo.retryDelay`), `upstreamAuthFailed` for per-day quotas (class `quota`), a rejected
    ///   API key, `PERMISSION_DENIED` and `UNAUTHENTICATED`; `upstreamRejected` for other 4xx such as
    ///   `INVALID_ARGUMENT` and `FAILED_PRECONDITION`; `upstreamTimeout` for 408/504; else `upstream`.
    public func classifyError(status: Int, headers: HTTPFields, body: ByteBuffer, for call: ProviderCall)
        -> GatewayError
    {
        GoogleRPCError.classify(provider: .gemini, status: status, headers: headers, body: body)
    }

    /// The `created` timestamp for a response parsed now.
    func created() -> Int { now() }

    static func trimmingSlashes(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
