extension ChatRequest: Codable {
    /// How the request is written for a provider: which field carries the token limit.
    enum MaxTokensField: Sendable {
        case maxCompletionTokens, maxTokens
    }

    static let knownKeys: Set<String> = [
        "messages", "model", "max_completion_tokens", "max_tokens", "temperature", "top_p", "stop", "seed",
        "user", "n", "presence_penalty", "frequency_penalty", "tools", "tool_choice", "parallel_tool_calls",
        "response_format", "stream", "stream_options",
    ]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        func value<T: Decodable>(_ type: T.Type, _ key: String) throws -> T? {
            try container.decodeIfPresent(type, forKey: AnyCodingKey(key))
        }
        guard let messages = try value([ChatMessage].self, "messages") else {
            throw DecodingError.keyNotFound(
                AnyCodingKey("messages"),
                .init(codingPath: decoder.codingPath, debugDescription: "messages is required")
            )
        }
        self.init(messages: messages)
        model = try value(String.self, "model")
        maxTokens = try value(Int.self, "max_completion_tokens") ?? value(Int.self, "max_tokens")
        temperature = try value(Double.self, "temperature")
        topP = try value(Double.self, "top_p")
        if let single = try? value(String.self, "stop") {
            stop = [single]
        } else {
            stop = try value([String].self, "stop")
        }
        seed = try value(Int.self, "seed")
        user = try value(String.self, "user")
        n = try value(Int.self, "n")
        presencePenalty = try value(Double.self, "presence_penalty")
        frequencyPenalty = try value(Double.self, "frequency_penalty")
        tools = try value([ChatTool].self, "tools")
        toolChoice = try value(ToolChoice.self, "tool_choice")
        parallelToolCalls = try value(Bool.self, "parallel_tool_calls")
        responseFormat = try value(ResponseFormat.self, "response_format")
        stream = try value(Bool.self, "stream") ?? false
        if let options = try value(JSONValue.self, "stream_options"), case .bool(let include)? = options["include_usage"] {
            includeUsage = include
        }
        for key in container.allKeys where !Self.knownKeys.contains(key.stringValue) {
            extra[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try encode(to: encoder, maxTokensField: .maxTokens)
    }

    /// Writes the OpenAI wire form, naming the token limit the way the target provider expects.
    func encode(to encoder: any Encoder, maxTokensField field: MaxTokensField) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        func put<T: Encodable>(_ value: T?, _ key: String) throws {
            try container.encodeIfPresent(value, forKey: AnyCodingKey(key))
        }
        // Extras first, so a modelled field always wins over an extra of the same name.
        for (key, value) in extra where !Self.knownKeys.contains(key) {
            try container.encode(value, forKey: AnyCodingKey(key))
        }
        try put(model, "model")
        try put(messages, "messages")
        try put(maxTokens, field == .maxCompletionTokens ? "max_completion_tokens" : "max_tokens")
        try put(temperature, "temperature")
        try put(topP, "top_p")
        try put(stop, "stop")
        try put(seed, "seed")
        try put(user, "user")
        try put(n, "n")
        try put(presencePenalty, "presence_penalty")
        try put(frequencyPenalty, "frequency_penalty")
        if let tools, !tools.isEmpty { try put(tools, "tools") }
        try put(toolChoice, "tool_choice")
        try put(parallelToolCalls, "parallel_tool_calls")
        try put(responseFormat, "response_format")
        if stream {
            try put(true, "stream")
            if let includeUsage { try put(JSONValue.object(["include_usage": .bool(includeUsage)]), "stream_options") }
        }
    }
}
