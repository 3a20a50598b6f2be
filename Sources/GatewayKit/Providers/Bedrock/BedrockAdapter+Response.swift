import NIOCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension BedrockAdapter {
    /// A chat response from a Converse response body.
    /// - Throws: `GatewayError` `upstream` when the body is not a Converse response.
    static func chatResponse(_ response: UpstreamResponse, model: String, created: Int) throws(GatewayError)
        -> ChatResponse
    {
        let decoded: BedrockWire.ConverseResponse
        do {
            decoded = try JSONDecoder().decode(
                BedrockWire.ConverseResponse.self, from: Data(response.body.readableBytesView))
        } catch {
            throw GatewayError(.upstream, "bedrock: the Converse response could not be read", underlying: error)
        }
        guard let message = decoded.output?.message else {
            throw GatewayError(.upstream, "bedrock: the Converse response has no output.message")
        }
        var text = ""
        var toolCalls: [ToolCall] = []
        for block in message.content ?? [] {
            if let piece = block.text { text += piece }
            if let use = block.toolUse {
                toolCalls.append(ToolCall(id: use.toolUseId, name: use.name, arguments: try arguments(use.input)))
            }
        }
        let reply = ChatMessage(
            role: .assistant, content: text.isEmpty && !toolCalls.isEmpty ? nil : .text(text),
            toolCalls: toolCalls.isEmpty ? nil : toolCalls
        )
        let requestID = header(response.headers, "x-amzn-requestid").map { "bedrock-" + $0 }
        return ChatResponse(
            id: requestID ?? "bedrock-" + UUID().uuidString.lowercased(), created: created, model: model,
            choices: [.init(message: reply, finishReason: finishReason(decoded.stopReason))],
            usage: decoded.usage?.usage
        )
    }

    /// A tool's input object as the JSON string OpenAI clients expect.
    private static func arguments(_ input: JSONValue?) throws(GatewayError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(input ?? .object([:])), as: UTF8.self)
        } catch {
            throw GatewayError(
                .upstream, "bedrock: a tool call's input could not be written as JSON", underlying: error)
        }
    }

    /// Converse's `stopReason` as an OpenAI finish reason; an unknown reason is passed through.
    static func finishReason(_ stopReason: String?) -> FinishReason? {
        guard let stopReason else { return nil }
        switch stopReason {
        case "end_turn", "stop_sequence": return .stop
        case "max_tokens", "model_context_window_exceeded": return .length
        case "tool_use": return .toolCalls
        case "guardrail_intervened", "content_filtered": return .contentFilter
        default: return FinishReason(rawValue: stopReason)
        }
    }
}
