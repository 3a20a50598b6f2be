/// Converse's wire shapes, as far as GatewayKit reads them; unknown fields are ignored.
enum BedrockWire {
    struct ConverseResponse: Decodable {
        struct Output: Decodable {
            var message: Message?
        }

        var output: Output?
        var stopReason: String?
        var usage: TokenUsage?
    }

    struct Message: Decodable {
        var role: String?
        var content: [ContentBlock]?
    }

    /// A content block: a union of which GatewayKit reads text and tool use.
    struct ContentBlock: Decodable {
        var text: String?
        var toolUse: ToolUse?
    }

    struct ToolUse: Decodable {
        var toolUseId: String
        var name: String
        var input: JSONValue?
    }

    struct TokenUsage: Decodable {
        var inputTokens: Int?
        var outputTokens: Int?
        var totalTokens: Int?
        var cacheReadInputTokens: Int?
        var cacheWriteInputTokens: Int?

        // Converse counts cache reads and writes apart from `inputTokens`; OpenAI's prompt
        // tokens include them, with the cache reads also reported as cached tokens.
        var usage: Usage {
            let cacheRead = cacheReadInputTokens ?? 0
            let prompt = (inputTokens ?? 0) + cacheRead + (cacheWriteInputTokens ?? 0)
            return Usage(
                promptTokens: prompt, completionTokens: outputTokens ?? 0,
                cachedTokens: cacheReadInputTokens
            )
        }
    }

    // Stream event payloads.

    struct ContentBlockStart: Decodable {
        struct Start: Decodable {
            var toolUse: ToolUseStart?
        }

        struct ToolUseStart: Decodable {
            var toolUseId: String
            var name: String
        }

        var contentBlockIndex: Int
        var start: Start?
    }

    struct ContentBlockDelta: Decodable {
        struct Delta: Decodable {
            var text: String?
            var toolUse: ToolUseDelta?
        }

        struct ToolUseDelta: Decodable {
            var input: String?
        }

        var contentBlockIndex: Int
        var delta: Delta?
    }

    struct MessageStop: Decodable {
        var stopReason: String?
    }

    struct Metadata: Decodable {
        var usage: TokenUsage?
    }

    struct ErrorBody: Decodable {
        var message: String?
        var upperMessage: String?
        var type: String?
        var code: String?

        enum CodingKeys: String, CodingKey {
            case message
            case upperMessage = "Message"
            case type = "__type"
            case code
        }
    }
}
