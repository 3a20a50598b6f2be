extension CohereAdapter {
    /// Extra request fields Cohere accepts and that are carried through unchanged.
    static let passThroughFields = [
        "k", "safety_mode", "documents", "citation_options", "strict_tools", "thinking", "logprobs", "priority",
    ]

    static func bodyFields(_ request: ChatRequest, model: String, stream: Bool) throws -> [String: JSONValue] {
        var body: [String: JSONValue] = ["model": .string(model)]
        body["messages"] = .array(try request.messages.enumerated().map { try message($1, at: $0) })
        if stream { body["stream"] = .bool(true) }
        if let maxTokens = request.maxTokens { body["max_tokens"] = .int(maxTokens) }
        if let stop = request.stop, !stop.isEmpty { body["stop_sequences"] = .array(stop.map(JSONValue.string)) }
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        if let topP = request.topP { body["p"] = .double(topP) }
        if let seed = request.seed { body["seed"] = .int(seed) }
        if let penalty = request.frequencyPenalty { body["frequency_penalty"] = .double(penalty) }
        if let penalty = request.presencePenalty { body["presence_penalty"] = .double(penalty) }
        if let format = request.responseFormat { body["response_format"] = responseFormat(format) }
        var tools = request.tools ?? []
        switch request.toolChoice {
        case .none?:
            body["tool_choice"] = .string("NONE")
        case .required?:
            body["tool_choice"] = .string("REQUIRED")
        case .function(let name)?:
            tools = tools.filter { $0.name == name }
            body["tool_choice"] = .string("REQUIRED")
        case .auto?, nil:
            break
        }
        if !tools.isEmpty { body["tools"] = .array(tools.map(tool)) }
        for field in passThroughFields {
            if let value = request.extra[field] { body[field] = value }
        }
        return body
    }

    static func message(_ message: ChatMessage, at index: Int) throws -> JSONValue {
        switch message.role {
        case .system, .developer:
            return .object(["role": .string("system"), "content": .string(message.text)])
        case .user:
            return .object(["role": .string("user"), "content": content(message.content)])
        case .assistant:
            guard let calls = message.toolCalls, !calls.isEmpty else {
                return .object(["role": .string("assistant"), "content": .string(message.text)])
            }
            var object: [String: JSONValue] = ["role": .string("assistant"), "tool_calls": .array(calls.map(toolCall))]
            if !message.text.isEmpty { object["tool_plan"] = .string(message.text) }
            return .object(object)
        case .tool:
            guard let id = message.toolCallID, !id.isEmpty else {
                throw GatewayError.invalid(
                    "messages[\(index)].tool_call_id", "a tool message needs the tool_call_id it answers"
                )
            }
            return .object(["role": .string("tool"), "tool_call_id": .string(id), "content": content(message.content)])
        default:
            throw GatewayError.invalid(
                "messages[\(index)].role", "Cohere does not accept messages with role '\(message.role)'"
            )
        }
    }

    /// A string stays a string; parts become Cohere's `text` and `image_url` blocks (the same
    /// shape as OpenAI's); other parts (documents) are passed through as written.
    static func content(_ content: ChatContent?) -> JSONValue {
        switch content {
        case nil: return .string("")
        case .text(let text): return .string(text)
        case .parts(let parts):
            return .array(
                parts.map { part in
                    switch part {
                    case .text(let text):
                        return .object(["type": .string("text"), "text": .string(text)])
                    case .imageURL(let url, let detail):
                        var image: [String: JSONValue] = ["url": .string(url)]
                        if let detail { image["detail"] = .string(detail) }
                        return .object(["type": .string("image_url"), "image_url": .object(image)])
                    case .other(let raw):
                        return raw
                    }
                }
            )
        }
    }

    static func toolCall(_ call: ToolCall) -> JSONValue {
        .object([
            "id": .string(call.id), "type": .string("function"),
            "function": .object(["name": .string(call.name), "arguments": .string(call.arguments)]),
        ])
    }

    static func tool(_ tool: ChatTool) -> JSONValue {
        var function: [String: JSONValue] = ["name": .string(tool.name)]
        if let description = tool.description { function["description"] = .string(description) }
        function["parameters"] = tool.parameters ?? .object(["type": .string("object"), "properties": .object([:])])
        return .object(["type": .string("function"), "function": .object(function)])
    }

    static func responseFormat(_ format: ResponseFormat) -> JSONValue {
        switch format {
        case .text: .object(["type": .string("text")])
        case .jsonObject: .object(["type": .string("json_object")])
        case .jsonSchema(_, let schema, _): .object(["type": .string("json_object"), "json_schema": schema])
        }
    }

    /// `COMPLETE` and `STOP_SEQUENCE` → `stop`; `MAX_TOKENS` (and v1's `ERROR_LIMIT`) →
    /// `length`; `TOOL_CALL` → `tool_calls`; `ERROR_TOXIC` → `content_filter`. `ERROR` throws
    /// `upstream` and `TIMEOUT` throws `upstreamTimeout`; other reasons read as `stop`.
    static func finishReason(_ reason: String, error: String?) throws -> FinishReason {
        switch reason {
        case "MAX_TOKENS", "ERROR_LIMIT": return .length
        case "TOOL_CALL": return .toolCalls
        case "ERROR_TOXIC": return .contentFilter
        case "ERROR":
            throw GatewayError(.upstream, "Cohere: " + (error ?? "the generation failed (finish_reason ERROR)"))
        case "TIMEOUT":
            throw GatewayError(.upstreamTimeout, "Cohere: the generation timed out (finish_reason TIMEOUT)")
        default: return .stop
        }
    }

    /// `usage.tokens` when present (what the model processed), else `usage.billed_units`.
    static func usage(_ wire: CohereWireUsage) -> Usage? {
        guard let counts = wire.tokens ?? wire.billedUnits else { return nil }
        return Usage(
            promptTokens: count(counts.inputTokens), completionTokens: count(counts.outputTokens),
            cachedTokens: wire.cachedTokens.map(count)
        )
    }

    /// A token count as an `Int`; a value no `Int` can hold reads as 0.
    static func count(_ value: Double?) -> Int {
        Int(exactly: (value ?? 0).rounded()) ?? 0
    }
}
