/// A complete answer, in OpenAI's `chat.completion` shape, plus which endpoint served it.
public struct ChatResponse: Sendable, Hashable, Codable {
    /// One generated answer.
    public struct Choice: Sendable, Hashable, Codable {
        /// The choice's position.
        public var index: Int
        /// The assistant message.
        public var message: ChatMessage
        /// Why generation stopped.
        public var finishReason: FinishReason?

        /// Creates a choice.
        public init(index: Int = 0, message: ChatMessage, finishReason: FinishReason?) {
            self.index = index
            self.message = message
            self.finishReason = finishReason
        }

        enum CodingKeys: String, CodingKey {
            case index, message
            case finishReason = "finish_reason"
        }
    }

    /// The provider's response id (or a generated one).
    public var id: String
    /// Unix seconds.
    public var created: Int
    /// The model that answered, as the provider named it.
    public var model: String
    /// The answers; usually one.
    public var choices: [Choice]
    /// Token usage.
    public var usage: Usage?
    /// Which endpoint, provider and model served this, and the attempts made. Not part of the
    /// OpenAI wire shape; set by the router.
    public var servedBy: ServedBy?

    /// Creates a response.
    public init(id: String, created: Int, model: String, choices: [Choice], usage: Usage?, servedBy: ServedBy? = nil) {
        self.id = id
        self.created = created
        self.model = model
        self.choices = choices
        self.usage = usage
        self.servedBy = servedBy
    }

    /// The first choice's text.
    public var text: String { choices.first?.message.text ?? "" }

    /// The first choice's tool calls.
    public var toolCalls: [ToolCall] { choices.first?.message.toolCalls ?? [] }

    enum CodingKeys: String, CodingKey {
        case id, object, created, model, choices, usage
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decodeIfPresent(String.self, forKey: .id) ?? ""
        self.created = try container.decodeIfPresent(Int.self, forKey: .created) ?? 0
        self.model = try container.decodeIfPresent(String.self, forKey: .model) ?? ""
        self.choices = try container.decode([Choice].self, forKey: .choices)
        self.usage = try container.decodeIfPresent(Usage.self, forKey: .usage)
        self.servedBy = nil
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode("chat.completion", forKey: .object)
        try container.encode(created, forKey: .created)
        try container.encode(model, forKey: .model)
        try container.encode(choices, forKey: .choices)
        try container.encodeIfPresent(usage, forKey: .usage)
    }
}
