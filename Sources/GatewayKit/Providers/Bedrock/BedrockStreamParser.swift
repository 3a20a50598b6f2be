import NIOCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Turns a ConverseStream body (AWS event-stream frames carrying JSON events) into chunks.
///
/// `messageStart` opens the answer, `contentBlockStart` opens a tool call, `contentBlockDelta`
/// carries text or tool-input fragments, `messageStop` carries the stop reason and `metadata`
/// the usage. Exception frames become classified errors. The answer is complete only once
/// `messageStop` has arrived; a body that ends before it, or inside a frame, is an error.
struct BedrockStreamParser: ProviderStreamParser {
    private var decoder = AWSEventStreamDecoder()
    private let id: String
    private let created: Int
    private let model: String
    /// The OpenAI tool-call index of each Converse content block that is a tool call.
    private var toolIndices: [Int: Int] = [:]
    private var stopped = false

    init(model: String, created: Int, id: String = "bedrock-" + UUID().uuidString.lowercased()) {
        self.model = model
        self.created = created
        self.id = id
    }

    mutating func parse(_ bytes: ByteBuffer) throws -> [ChatChunk] {
        var chunks: [ChatChunk] = []
        for message in try decoder.decode(bytes) {
            if let chunk = try chunk(for: message) { chunks.append(chunk) }
        }
        return chunks
    }

    func finish() throws -> [ChatChunk] {
        try decoder.finish()
        guard stopped else {
            throw GatewayError(.upstream, "bedrock: the stream ended before messageStop: the answer is incomplete")
        }
        return []
    }

    private mutating func chunk(for message: AWSEventStreamMessage) throws(GatewayError) -> ChatChunk? {
        switch message.string(":message-type") {
        case "event":
            return try event(message.string(":event-type") ?? "", payload: message.payload)
        case "exception":
            let name = message.string(":exception-type")
            throw BedrockAdapter.classify(
                exception: name, status: nil, message: BedrockAdapter.errorMessage(message.payload))
        case "error":
            let code = message.string(":error-code")
            throw BedrockAdapter.classify(
                exception: code, status: nil, message: message.string(":error-message") ?? "no message")
        default:
            throw GatewayError(
                .upstream, "bedrock: a stream message has message type '\(message.string(":message-type") ?? "none")'"
            )
        }
    }

    private mutating func event(_ type: String, payload: ByteBuffer) throws(GatewayError) -> ChatChunk? {
        switch type {
        case "messageStart":
            return chunk(.init(role: .assistant, content: ""))
        case "contentBlockStart":
            let start = try Self.decode(BedrockWire.ContentBlockStart.self, payload, type)
            guard let use = start.start?.toolUse else { return nil }
            let index = toolIndices.count
            toolIndices[start.contentBlockIndex] = index
            return chunk(.init(toolCalls: [.init(index: index, id: use.toolUseId, name: use.name, arguments: "")]))
        case "contentBlockDelta":
            let delta = try Self.decode(BedrockWire.ContentBlockDelta.self, payload, type)
            if let text = delta.delta?.text { return chunk(.init(content: text)) }
            guard let input = delta.delta?.toolUse?.input else { return nil }
            guard let index = toolIndices[delta.contentBlockIndex] else {
                throw GatewayError(
                    .upstream,
                    "bedrock: tool input arrived for content block \(delta.contentBlockIndex) before its start"
                )
            }
            return chunk(.init(toolCalls: [.init(index: index, arguments: input)]))
        case "messageStop":
            let stop = try Self.decode(BedrockWire.MessageStop.self, payload, type)
            stopped = true
            var last = chunk(.init())
            last.choices[0].finishReason = BedrockAdapter.finishReason(stop.stopReason) ?? .stop
            return last
        case "metadata":
            let metadata = try Self.decode(BedrockWire.Metadata.self, payload, type)
            guard let usage = metadata.usage?.usage else { return nil }
            return ChatChunk(id: id, created: created, model: model, choices: [], usage: usage)
        default:
            // contentBlockStop and event types added later carry nothing a chunk can hold.
            return nil
        }
    }

    private func chunk(_ delta: ChatChunk.Delta) -> ChatChunk {
        ChatChunk(id: id, created: created, model: model, choices: [.init(delta: delta)])
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ payload: ByteBuffer, _ event: String)
        throws(GatewayError)
        -> T
    {
        do {
            return try JSONDecoder().decode(type, from: Data(payload.readableBytesView))
        } catch {
            throw GatewayError(.upstream, "bedrock: the \(event) event could not be read", underlying: error)
        }
    }
}
