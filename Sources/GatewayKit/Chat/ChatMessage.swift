/// One message of a conversation, in OpenAI's chat-completions shape.
public struct ChatMessage: Sendable, Hashable, Codable {
    /// Who wrote a message.
    public struct Role: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Instructions for the model.
        public static let system = Role(rawValue: "system")
        /// OpenAI's newer name for system instructions on reasoning models.
        public static let developer = Role(rawValue: "developer")
        /// The user.
        public static let user = Role(rawValue: "user")
        /// The model.
        public static let assistant = Role(rawValue: "assistant")
        /// A tool's result.
        public static let tool = Role(rawValue: "tool")

        public init(from decoder: any Decoder) throws {
            self.rawValue = try decoder.singleValueContainer().decode(String.self)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
    }

    /// The author.
    public var role: Role
    /// The content: plain text or a list of parts; `nil` for an assistant message with only tool calls.
    public var content: ChatContent?
    /// An optional participant name.
    public var name: String?
    /// The tool calls an assistant message makes.
    public var toolCalls: [ToolCall]?
    /// The call a tool message answers.
    public var toolCallID: String?
    /// The model's refusal, when it declined.
    public var refusal: String?

    /// Creates a message.
    /// - Parameters:
    ///   - role: the author.
    ///   - content: text or parts.
    ///   - name: an optional participant name.
    ///   - toolCalls: tool calls, for assistant messages.
    ///   - toolCallID: the answered call, for tool messages.
    ///   - refusal: the model's refusal text.
    public init(
        role: Role, content: ChatContent?, name: String? = nil, toolCalls: [ToolCall]? = nil,
        toolCallID: String? = nil, refusal: String? = nil
    ) {
        self.role = role
        self.content = content
        self.name = name
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.refusal = refusal
    }

    /// A system message.
    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: .system, content: .text(text)) }
    /// A user message.
    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: .user, content: .text(text)) }
    /// An assistant message.
    public static func assistant(_ text: String) -> ChatMessage {
        ChatMessage(role: .assistant, content: .text(text))
    }
    /// A tool result answering `callID`.
    public static func tool(callID: String, _ text: String) -> ChatMessage {
        ChatMessage(role: .tool, content: .text(text), toolCallID: callID)
    }

    /// The message's text: the content string, or its text parts joined.
    public var text: String { content?.text ?? "" }

    enum CodingKeys: String, CodingKey {
        case role, content, name, refusal
        case toolCalls = "tool_calls"
        case toolCallID = "tool_call_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.role = try container.decode(Role.self, forKey: .role)
        self.content = try container.decodeIfPresent(ChatContent.self, forKey: .content)
        self.name = try container.decodeIfPresent(String.self, forKey: .name)
        self.toolCalls = try container.decodeIfPresent([ToolCall].self, forKey: .toolCalls)
        self.toolCallID = try container.decodeIfPresent(String.self, forKey: .toolCallID)
        self.refusal = try container.decodeIfPresent(String.self, forKey: .refusal)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(role, forKey: .role)
        // OpenAI requires `content` to be present (null) on an assistant message with tool calls.
        if let content {
            try container.encode(content, forKey: .content)
        } else {
            try container.encodeNil(forKey: .content)
        }
        try container.encodeIfPresent(name, forKey: .name)
        if let toolCalls, !toolCalls.isEmpty { try container.encode(toolCalls, forKey: .toolCalls) }
        try container.encodeIfPresent(toolCallID, forKey: .toolCallID)
        try container.encodeIfPresent(refusal, forKey: .refusal)
    }
}

/// A message's content: a string, or a list of parts (text, images, other kinds carried as is).
public enum ChatContent: Sendable, Hashable, Codable {
    case text(String)
    case parts([ContentPart])

    /// The text: the string, or the text parts joined without separator.
    public var text: String {
        switch self {
        case .text(let text): return text
        case .parts(let parts):
            var out = ""
            for case .text(let text) in parts { out += text }
            return out
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .parts(try container.decode([ContentPart].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .parts(let parts): try container.encode(parts)
        }
    }
}

/// One part of a message's content.
public enum ContentPart: Sendable, Hashable, Codable {
    /// Text.
    case text(String)
    /// An image by URL or `data:` URL, with OpenAI's optional `detail` (`auto`, `low`, `high`).
    case imageURL(url: String, detail: String?)
    /// Any other part (audio, files), carried through unchanged to providers that accept it.
    case other(JSONValue)

    public init(from decoder: any Decoder) throws {
        self.init(json: try JSONValue(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .text(let text):
            try JSONValue.object(["type": .string("text"), "text": .string(text)]).encode(to: encoder)
        case .imageURL(let url, let detail):
            var image: [String: JSONValue] = ["url": .string(url)]
            if let detail { image["detail"] = .string(detail) }
            try JSONValue.object(["type": .string("image_url"), "image_url": .object(image)]).encode(to: encoder)
        case .other(let raw):
            try raw.encode(to: encoder)
        }
    }
}

/// A function call the model makes.
public struct ToolCall: Sendable, Hashable, Codable {
    /// The call's id, echoed by the tool message that answers it.
    public var id: String
    /// The function's name.
    public var name: String
    /// The arguments as a JSON string (never an object, as OpenAI sends them).
    public var arguments: String

    /// Creates a tool call.
    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }

    enum CodingKeys: String, CodingKey { case id, type, function }
    enum FunctionKeys: String, CodingKey { case name, arguments }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decodeIfPresent(String.self, forKey: .id) ?? ""
        let function = try container.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
        self.name = try function.decode(String.self, forKey: .name)
        self.arguments = try function.decodeIfPresent(String.self, forKey: .arguments) ?? ""
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode("function", forKey: .type)
        var function = container.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
        try function.encode(name, forKey: .name)
        try function.encode(arguments, forKey: .arguments)
    }
}
