extension ChatRequest {
    /// Builds a request from parsed JSON, giving exactly what `init(from:)` gives.
    /// - Throws: `GatewayError` `invalidRequest` where `init(from:)` might disagree or fail.
    package init(json: JSONValue) throws {
        let fields = try JSONObjectReader(json)
        guard let messages = try fields.array("messages") else { throw JSONObjectReader.missing("messages") }
        self.init(messages: try messages.map { try ChatMessage(json: $0) })
        model = try fields.string("model")
        // As in `init(from:)`, `max_tokens` is not read at all when `max_completion_tokens` is set.
        maxTokens = try fields.int("max_completion_tokens") ?? fields.int("max_tokens")
        temperature = try fields.double("temperature")
        topP = try fields.double("top_p")
        if case .string(let single)? = fields.members["stop"] {
            stop = [single]
        } else {
            stop = try fields.array("stop")?.map { try $0.decodedString() }
        }
        seed = try fields.int("seed")
        user = try fields.string("user")
        n = try fields.int("n")
        presencePenalty = try fields.double("presence_penalty")
        frequencyPenalty = try fields.double("frequency_penalty")
        tools = try fields.array("tools")?.map { try ChatTool(json: $0) }
        toolChoice = try fields.value("tool_choice").map { try ToolChoice(json: $0) }
        parallelToolCalls = try fields.bool("parallel_tool_calls")
        responseFormat = try fields.value("response_format").map { try ResponseFormat(json: $0) }
        stream = try fields.bool("stream") ?? false
        if let options = fields.value("stream_options"), case .bool(let include)? = options["include_usage"] {
            includeUsage = include
        }
        for (key, value) in fields.members where !Self.knownKeys.contains(key) {
            extra[key] = value
        }
    }
}

extension ChatTool {
    /// Builds a tool from parsed JSON, giving exactly what `init(from:)` gives.
    /// - Throws: `GatewayError` `invalidRequest` where `init(from:)` might disagree or fail.
    package init(json: JSONValue) throws {
        let function = try JSONObjectReader(required: "function", in: try JSONObjectReader(json))
        self.init(
            name: try function.requiredString("name"),
            description: try function.string("description"),
            parameters: function.value("parameters"),
            strict: try function.bool("strict")
        )
    }
}

extension ToolChoice {
    /// Builds a tool choice from parsed JSON, giving exactly what `init(from:)` gives.
    /// - Throws: `GatewayError` `invalidRequest` when it names no mode and no function.
    package init(json raw: JSONValue) throws {
        switch raw.stringValue {
        case "none": self = .none
        case "auto": self = .auto
        case "required", "any": self = .required
        default:
            guard let name = raw["function"]?["name"]?.stringValue else {
                throw JSONObjectReader.mismatch("none, auto, required or a function object")
            }
            self = .function(name)
        }
    }
}

extension ResponseFormat {
    /// Builds a response format from parsed JSON, giving exactly what `init(from:)` gives.
    /// - Throws: `GatewayError` `invalidRequest` for an unknown `type`.
    package init(json raw: JSONValue) throws {
        switch raw["type"]?.stringValue {
        case "text": self = .text
        case "json_object": self = .jsonObject
        case "json_schema":
            let spec = raw["json_schema"]
            self = .jsonSchema(
                name: spec?["name"]?.stringValue ?? "response",
                schema: spec?["schema"] ?? .object([:]),
                strict: spec?["strict"].flatMap { if case .bool(let b) = $0 { b } else { nil } }
            )
        default:
            throw JSONObjectReader.mismatch("text, json_object or json_schema")
        }
    }
}
