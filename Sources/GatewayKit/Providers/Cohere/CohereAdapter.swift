#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import HTTPTypes
public import NIOCore

/// Cohere's v2 chat API (`cohere/…` and `cohere_chat/…` models): `POST {base}/v2/chat` with
/// `Authorization: Bearer <key>`.
///
/// - The key's ``APIKey/Settings/baseURL`` is the bare origin (`https://api.cohere.com`); the
///   adapter appends `/v2/chat` (a base URL ending in `/v1` or `/v2` has that suffix replaced).
/// - Messages keep their roles (`developer` is sent as `system`); an assistant message with tool
///   calls sends its text as `tool_plan`; tool results are `tool` messages with `tool_call_id`.
/// - `top_p` is sent as `p`; `tool_choice` `required` and `none` become `REQUIRED` and `NONE`,
///   and a named function becomes `REQUIRED` with only that tool offered (Cohere cannot name one).
///   A JSON schema `response_format` becomes `{"type":"json_object","json_schema":…}`. Of the extra
///   fields, `k`, `safety_mode`, `documents`, `citation_options`, `strict_tools`, `thinking`,
///   `logprobs` and `priority` are carried through.
/// - An answer's `tool_plan` is its content when it has no text. `finish_reason` `ERROR` (and an
///   `error` at the end of a stream) fails as `upstream` and `TIMEOUT` as `upstreamTimeout`, so a
///   broken generation never looks complete.
/// - Usage is `usage.tokens` (what the model processed), else `usage.billed_units`.
public struct CohereAdapter: ProviderAdapter {
    /// The origin used when the key has no base URL.
    public static let defaultBaseURL = "https://api.cohere.com"

    let now: @Sendable () -> Int

    /// Creates the adapter.
    /// - Parameter now: the clock for `created` timestamps, in Unix seconds (Cohere sends none).
    public init(now: (@Sendable () -> Int)? = nil) {
        self.now = now ?? { Int(Date().timeIntervalSince1970) }
    }

    /// Builds `POST {base}/v2/chat` with the key as a bearer token.
    /// - Throws: `GatewayError` `invalidRequest` when a message cannot be expressed for Cohere (a
    ///   tool message without `tool_call_id`, an unknown role); `upstreamAuthFailed` when the call
    ///   has no API key.
    public func makeRequest(_ request: ChatRequest, for call: ProviderCall) throws -> UpstreamRequest {
        guard let secret = call.secret, !secret.isEmpty else {
            throw GatewayError(.upstreamAuthFailed, "the cohere endpoint has no API key to call Cohere with")
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.authorization] = "Bearer " + secret.reveal()
        if call.stream { headers[.accept] = "text/event-stream" }
        let body = try Self.encode(.object(try Self.bodyFields(request, model: call.model.name, stream: call.stream)))
        let url = Self.chatURL(base: call.settings.baseURL ?? Self.defaultBaseURL)
        return UpstreamRequest(url: url, headers: headers, body: body)
    }

    /// Parses a v2 chat answer.
    /// - Throws: `GatewayError` `upstream` when the body is not a v2 chat answer or its
    ///   `finish_reason` is `ERROR`; `upstreamTimeout` when it is `TIMEOUT`.
    public func parseResponse(_ response: UpstreamResponse, for call: ProviderCall) throws -> ChatResponse {
        let wire: CohereWireResponse
        do {
            wire = try JSONDecoder().decode(CohereWireResponse.self, from: Data(response.body.readableBytesView))
        } catch {
            throw GatewayError(.upstream, "Cohere's answer is not a v2 chat response", underlying: error)
        }
        let finish = try wire.finishReason.map { try Self.finishReason($0, error: nil) }
        let message = wire.message
        var text = (message?.content ?? []).filter { ($0.type ?? "text") == "text" }.map { $0.text ?? "" }.joined()
        if text.isEmpty, let plan = message?.toolPlan { text = plan }
        let calls = (message?.toolCalls ?? []).map {
            ToolCall(id: $0.id ?? "", name: $0.function?.name ?? "", arguments: $0.function?.arguments ?? "{}")
        }
        let content: ChatContent? = text.isEmpty && !calls.isEmpty ? nil : .text(text)
        return ChatResponse(
            id: wire.id ?? "", created: now(), model: call.model.name,
            choices: [
                .init(
                    message: ChatMessage(role: .assistant, content: content, toolCalls: calls.isEmpty ? nil : calls),
                    finishReason: finish
                )
            ],
            usage: wire.usage.flatMap(Self.usage)
        )
    }

    /// A parser for the v2 chat event stream.
    public func makeStreamParser(for call: ProviderCall) -> any ProviderStreamParser {
        CohereStreamParser(model: call.model.name, created: now(), secret: call.secret)
    }

    /// Classifies a Cohere error response: 401, 403 and 498 are the key, 402 and a monthly
    /// trial-key limit are quota, other 429s rate limits, 499 and 5xx transient, 408/504
    /// timeouts, other 4xx the caller's fault.
    public func classifyError(
        status: Int, headers: HTTPFields, body: ByteBuffer, for call: ProviderCall
    ) -> GatewayError {
        let wire = try? JSONDecoder().decode(CohereWireErrorBody.self, from: Data(body.readableBytesView))
        let message = Self.message(wire?.message, status: status, secret: call.secret)
        let code: GatewayError.Code
        var failureClass: FailureClass?
        switch status {
        case 401, 403, 498:
            code = .upstreamAuthFailed
        case 402:
            code = .upstreamAuthFailed
            failureClass = .quota
        case 429 where Self.isMonthlyLimit(wire?.message):
            code = .upstreamAuthFailed
            failureClass = .quota
        case 429:
            code = .upstreamRateLimited
        case 408, 504:
            code = .upstreamTimeout
        case 499:
            code = .upstream
        case 400..<500:
            code = .upstreamRejected
        default:
            code = .upstream
        }
        var retryAfter: Duration?
        if code == .upstreamRateLimited, let name = HTTPField.Name("retry-after"), let value = headers[name] {
            retryAfter = AnthropicAdapter.retryAfter(value)
        }
        return GatewayError(code, message, failureClass: failureClass, retryAfter: retryAfter, upstreamStatus: status)
    }

    static func chatURL(base: String) -> String {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") || base.hasSuffix("/v2") { base.removeLast(3) }
        return base + "/v2/chat"
    }

    /// Trial keys have a monthly call limit, answered as 429 "… limited to 1000 API calls / month".
    static func isMonthlyLimit(_ message: String?) -> Bool {
        guard let message = message?.lowercased() else { return false }
        return message.contains("/ month") || message.contains("per month")
    }

    /// `Cohere: <provider message>`, at most 1,000 characters, with the API key removed.
    static func message(_ providerMessage: String?, status: Int?, secret: Secret?) -> String {
        var text: String
        if let providerMessage, !providerMessage.isEmpty {
            text = "Cohere: " + providerMessage
        } else if let status {
            text = "Cohere answered HTTP \(status)"
        } else {
            text = "Cohere reported an error in the stream"
        }
        if let secret, !secret.isEmpty {
            text = text.replacing(secret.reveal(), with: "<redacted>")
        }
        return text.count > 1000 ? String(text.prefix(1000)) + "…" : text
    }

    static func encode(_ value: JSONValue) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return ByteBuffer(bytes: try encoder.encode(value))
    }
}
