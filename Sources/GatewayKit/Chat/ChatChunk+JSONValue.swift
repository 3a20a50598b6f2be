extension ChatChunk {
    /// Builds a chunk from parsed JSON, giving exactly what `init(from:)` gives.
    /// - Throws: `GatewayError` `invalidRequest` where `init(from:)` might disagree or fail.
    package init(json: JSONValue) throws {
        let fields = try JSONObjectReader(json)
        self.init(
            id: try fields.string("id") ?? "",
            created: try fields.int("created") ?? 0,
            model: try fields.string("model") ?? "",
            choices: try fields.array("choices")?.map { try Choice(json: $0) } ?? [],
            usage: try fields.value("usage").map { try Usage(json: $0) }
        )
    }
}

extension ChatChunk.Choice {
    /// Builds a chunk choice from parsed JSON, giving exactly what `init(from:)` gives.
    /// - Throws: `GatewayError` `invalidRequest` where `init(from:)` might disagree or fail.
    package init(json: JSONValue) throws {
        let fields = try JSONObjectReader(json)
        let reason = try fields.value("finish_reason").map { try FinishReason(json: $0) }
        self.init(
            index: try fields.int("index") ?? 0,
            delta: try fields.value("delta").map { try ChatChunk.Delta(json: $0) } ?? ChatChunk.Delta(),
            finishReason: reason?.rawValue.isEmpty == true ? nil : reason
        )
    }
}

extension ChatChunk.Delta {
    /// Builds a delta from parsed JSON, giving exactly what the synthesized `init(from:)` gives.
    /// - Throws: `GatewayError` `invalidRequest` where `init(from:)` might disagree or fail.
    package init(json: JSONValue) throws {
        let fields = try JSONObjectReader(json)
        self.init(
            role: try fields.string("role").map { ChatMessage.Role(rawValue: $0) },
            content: try fields.string("content"),
            refusal: try fields.string("refusal"),
            toolCalls: try fields.array("tool_calls")?.map { try ChatChunk.ToolCallDelta(json: $0) }
        )
    }
}

extension ChatChunk.ToolCallDelta {
    /// Builds a tool-call fragment from parsed JSON, giving exactly what `init(from:)` gives.
    /// - Throws: `GatewayError` `invalidRequest` where `init(from:)` might disagree or fail.
    package init(json: JSONValue) throws {
        let fields = try JSONObjectReader(json)
        self.init(index: try fields.int("index") ?? 0, id: try fields.string("id"))
        // `contains` is true for a `null` function too, and a null nested container is an error.
        if fields.members["function"] != nil {
            let function = try JSONObjectReader(required: "function", in: fields)
            name = try function.string("name")
            arguments = try function.string("arguments")
        }
    }
}
