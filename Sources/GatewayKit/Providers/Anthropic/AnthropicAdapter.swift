#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import HTTPTypes
public import NIOCore

/// The Anthropic Messages API (`anthropic/…` models): `POST {base}/v1/messages`.
///
/// - The key's ``APIKey/Settings/baseURL`` is the bare origin (`https://api.anthropic.com`); the
///   adapter appends `/v1/messages` (a base URL already ending in `/v1` gets only `/messages`).
/// - Headers: `x-api-key` with the secret and `anthropic-version`: the key's
///   ``APIKey/Settings/apiVersion``, else ``Configuration/version`` (`2023-06-01`).
/// - System and developer messages become the top-level `system`; consecutive messages of the
///   same role are merged, and tool results are sent as `tool_result` blocks of a user turn.
/// - `max_tokens` is required by Anthropic: the request's (or the endpoint's) value is sent, else
///   ``Configuration/defaultMaxTokens`` (``defaultMaxTokens``, 4096).
/// - `temperature` is clamped to Anthropic's 0–1 range, so a request written for OpenAI (0–2)
///   does not fail when it falls back to Claude. `seed`, `n`, the penalties and
///   `response_format` have no Anthropic equivalent and are not sent; of the extra fields,
///   `top_k`, `thinking`, `metadata` and `service_tier` are carried through.
/// - Usage: prompt tokens are `input_tokens + cache_read_input_tokens +
///   cache_creation_input_tokens` (Anthropic counts cached input apart from `input_tokens`), and
///   ``Usage/cachedTokens`` is `cache_read_input_tokens`.
public struct AnthropicAdapter: ProviderAdapter {
    /// The `max_tokens` sent when neither the request nor the endpoint sets one.
    public static let defaultMaxTokens = 4096

    /// How the adapter reaches Anthropic when the API key's settings do not say.
    public struct Configuration: Sendable {
        /// The origin used when the key has no base URL.
        public var baseURL: String
        /// The `anthropic-version` header used when the key has no API version.
        public var version: String
        /// The `max_tokens` sent when neither the request nor the endpoint sets one.
        public var defaultMaxTokens: Int

        /// Creates a configuration.
        /// - Parameters:
        ///   - baseURL: the origin used when the key has none (`https://api.anthropic.com`).
        ///   - version: the default `anthropic-version` (`2023-06-01`).
        ///   - defaultMaxTokens: the `max_tokens` sent when nothing else sets it (4096).
        public init(
            baseURL: String = "https://api.anthropic.com", version: String = "2023-06-01",
            defaultMaxTokens: Int = AnthropicAdapter.defaultMaxTokens
        ) {
            self.baseURL = baseURL
            self.version = version
            self.defaultMaxTokens = defaultMaxTokens
        }
    }

    /// The configuration.
    public let configuration: Configuration
    let now: @Sendable () -> Int

    /// Creates the adapter.
    /// - Parameters:
    ///   - configuration: defaults for keys that do not set a base URL or version.
    ///   - now: the clock for `created` timestamps, in Unix seconds (Anthropic sends none).
    public init(configuration: Configuration = .init(), now: (@Sendable () -> Int)? = nil) {
        self.configuration = configuration
        self.now = now ?? { Int(Date().timeIntervalSince1970) }
    }

    /// Builds `POST {base}/v1/messages` with `x-api-key` and `anthropic-version`.
    /// - Throws: `GatewayError` `invalidRequest` when a message cannot be expressed for Anthropic
    ///   (a tool message without `tool_call_id`, tool-call arguments that are not a JSON object, a
    ///   data URL that is not base64); `upstreamAuthFailed` when the call has no API key.
    public func makeRequest(_ request: ChatRequest, for call: ProviderCall) throws -> UpstreamRequest {
        guard let secret = call.secret, !secret.isEmpty else {
            throw GatewayError(.upstreamAuthFailed, "the anthropic endpoint has no API key to call Anthropic with")
        }
        let body = try makeBody(request, model: call.model.name, anthropicVersion: nil, stream: call.stream)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if call.stream { headers[.accept] = "text/event-stream" }
        if let name = HTTPField.Name("x-api-key") { headers[name] = secret.reveal() }
        if let name = HTTPField.Name("anthropic-version") {
            headers[name] = call.settings.apiVersion ?? configuration.version
        }
        let url = Self.messagesURL(base: call.settings.baseURL ?? configuration.baseURL)
        return UpstreamRequest(url: url, headers: headers, body: body)
    }

    /// Parses a Messages API answer.
    /// - Throws: `GatewayError` `upstream` when the body is not a Messages API message.
    public func parseResponse(_ response: UpstreamResponse, for call: ProviderCall) throws -> ChatResponse {
        try parseMessage(response.body, model: call.model.name)
    }

    /// A parser for the Messages API event stream.
    public func makeStreamParser(for call: ProviderCall) -> any ProviderStreamParser {
        AnthropicStreamParser(model: call.model.name, created: now(), secret: call.secret)
    }

    /// Classifies an Anthropic error response: 429 and 529 are rate limits, 429 with
    /// `enforced_spend_limit_reached` and a spent credit balance are quota, 401/403 are the key,
    /// other 4xx are the caller's fault, 408/504 timeouts and other 5xx transient.
    public func classifyError(
        status: Int, headers: HTTPFields, body: ByteBuffer, for call: ProviderCall
    ) -> GatewayError {
        let wire = try? Self.decode(AnthropicWireErrorBody.self, from: body)
        var retryAfter: Duration?
        if let name = HTTPField.Name("retry-after"), let value = headers[name] {
            retryAfter = Self.retryAfter(value)
        }
        return Self.classify(status: status, error: wire?.error, retryAfter: retryAfter, secret: call.secret)
    }

    static func messagesURL(base: String) -> String {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        return base.hasSuffix("/v1") ? base + "/messages" : base + "/v1/messages"
    }

    /// `retry-after` in seconds (Anthropic sends whole seconds); an HTTP date is not used.
    static func retryAfter(_ value: String) -> Duration? {
        // Beyond a day the hint is not plausible; ignoring it also keeps the conversion in range.
        guard let seconds = Double(value.trimmingWhitespace()), seconds >= 0, seconds <= 86_400 else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }

    static func decode<T: Decodable>(_ type: T.Type, from body: ByteBuffer) throws -> T {
        try JSONDecoder().decode(type, from: Data(body.readableBytesView))
    }

    static func encode(_ value: JSONValue) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return ByteBuffer(bytes: try encoder.encode(value))
    }
}
