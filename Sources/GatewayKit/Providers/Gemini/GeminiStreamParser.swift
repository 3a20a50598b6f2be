import NIOCore

/// Parses Gemini's `alt=sse` stream: every event is a whole `GenerateContentResponse` carrying the
/// new text. Gemini sends no terminator, so the stream is complete only once a candidate has had a
/// `finishReason`; a body that ends before that is truncated and ``finish()`` throws.
struct GeminiStreamParser: SSEStreamParser {
    private let mapper: GeminiResponseMapper
    var decoder = SSEDecoder()
    private var id: String?
    private var startedCandidates: Set<Int> = []
    private var toolCallCounts: [Int: Int] = [:]
    private var finished = false

    init(provider: Provider, model: String, created: Int) {
        self.mapper = GeminiResponseMapper(provider: provider, model: model, created: created)
    }

    var isComplete: Bool { finished }
    var truncationMessage: String { "\(mapper.provider): the stream ended before any candidate had a finish reason" }

    mutating func handle(_ event: SSEEvent) throws -> [ChatChunk] {
        try chunk(for: event).map { [$0] } ?? []
    }

    private mutating func chunk(for event: SSEEvent) throws -> ChatChunk? {
        let data = event.data.trimmingWhitespace()
        // Some Gemini look-alikes end with an OpenAI-style terminator; it carries nothing.
        if data.isEmpty || data == "[DONE]" { return nil }
        let response = try mapper.decode(ByteBuffer(string: data))
        try mapper.check(response)
        let responseID = id ?? response.responseId ?? "gemini-" + RandomID.hex(byteCount: 12)
        id = responseID
        var choices: [ChatChunk.Choice] = []
        var finishedNow = false
        for (position, candidate) in (response.candidates ?? []).enumerated() {
            let index = candidate.index ?? position
            let choice = self.choice(candidate, index: index, responseID: responseID)
            if choice?.finishReason != nil { finishedNow = true }
            if let choice { choices.append(choice) }
        }
        // Usage may come on earlier chunks too; only the final count is reported.
        let usage = finishedNow || finished ? response.usageMetadata.map(GeminiResponseMapper.usage) : nil
        if finishedNow { finished = true }
        guard !choices.isEmpty || usage != nil else { return nil }
        return ChatChunk(
            id: responseID, created: mapper.created, model: response.modelVersion ?? mapper.model, choices: choices,
            usage: usage
        )
    }

    private mutating func choice(_ candidate: GeminiWire.Candidate, index: Int, responseID: String) -> ChatChunk.Choice?
    {
        let parts = candidate.content?.parts ?? []
        let text = GeminiResponseMapper.text(of: parts)
        var toolCalls: [ChatChunk.ToolCallDelta] = []
        for part in parts {
            guard let call = part.functionCall else { continue }
            let position = toolCallCounts[index, default: 0]
            toolCallCounts[index] = position + 1
            // Gemini sends each call whole, so one fragment carries id, name and all arguments.
            toolCalls.append(
                ChatChunk.ToolCallDelta(
                    index: position,
                    id: GeminiToolCallID.make(
                        call: call, signature: part.thoughtSignature, responseID: responseID, position: position
                    ),
                    name: call.name, arguments: GeminiResponseMapper.arguments(call)
                )
            )
        }
        let isFirst = startedCandidates.insert(index).inserted
        let reason = candidate.finishReason.map {
            GeminiResponseMapper.finishReason($0, calledTools: toolCallCounts[index, default: 0] > 0)
        }
        guard isFirst || !text.isEmpty || !toolCalls.isEmpty || reason != nil else { return nil }
        let delta = ChatChunk.Delta(
            role: isFirst ? .assistant : nil, content: text.isEmpty ? (isFirst && toolCalls.isEmpty ? "" : nil) : text,
            toolCalls: toolCalls.isEmpty ? nil : toolCalls
        )
        return ChatChunk.Choice(index: index, delta: delta, finishReason: reason)
    }
}
