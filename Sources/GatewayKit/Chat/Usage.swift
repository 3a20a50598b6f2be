/// Token counts for one request, as the provider reported them.
public struct Usage: Sendable, Hashable, Codable {
    /// Tokens in the prompt.
    public var promptTokens: Int
    /// Tokens generated.
    public var completionTokens: Int
    /// Prompt plus completion (plus reasoning, where a provider counts it apart).
    public var totalTokens: Int
    /// Prompt tokens served from the provider's cache, when reported.
    public var cachedTokens: Int?
    /// Reasoning tokens included in the completion, when reported.
    public var reasoningTokens: Int?

    /// Creates usage; the total defaults to prompt plus completion.
    public init(
        promptTokens: Int, completionTokens: Int, totalTokens: Int? = nil, cachedTokens: Int? = nil,
        reasoningTokens: Int? = nil
    ) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        // A provider's absurd counts must not trap the gateway: the sum saturates.
        let (sum, overflow) = promptTokens.addingReportingOverflow(completionTokens)
        self.totalTokens = totalTokens ?? (overflow ? (completionTokens > 0 ? Int.max : Int.min) : sum)
        self.cachedTokens = cachedTokens
        self.reasoningTokens = reasoningTokens
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
        case promptDetails = "prompt_tokens_details"
        case completionDetails = "completion_tokens_details"
    }

    enum DetailKeys: String, CodingKey {
        case cachedTokens = "cached_tokens"
        case reasoningTokens = "reasoning_tokens"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let prompt = try container.decodeIfPresent(Int.self, forKey: .promptTokens) ?? 0
        let completion = try container.decodeIfPresent(Int.self, forKey: .completionTokens) ?? 0
        let cached = try? container.nestedContainer(keyedBy: DetailKeys.self, forKey: .promptDetails)
            .decodeIfPresent(Int.self, forKey: .cachedTokens)
        let reasoning = try? container.nestedContainer(keyedBy: DetailKeys.self, forKey: .completionDetails)
            .decodeIfPresent(Int.self, forKey: .reasoningTokens)
        self.init(
            promptTokens: prompt, completionTokens: completion,
            totalTokens: try container.decodeIfPresent(Int.self, forKey: .totalTokens),
            cachedTokens: cached ?? nil, reasoningTokens: reasoning ?? nil
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(promptTokens, forKey: .promptTokens)
        try container.encode(completionTokens, forKey: .completionTokens)
        try container.encode(totalTokens, forKey: .totalTokens)
        if let cachedTokens {
            var details = container.nestedContainer(keyedBy: DetailKeys.self, forKey: .promptDetails)
            try details.encode(cachedTokens, forKey: .cachedTokens)
        }
        if let reasoningTokens {
            var details = container.nestedContainer(keyedBy: DetailKeys.self, forKey: .completionDetails)
            try details.encode(reasoningTokens, forKey: .reasoningTokens)
        }
    }
}

/// Why the model stopped (`stop`, `length`, `tool_calls`, `content_filter`).
public struct FinishReason: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// A natural end or a stop sequence.
    public static let stop = FinishReason(rawValue: "stop")
    /// The token limit.
    public static let length = FinishReason(rawValue: "length")
    /// The model called tools.
    public static let toolCalls = FinishReason(rawValue: "tool_calls")
    /// A content filter stopped it.
    public static let contentFilter = FinishReason(rawValue: "content_filter")

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
