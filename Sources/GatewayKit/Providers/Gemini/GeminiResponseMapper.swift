import HTTPTypes
import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns Gemini's `GenerateContentResponse` into canonical responses; shared by the stream parser.
struct GeminiResponseMapper {
    let provider: Provider
    let model: String
    let created: Int

    func chatResponse(_ body: ByteBuffer) throws -> ChatResponse {
        let response = try decode(body)
        try check(response)
        guard let candidates = response.candidates, !candidates.isEmpty else {
            throw GatewayError(.upstream, "\(provider): the answer has no candidates")
        }
        let id = response.responseId ?? "gemini-" + RandomID.hex(byteCount: 12)
        let choices = candidates.enumerated().map { position, candidate in
            choice(candidate, position: position, responseID: id)
        }
        return ChatResponse(
            id: id, created: created, model: response.modelVersion ?? model, choices: choices,
            usage: response.usageMetadata.map(Self.usage)
        )
    }

    private func choice(_ candidate: GeminiWire.Candidate, position: Int, responseID: String) -> ChatResponse.Choice {
        let parts = candidate.content?.parts ?? []
        let text = Self.text(of: parts)
        var toolCalls: [ToolCall] = []
        for part in parts {
            guard let call = part.functionCall else { continue }
            toolCalls.append(
                ToolCall(
                    id: GeminiToolCallID.make(
                        call: call, signature: part.thoughtSignature, responseID: responseID, position: toolCalls.count
                    ),
                    name: call.name, arguments: Self.arguments(call)
                )
            )
        }
        let message = ChatMessage(
            role: .assistant, content: text.isEmpty && !toolCalls.isEmpty ? nil : .text(text),
            toolCalls: toolCalls.isEmpty ? nil : toolCalls
        )
        return ChatResponse.Choice(
            index: candidate.index ?? position, message: message,
            finishReason: candidate.finishReason.map { Self.finishReason($0, calledTools: !toolCalls.isEmpty) }
        )
    }

    func decode(_ body: ByteBuffer) throws -> GeminiWire.Response {
        do {
            return try JSONDecoder().decode(GeminiWire.Response.self, from: Data(body.readableBytesView))
        } catch {
            throw GatewayError(.upstream, "\(provider): the answer is not a GenerateContentResponse", underlying: error)
        }
    }

    /// Throws when the body is an error or a blocked prompt rather than an answer.
    func check(_ response: GeminiWire.Response) throws {
        if let error = response.error {
            throw GoogleRPCError.classify(provider: provider, status: nil, error: error, headers: [:])
        }
        if response.candidates?.isEmpty ?? true, let reason = response.promptFeedback?.blockReason {
            let detail = response.promptFeedback?.blockReasonMessage.map { ": \($0)" } ?? ""
            throw GatewayError(.upstreamRejected, "\(provider): the prompt was blocked (\(reason))\(detail)")
        }
    }

    static func text(of parts: [GeminiWire.Part]) -> String {
        // Thought summaries are not part of the answer.
        parts.lazy.filter { $0.thought != true }.compactMap(\.text).joined()
    }

    static func arguments(_ call: GeminiWire.FunctionCall) -> String {
        guard let args = call.args, let data = try? JSONEncoder().encode(args) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func finishReason(_ reason: String, calledTools: Bool) -> FinishReason {
        switch reason {
        case "MAX_TOKENS":
            return .length
        case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
            "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION":
            return .contentFilter
        default:
            // Function calls end with STOP: Gemini has no dedicated reason.
            return calledTools ? .toolCalls : .stop
        }
    }

    static func usage(_ metadata: GeminiWire.UsageMetadata) -> Usage {
        let prompt = metadata.promptTokenCount ?? 0
        // OpenAI counts reasoning inside completion tokens; Gemini reports thoughts apart.
        let completion = (metadata.candidatesTokenCount ?? 0) + (metadata.thoughtsTokenCount ?? 0)
        return Usage(
            promptTokens: prompt, completionTokens: completion,
            totalTokens: metadata.totalTokenCount ?? prompt + completion,
            cachedTokens: metadata.cachedContentTokenCount, reasoningTokens: metadata.thoughtsTokenCount
        )
    }
}
