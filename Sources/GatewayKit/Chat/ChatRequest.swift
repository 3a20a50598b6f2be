/// A chat request, modelled on OpenAI chat completions. Fields GatewayKit does not model are kept in
/// ``extra`` and carried through to providers that accept them.
public struct ChatRequest: Sendable, Hashable {
    /// The conversation.
    public var messages: [ChatMessage]
    /// The `model` field as a client sent it; over HTTP it names the endpoint slug. The router
    /// ignores it: the endpoint decides the model.
    public var model: String?
    /// The most tokens to generate (`max_completion_tokens`, or the older `max_tokens`).
    public var maxTokens: Int?
    /// Sampling temperature, 0–2.
    public var temperature: Double?
    /// Nucleus sampling.
    public var topP: Double?
    /// Stop sequences.
    public var stop: [String]?
    /// A best-effort deterministic seed.
    public var seed: Int?
    /// An end-user identifier for abuse monitoring.
    public var user: String?
    /// How many choices to generate.
    public var n: Int?
    /// Presence penalty, -2–2.
    public var presencePenalty: Double?
    /// Frequency penalty, -2–2.
    public var frequencyPenalty: Double?
    /// Tools the model may call.
    public var tools: [ChatTool]?
    /// Whether and which tool the model must call.
    public var toolChoice: ToolChoice?
    /// Whether the model may call several tools at once.
    public var parallelToolCalls: Bool?
    /// The answer's format: text, a JSON object, or JSON matching a schema.
    public var responseFormat: ResponseFormat?
    /// Whether the client asked for a stream (`stream: true`). The router's `stream` call streams
    /// whatever this says.
    public var stream: Bool
    /// Whether a streamed answer should end with a usage chunk (`stream_options.include_usage`).
    public var includeUsage: Bool?
    /// Every other top-level field, carried through to providers that accept extra fields.
    public var extra: [String: JSONValue]

    /// Creates a request.
    /// - Parameters:
    ///   - messages: the conversation.
    ///   - maxTokens: the most tokens to generate.
    ///   - temperature: sampling temperature.
    ///   - tools: tools the model may call.
    ///   - toolChoice: whether and which tool the model must call.
    ///   - responseFormat: the answer's format.
    public init(
        messages: [ChatMessage], maxTokens: Int? = nil, temperature: Double? = nil, tools: [ChatTool]? = nil,
        toolChoice: ToolChoice? = nil, responseFormat: ResponseFormat? = nil
    ) {
        self.messages = messages
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.tools = tools
        self.toolChoice = toolChoice
        self.responseFormat = responseFormat
        self.stream = false
        self.extra = [:]
    }
}

/// A function the model may call.
public struct ChatTool: Sendable, Hashable, Codable {
    /// The function's name.
    public var name: String
    /// What it does, for the model.
    public var description: String?
    /// Its parameters as a JSON Schema object.
    public var parameters: JSONValue?
    /// OpenAI's strict schema adherence flag.
    public var strict: Bool?

    /// Creates a function tool.
    public init(name: String, description: String? = nil, parameters: JSONValue? = nil, strict: Bool? = nil) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.strict = strict
    }

    enum CodingKeys: String, CodingKey { case type, function }
    enum FunctionKeys: String, CodingKey { case name, description, parameters, strict }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let function = try container.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
        self.name = try function.decode(String.self, forKey: .name)
        self.description = try function.decodeIfPresent(String.self, forKey: .description)
        self.parameters = try function.decodeIfPresent(JSONValue.self, forKey: .parameters)
        self.strict = try function.decodeIfPresent(Bool.self, forKey: .strict)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("function", forKey: .type)
        var function = container.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
        try function.encode(name, forKey: .name)
        try function.encodeIfPresent(description, forKey: .description)
        try function.encodeIfPresent(parameters, forKey: .parameters)
        try function.encodeIfPresent(strict, forKey: .strict)
    }
}

/// Whether and which tool the model must call.
public enum ToolChoice: Sendable, Hashable, Codable {
    /// Never call a tool.
    case none
    /// The model decides.
    case auto
    /// The model must call some tool.
    case required
    /// The model must call this function.
    case function(String)

    public init(from decoder: any Decoder) throws {
        do {
            try self.init(json: JSONValue(from: decoder))
        } catch is GatewayError {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "tool_choice must be none, auto, required or a function object"
                )
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        let raw: JSONValue =
            switch self {
            case .none: .string("none")
            case .auto: .string("auto")
            case .required: .string("required")
            case .function(let name): .object(["type": .string("function"), "function": .object(["name": .string(name)])])
            }
        try raw.encode(to: encoder)
    }
}

/// The answer's format.
public enum ResponseFormat: Sendable, Hashable, Codable {
    /// Free text.
    case text
    /// Any JSON object.
    case jsonObject
    /// JSON matching a schema.
    case jsonSchema(name: String, schema: JSONValue, strict: Bool?)

    public init(from decoder: any Decoder) throws {
        do {
            try self.init(json: JSONValue(from: decoder))
        } catch is GatewayError {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "response_format.type must be text, json_object or json_schema"
                )
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        let raw: JSONValue =
            switch self {
            case .text: .object(["type": .string("text")])
            case .jsonObject: .object(["type": .string("json_object")])
            case .jsonSchema(let name, let schema, let strict):
                .object([
                    "type": .string("json_schema"),
                    "json_schema": .object(
                        ["name": .string(name), "schema": schema].merging(
                            strict.map { ["strict": JSONValue.bool($0)] } ?? [:], uniquingKeysWith: { a, _ in a })
                    ),
                ])
            }
        try raw.encode(to: encoder)
    }
}
