// The JSONWriter forms of what the gateway answers: a complete response, each chunk of a stream,
// and usage. Keys in sorted UTF-8 order, mirroring each `encode(to:)` exactly.

extension ChatResponse: JSONWritable {
    package func write(to writer: inout JSONWriter) throws(GatewayError) {
        writer.beginObject()
        writer.key("choices")
        writer.beginArray()
        for choice in choices {
            writer.beginObject()
            if let finishReason = choice.finishReason {
                writer.key("finish_reason")
                writer.string(finishReason.rawValue)
            }
            writer.key("index")
            writer.int(choice.index)
            writer.key("message")
            try choice.message.write(to: &writer)
            writer.endObject()
        }
        writer.endArray()
        writer.completionTail(created: created, id: id, model: model, object: "chat.completion", usage: usage)
    }

    package var estimatedJSONSize: Int {
        choices.reduce(256) { $0 + 64 + $1.message.estimatedJSONSize }
    }
}

extension ChatChunk: JSONWritable {
    package func write(to writer: inout JSONWriter) throws(GatewayError) {
        writer.beginObject()
        writer.key("choices")
        writer.beginArray()
        for choice in choices { choice.write(to: &writer) }
        writer.endArray()
        writer.completionTail(created: created, id: id, model: model, object: "chat.completion.chunk", usage: usage)
    }

    package var estimatedJSONSize: Int {
        choices.reduce(192) { size, choice in
            var size = size + 96 + (choice.delta.content?.utf8.count ?? 0) + (choice.delta.refusal?.utf8.count ?? 0)
            for call in choice.delta.toolCalls ?? [] { size += 96 + (call.arguments?.utf8.count ?? 0) }
            return size
        }
    }
}

extension ChatChunk.Choice {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("delta")
        delta.write(to: &writer)
        writer.key("finish_reason")
        if let finishReason {
            writer.string(finishReason.rawValue)
        } else {
            writer.null()
        }
        writer.key("index")
        writer.int(index)
        writer.endObject()
    }
}

extension ChatChunk.Delta {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        if let content {
            writer.key("content")
            writer.string(content)
        }
        if let refusal {
            writer.key("refusal")
            writer.string(refusal)
        }
        if let role {
            writer.key("role")
            writer.string(role.rawValue)
        }
        if let toolCalls {
            writer.key("tool_calls")
            writer.beginArray()
            for call in toolCalls { call.write(to: &writer) }
            writer.endArray()
        }
        writer.endObject()
    }
}

extension ChatChunk.ToolCallDelta {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("function")
        writer.beginObject()
        if let arguments {
            writer.key("arguments")
            writer.string(arguments)
        }
        if let name {
            writer.key("name")
            writer.string(name)
        }
        writer.endObject()
        if let id {
            writer.key("id")
            writer.string(id)
        }
        writer.key("index")
        writer.int(index)
        if id != nil {
            writer.key("type")
            writer.string("function")
        }
        writer.endObject()
    }
}

extension Usage {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("completion_tokens")
        writer.int(completionTokens)
        if let reasoningTokens {
            writer.key("completion_tokens_details")
            writer.beginObject()
            writer.key("reasoning_tokens")
            writer.int(reasoningTokens)
            writer.endObject()
        }
        writer.key("prompt_tokens")
        writer.int(promptTokens)
        if let cachedTokens {
            writer.key("prompt_tokens_details")
            writer.beginObject()
            writer.key("cached_tokens")
            writer.int(cachedTokens)
            writer.endObject()
        }
        writer.key("total_tokens")
        writer.int(totalTokens)
        writer.endObject()
    }
}

extension JSONWriter {
    // The members after `choices` that a response and a chunk share, in sorted order, and the
    // object's end.
    fileprivate mutating func completionTail(
        created: Int, id: String, model: String, object: StaticString, usage: Usage?
    ) {
        key("created")
        int(created)
        key("id")
        string(id)
        key("model")
        string(model)
        key("object")
        string(object)
        if let usage {
            key("usage")
            usage.write(to: &self)
        }
        endObject()
    }
}
