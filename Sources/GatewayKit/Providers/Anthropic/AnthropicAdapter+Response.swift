#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore

extension AnthropicAdapter {
    /// Parses a Messages API `message` body: text blocks joined, `tool_use` blocks as tool calls
    /// with their `input` object as the JSON arguments string. A Claude-on-Vertex adapter reuses
    /// it as is (the answer is the same there).
    func parseMessage(_ body: ByteBuffer, model: String) throws -> ChatResponse {
        let message: AnthropicWireMessage
        do {
            message = try Self.decode(AnthropicWireMessage.self, from: body)
        } catch {
            throw GatewayError(.upstream, "Anthropic's answer is not a Messages API message", underlying: error)
        }
        var text = ""
        var calls: [ToolCall] = []
        for block in message.content ?? [] {
            switch block.type {
            case "text":
                text += block.text ?? ""
            case "tool_use":
                calls.append(
                    ToolCall(
                        id: block.id ?? "", name: block.name ?? "",
                        arguments: try Self.argumentsString(block.input ?? .object([:]))
                    )
                )
            default:
                // Thinking, redacted thinking and server-tool blocks have no OpenAI equivalent.
                continue
            }
        }
        let content: ChatContent? = text.isEmpty && !calls.isEmpty ? nil : .text(text)
        let reply = ChatMessage(role: .assistant, content: content, toolCalls: calls.isEmpty ? nil : calls)
        return ChatResponse(
            id: message.id ?? "", created: now(), model: message.model ?? model,
            choices: [.init(message: reply, finishReason: message.stopReason.map(Self.finishReason))],
            usage: message.usage.map { Self.usage(UsageCounts($0)) }
        )
    }

    static func argumentsString(_ input: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(input), as: UTF8.self)
    }

    /// `end_turn`, `stop_sequence`, `pause_turn` → `stop`; `max_tokens` and
    /// `model_context_window_exceeded` → `length`; `tool_use` → `tool_calls`; `refusal` →
    /// `content_filter`. Unknown reasons read as `stop`.
    static func finishReason(_ reason: String) -> FinishReason {
        switch reason {
        case "max_tokens", "model_context_window_exceeded": .length
        case "tool_use": .toolCalls
        case "refusal": .contentFilter
        default: .stop
        }
    }

    /// Token counts as Anthropic reports them, merged across stream events.
    struct UsageCounts: Sendable {
        var input = 0
        var output = 0
        var cacheRead: Int?
        var cacheCreation = 0

        init() {}

        init(_ wire: AnthropicWireUsage) {
            merge(wire)
        }

        /// Later values replace earlier ones (they are cumulative); a zero input count does not
        /// replace a real one, since some Anthropic-compatible servers send 0 in `message_delta`.
        mutating func merge(_ wire: AnthropicWireUsage) {
            if let value = wire.inputTokens, value > 0 || input == 0 { input = value }
            if let value = wire.outputTokens { output = value }
            if let value = wire.cacheReadInputTokens { cacheRead = value }
            if let value = wire.cacheCreationInputTokens { cacheCreation = value }
        }
    }

    /// Prompt tokens include cache reads and cache writes, which Anthropic counts apart from
    /// `input_tokens`; ``Usage/cachedTokens`` is the cache reads.
    static func usage(_ counts: UsageCounts) -> Usage {
        Usage(
            promptTokens: counts.input + (counts.cacheRead ?? 0) + counts.cacheCreation,
            completionTokens: counts.output, cachedTokens: counts.cacheRead
        )
    }
}
