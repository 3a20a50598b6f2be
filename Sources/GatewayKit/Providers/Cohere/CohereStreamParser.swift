#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore

/// Turns the Cohere v2 chat event stream into chunks.
///
/// `message-start` opens the assistant turn; `content-start`/`content-delta` give text (thinking
/// content is dropped); `tool-plan-delta` is sent as content; `tool-call-start` and
/// `tool-call-delta` give tool calls and their argument fragments; `message-end` gives the finish
/// reason and usage and ends the stream. A `data: [DONE]` after it is tolerated; `content-end`,
/// `tool-call-end`, citations, `debug` and unknown events add nothing.
struct CohereStreamParser: SSEStreamParser {
    var decoder = SSEDecoder()
    private var id = ""
    private let model: String
    private let created: Int
    private let secret: Secret?
    private var toolIndices: [Int: Int] = [:]
    private var ended = false

    init(model: String, created: Int, secret: Secret?) {
        self.model = model
        self.created = created
        self.secret = secret
    }

    var isComplete: Bool { ended }
    var truncationMessage: String { "the Cohere stream ended before message-end, so the answer is incomplete" }

    mutating func handle(_ sse: SSEEvent) throws -> [ChatChunk] {
        guard !ended, sse.data != "[DONE]" else { return [] }
        let event: CohereWireEvent
        do {
            event = try JSONDecoder().decode(CohereWireEvent.self, from: Data(sse.data.utf8))
        } catch {
            throw GatewayError(
                .upstream, "Cohere sent a stream event that is not JSON: \(sse.event ?? "data")", underlying: error
            )
        }
        let message = event.delta?.message
        switch event.type ?? sse.event ?? "" {
        case "message-start":
            id = event.id ?? id
            return [chunk(.init(role: .assistant, content: ""))]
        case "content-start", "content-delta":
            // A thinking block carries `thinking`, not `text`.
            guard let text = message?["content"]?["text"]?.stringValue, !text.isEmpty else { return [] }
            return [chunk(.init(content: text))]
        case "tool-plan-delta":
            guard let plan = message?["tool_plan"]?.stringValue, !plan.isEmpty else { return [] }
            return [chunk(.init(content: plan))]
        case "tool-call-start":
            let call = Self.toolCall(message)
            let index = toolIndices.count
            toolIndices[event.index ?? index] = index
            let function = call?["function"]
            let delta = ChatChunk.ToolCallDelta(
                index: index, id: call?["id"]?.stringValue, name: function?["name"]?.stringValue,
                arguments: function?["arguments"]?.stringValue ?? ""
            )
            return [chunk(.init(toolCalls: [delta]))]
        case "tool-call-delta":
            guard let fragment = Self.toolCall(message)?["function"]?["arguments"]?.stringValue, !fragment.isEmpty,
                let index = toolIndices[event.index ?? toolIndices.count - 1]
            else { return [] }
            return [chunk(.init(toolCalls: [.init(index: index, arguments: fragment)]))]
        case "message-end":
            return [try end(event.delta)]
        default:
            return []
        }
    }

    private mutating func end(_ delta: CohereWireEvent.Delta?) throws -> ChatChunk {
        if let error = delta?.error, !error.isEmpty {
            throw GatewayError(.upstream, CohereAdapter.message(error, status: nil, secret: secret))
        }
        let finish = try delta?.finishReason.map { try CohereAdapter.finishReason($0, error: nil) }
        ended = true
        var last = chunk(.init(), finishReason: finish)
        last.usage = delta?.usage.flatMap(CohereAdapter.usage)
        return last
    }

    /// `tool_calls` is an object in tool-call events (an array in `message-start`).
    private static func toolCall(_ message: JSONValue?) -> JSONValue? {
        let calls = message?["tool_calls"]
        return calls?.arrayValue?.first ?? calls
    }

    private func chunk(_ delta: ChatChunk.Delta, finishReason: FinishReason? = nil) -> ChatChunk {
        ChatChunk(id: id, created: created, model: model, choices: [.init(delta: delta, finishReason: finishReason)])
    }
}
