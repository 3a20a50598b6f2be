#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore

/// Turns the Messages API event stream into chunks.
///
/// `message_start` gives the id, model and input tokens and opens the assistant turn;
/// `content_block_start`/`content_block_delta` give text and tool calls (Anthropic's block index
/// is mapped to a tool-call index counting only `tool_use` blocks); `message_delta` gives the stop
/// reason and cumulative usage, sent as the finishing chunk; `message_stop` ends the stream.
/// `ping`, `content_block_stop` and unknown events or delta types add nothing; `error` throws.
struct AnthropicStreamParser: SSEStreamParser {
    var decoder = SSEDecoder()
    private var id = ""
    private var model: String
    private let created: Int
    private let secret: Secret?
    private var toolIndices: [Int: Int] = [:]
    private var usage = AnthropicAdapter.UsageCounts()
    private var stopped = false

    init(model: String, created: Int, secret: Secret?) {
        self.model = model
        self.created = created
        self.secret = secret
    }

    var isComplete: Bool { stopped }
    var truncationMessage: String { "the Anthropic stream ended before message_stop, so the answer is incomplete" }

    mutating func handle(_ sse: SSEEvent) throws -> [ChatChunk] {
        guard !stopped else { return [] }
        let event: AnthropicWireEvent
        do {
            event = try JSONDecoder().decode(AnthropicWireEvent.self, from: Data(sse.data.utf8))
        } catch {
            throw GatewayError(
                .upstream, "Anthropic sent a stream event that is not JSON: \(sse.event ?? "data")", underlying: error
            )
        }
        switch event.type {
        case "message_start":
            if let message = event.message {
                id = message.id ?? id
                model = message.model ?? model
                if let wire = message.usage { usage.merge(wire) }
            }
            return [chunk(.init(role: .assistant, content: ""))]
        case "content_block_start":
            return blockStart(event)
        case "content_block_delta":
            return blockDelta(event)
        case "message_delta":
            if let wire = event.usage { usage.merge(wire) }
            var last = chunk(.init(), finishReason: event.delta?.stopReason.map(AnthropicAdapter.finishReason))
            last.usage = AnthropicAdapter.usage(usage)
            return [last]
        case "message_stop":
            stopped = true
            return []
        case "error":
            throw AnthropicAdapter.classify(status: nil, error: event.error, retryAfter: nil, secret: secret)
        default:
            // ping, content_block_stop and event types added after this was written.
            return []
        }
    }

    private mutating func blockStart(_ event: AnthropicWireEvent) -> [ChatChunk] {
        guard let block = event.contentBlock else { return [] }
        switch block.type {
        case "text":
            guard let text = block.text, !text.isEmpty else { return [] }
            return [chunk(.init(content: text))]
        case "tool_use":
            let index = toolIndices.count
            toolIndices[event.index ?? index] = index
            let call = ChatChunk.ToolCallDelta(index: index, id: block.id, name: block.name, arguments: "")
            return [chunk(.init(toolCalls: [call]))]
        default:
            return []
        }
    }

    private func blockDelta(_ event: AnthropicWireEvent) -> [ChatChunk] {
        guard let delta = event.delta else { return [] }
        switch delta.type {
        case "text_delta":
            guard let text = delta.text, !text.isEmpty else { return [] }
            return [chunk(.init(content: text))]
        case "input_json_delta":
            guard let fragment = delta.partialJSON, !fragment.isEmpty,
                let index = toolIndices[event.index ?? -1]
            else { return [] }
            return [chunk(.init(toolCalls: [.init(index: index, arguments: fragment)]))]
        default:
            // thinking_delta, signature_delta, citations_delta and newer kinds.
            return []
        }
    }

    private func chunk(_ delta: ChatChunk.Delta, finishReason: FinishReason? = nil) -> ChatChunk {
        ChatChunk(id: id, created: created, model: model, choices: [.init(delta: delta, finishReason: finishReason)])
    }
}
