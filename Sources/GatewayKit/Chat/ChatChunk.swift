/// One piece of a streamed answer, in OpenAI's `chat.completion.chunk` shape.
public struct ChatChunk: Sendable, Hashable, Codable {
    /// What a chunk adds to one choice.
    public struct Choice: Sendable, Hashable, Codable {
        /// The choice's position.
        public var index: Int
        /// The new content.
        public var delta: Delta
        /// Set on the last chunk of a choice.
        public var finishReason: FinishReason?

        /// Creates a chunk choice.
        public init(index: Int = 0, delta: Delta, finishReason: FinishReason? = nil) {
            self.index = index
            self.delta = delta
            self.finishReason = finishReason
        }

        enum CodingKeys: String, CodingKey {
            case index, delta
            case finishReason = "finish_reason"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.index = try container.decodeIfPresent(Int.self, forKey: .index) ?? 0
            self.delta = try container.decodeIfPresent(Delta.self, forKey: .delta) ?? Delta()
            // xAI sends "" on tool calls; treat an empty reason as none.
            let reason = try container.decodeIfPresent(FinishReason.self, forKey: .finishReason)
            self.finishReason = reason?.rawValue.isEmpty == true ? nil : reason
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(delta, forKey: .delta)
            // OpenAI always sends the key, null until the end.
            if let finishReason {
                try container.encode(finishReason, forKey: .finishReason)
            } else {
                try container.encodeNil(forKey: .finishReason)
            }
        }
    }

    /// New content for one choice.
    public struct Delta: Sendable, Hashable, Codable {
        /// Set on a choice's first chunk.
        public var role: ChatMessage.Role?
        /// New text.
        public var content: String?
        /// New refusal text.
        public var refusal: String?
        /// Fragments of tool calls.
        public var toolCalls: [ToolCallDelta]?

        /// Creates a delta.
        public init(
            role: ChatMessage.Role? = nil, content: String? = nil, refusal: String? = nil,
            toolCalls: [ToolCallDelta]? = nil
        ) {
            self.role = role
            self.content = content
            self.refusal = refusal
            self.toolCalls = toolCalls
        }

        enum CodingKeys: String, CodingKey {
            case role, content, refusal
            case toolCalls = "tool_calls"
        }
    }

    /// A fragment of a tool call: `id` and `name` arrive on the first fragment of an `index`, and the
    /// `arguments` fragments concatenate.
    public struct ToolCallDelta: Sendable, Hashable, Codable {
        /// Which call this fragment belongs to.
        public var index: Int
        /// The call id, on the first fragment.
        public var id: String?
        /// The function name, on the first fragment.
        public var name: String?
        /// The next piece of the JSON arguments string.
        public var arguments: String?

        /// Creates a fragment.
        public init(index: Int, id: String? = nil, name: String? = nil, arguments: String? = nil) {
            self.index = index
            self.id = id
            self.name = name
            self.arguments = arguments
        }

        enum CodingKeys: String, CodingKey { case index, id, type, function }
        enum FunctionKeys: String, CodingKey { case name, arguments }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.index = try container.decodeIfPresent(Int.self, forKey: .index) ?? 0
            self.id = try container.decodeIfPresent(String.self, forKey: .id)
            if container.contains(.function) {
                let function = try container.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
                self.name = try function.decodeIfPresent(String.self, forKey: .name)
                self.arguments = try function.decodeIfPresent(String.self, forKey: .arguments)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            if let id {
                try container.encode(id, forKey: .id)
                try container.encode("function", forKey: .type)
            }
            var function = container.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
            try function.encodeIfPresent(name, forKey: .name)
            try function.encodeIfPresent(arguments, forKey: .arguments)
        }
    }

    /// The response id, the same on every chunk of a stream.
    public var id: String
    /// Unix seconds.
    public var created: Int
    /// The model, as the provider named it.
    public var model: String
    /// The choices this chunk adds to; empty on a usage-only chunk.
    public var choices: [Choice]
    /// Token usage, on the final chunk when the provider reports it.
    public var usage: Usage?
    /// Set by the router on the first chunk of a stream: which endpoint serves it and the attempts
    /// made before it. Not part of the OpenAI wire shape.
    public var servedBy: ServedBy?

    /// Creates a chunk.
    public init(id: String, created: Int, model: String, choices: [Choice], usage: Usage? = nil) {
        self.id = id
        self.created = created
        self.model = model
        self.choices = choices
        self.usage = usage
    }

    /// The first choice's new text.
    public var text: String { choices.first?.delta.content ?? "" }

    enum CodingKeys: String, CodingKey {
        case id, object, created, model, choices, usage
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decodeIfPresent(String.self, forKey: .id) ?? ""
        self.created = try container.decodeIfPresent(Int.self, forKey: .created) ?? 0
        self.model = try container.decodeIfPresent(String.self, forKey: .model) ?? ""
        // vLLM sends `"choices": null` on its usage chunk.
        self.choices = try container.decodeIfPresent([Choice].self, forKey: .choices) ?? []
        self.usage = try container.decodeIfPresent(Usage.self, forKey: .usage)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode("chat.completion.chunk", forKey: .object)
        try container.encode(created, forKey: .created)
        try container.encode(model, forKey: .model)
        try container.encode(choices, forKey: .choices)
        try container.encodeIfPresent(usage, forKey: .usage)
    }
}
